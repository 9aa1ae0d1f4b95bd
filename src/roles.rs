//! Roles and the one permission table (role × action). Every API function asks [`allowed`]
//! before it touches data; the UI only hides what the core would refuse anyway.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Receptionist,
    Doctor,
    Reviewer,
    Operations,
    Support,
}

impl Role {
    pub const ALL: [Role; 7] =
        [Role::Owner, Role::Admin, Role::Receptionist, Role::Doctor, Role::Reviewer, Role::Operations, Role::Support];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Receptionist => "receptionist",
            Role::Doctor => "doctor",
            Role::Reviewer => "reviewer",
            Role::Operations => "operations",
            Role::Support => "support",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// One sentence on what the role is for, shown beside its permissions (the permissions
    /// themselves come from [`PERMISSIONS`]).
    pub fn description(self) -> &'static str {
        match self {
            Role::Owner => {
                "Answers for the clinic: everything an admin does, and the only role that can make someone an owner or change an owner's account."
            }
            Role::Admin => {
                "Runs the clinic day to day: the desk's work, settings, the audit log and staff accounts other than the owners'."
            }
            Role::Receptionist => {
                "Works the front desk: books and moves appointments, registers patients, checks them in and works callbacks and escalations."
            }
            Role::Doctor => "Sees the schedule and patient details, and moves their patients into the room and out again.",
            Role::Reviewer => {
                "Handles report and call reviews: works callbacks and escalations, with the schedule and patient details to hand."
            }
            Role::Operations => {
                "Watches how the clinic runs: sees the schedule and reads and verifies the audit log, never patient details."
            }
            Role::Support => {
                "Helps with the software, only inside a time-boxed session the owner or an admin approves: sees what the session allows (the schedule's shape, or patient details read-only), and changes nothing."
            }
        }
    }
}

/// Everything a signed-in person can ask the core to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the day's schedule and appointment details.
    ViewSchedule,
    /// Move an appointment through its status cycle (arrived, in room, completed, no-show...).
    UpdateAppointmentStatus,
    /// See patient details: search, the patient record, the details shown with an appointment.
    ViewPatient,
    /// Create patients, add notes, and review look-alike registrations (mark them distinct).
    EditPatient,
    /// Merge duplicate patient records and undo merges. A merge rewrites two records at once, so
    /// by default only the people who answer for the records may do it.
    MergePatients,
    /// Book, reschedule and cancel appointments; manage walk-ins and the wait list.
    BookAppointment,
    /// Work the callback queue and the escalations (human-loop tasks).
    WorkQueues,
    /// Read the audit log and verify its chain.
    ViewAudit,
    /// Change clinic settings (idle lock, wait thresholds).
    ManageSettings,
    /// Add, change and deactivate staff.
    ManageStaff,
    /// Set up branches, doctors and their hours, exceptions and services.
    ManagePractice,
    /// Bring patients in from another system's CSV export (the migration hub).
    ImportPatients,
    /// Approve, deny and end support sessions; see their history.
    ManageSupportAccess,
    /// Ask the clinic for a support session (support staff only).
    RequestSupportAccess,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::ViewSchedule,
        Action::UpdateAppointmentStatus,
        Action::ViewPatient,
        Action::EditPatient,
        Action::MergePatients,
        Action::BookAppointment,
        Action::WorkQueues,
        Action::ViewAudit,
        Action::ManageSettings,
        Action::ManageStaff,
        Action::ManagePractice,
        Action::ImportPatients,
        Action::ManageSupportAccess,
        Action::RequestSupportAccess,
    ];

    /// Whether the action changes data. Only changes (and explicit activity reports) count as
    /// activity for the idle lock, so background refreshes of an unattended screen cannot keep a
    /// desk unlocked.
    pub fn is_change(self) -> bool {
        !matches!(self, Action::ViewSchedule | Action::ViewPatient | Action::ViewAudit)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::ViewSchedule => "view the schedule",
            Action::UpdateAppointmentStatus => "change an appointment's status",
            Action::ViewPatient => "view patient details",
            Action::EditPatient => "change patient records",
            Action::MergePatients => "merge duplicate patient records and undo merges",
            Action::BookAppointment => "book, move or cancel appointments",
            Action::WorkQueues => "work callbacks and escalations",
            Action::ViewAudit => "read the audit log",
            Action::ManageSettings => "change clinic settings",
            Action::ManageStaff => "manage staff",
            Action::ManagePractice => "set up branches, doctors, hours and services",
            Action::ImportPatients => "import patients",
            Action::ManageSupportAccess => "approve or end support sessions",
            Action::RequestSupportAccess => "request a support session",
        }
    }

    /// A sentence for the role's permission preview.
    pub fn description(self) -> &'static str {
        match self {
            Action::ViewSchedule => "See the day's schedule and appointment details.",
            Action::UpdateAppointmentStatus => {
                "Move an appointment through its status cycle: arrived, in room, completed, no-show."
            }
            Action::ViewPatient => "Search patients and open their records.",
            Action::EditPatient => {
                "Register patients, correct their details, add notes and review look-alike registrations."
            }
            Action::MergePatients => "Merge duplicate patient records and undo merges.",
            Action::BookAppointment => "Book, move and cancel appointments; manage walk-ins and the wait list.",
            Action::WorkQueues => "Work the callback queue and the escalations.",
            Action::ViewAudit => "Read the audit log and verify its chain.",
            Action::ManageSettings => {
                "Change the clinic's settings: idle lock, wait thresholds, time limits and languages."
            }
            Action::ManageStaff => {
                "Add staff, change their roles, unlock accounts, reset passwords and deactivate accounts."
            }
            Action::ManagePractice => {
                "Set up branches, doctors and their weekly hours, leave and holidays, and the services booked."
            }
            Action::ImportPatients => {
                "Bring patients in from another system's CSV export, with look-alikes sent to review."
            }
            Action::ManageSupportAccess => {
                "Approve, deny or end the software vendor's support sessions, and see what happened in each."
            }
            Action::RequestSupportAccess => {
                "Ask the clinic for a time-boxed support session, with a reason; nothing is visible until it is approved."
            }
        }
    }
}

/// The permission table. One row per role: the actions it may take.
const PERMISSIONS: &[(Role, &[Action])] = {
    use Action::*;
    &[
        (
            Role::Owner,
            &[
                ViewSchedule,
                UpdateAppointmentStatus,
                ViewPatient,
                EditPatient,
                MergePatients,
                BookAppointment,
                WorkQueues,
                ViewAudit,
                ManageSettings,
                ManageStaff,
                ManagePractice,
                ImportPatients,
                ManageSupportAccess,
            ],
        ),
        (
            Role::Admin,
            &[
                ViewSchedule,
                UpdateAppointmentStatus,
                ViewPatient,
                EditPatient,
                MergePatients,
                BookAppointment,
                WorkQueues,
                ViewAudit,
                ManageSettings,
                ManageStaff,
                ManagePractice,
                ImportPatients,
                ManageSupportAccess,
            ],
        ),
        (
            Role::Receptionist,
            &[ViewSchedule, UpdateAppointmentStatus, ViewPatient, EditPatient, BookAppointment, WorkQueues],
        ),
        // Doctors see the schedule and move their patients into the room and out again.
        (Role::Doctor, &[ViewSchedule, UpdateAppointmentStatus, ViewPatient]),
        // Reviewers handle report and call reviews: the escalations queue.
        (Role::Reviewer, &[ViewSchedule, ViewPatient, WorkQueues]),
        (Role::Operations, &[ViewSchedule, ViewAudit]),
        // Support sees the schedule's shape only inside an approved session (a later issue
        // narrows this further); never patient details, never changes.
        (Role::Support, &[ViewSchedule, RequestSupportAccess]),
    ]
};

pub fn allowed(role: Role, action: Action) -> bool {
    PERMISSIONS.iter().any(|(r, actions)| *r == role && actions.contains(&action))
}

pub fn permissions_of(role: Role) -> Vec<Action> {
    Action::ALL.into_iter().filter(|a| allowed(role, *a)).collect()
}

/// What an approved support session lets its support person see. The support role's only grants:
/// without an approved session a support account may do nothing but ask for one
/// ([`Action::RequestSupportAccess`]), whatever the role table's row says; inside one it may do
/// exactly [`SupportScope::grants`] (and ask again later). A session never grants a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SupportScope {
    /// The schedule's shape only: appointments, doctors and times, no patient details.
    Schedule,
    /// The schedule and, read-only, patient details (search, the patient record).
    ScheduleAndPatients,
}

impl SupportScope {
    pub const ALL: [SupportScope; 2] = [SupportScope::Schedule, SupportScope::ScheduleAndPatients];

    /// The one rule of what a session allows: the actions a support person may take inside an
    /// approved session of this scope. Reads only, never a change.
    pub fn grants(self) -> &'static [Action] {
        match self {
            SupportScope::Schedule => &[Action::ViewSchedule],
            SupportScope::ScheduleAndPatients => &[Action::ViewSchedule, Action::ViewPatient],
        }
    }

    /// Whether a support person in a session of this scope (or in none: `None`) may take `action`.
    pub fn allows(scope: Option<SupportScope>, action: Action) -> bool {
        action == Action::RequestSupportAccess || scope.is_some_and(|s| s.grants().contains(&action))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SupportScope::Schedule => "schedule",
            SupportScope::ScheduleAndPatients => "schedule_and_patients",
        }
    }

    pub fn parse(s: &str) -> Option<SupportScope> {
        SupportScope::ALL.into_iter().find(|scope| scope.as_str() == s)
    }

    /// In words, for the banner and the approval question.
    pub fn description(self) -> &'static str {
        match self {
            SupportScope::Schedule => "the schedule's shape only (no patient details)",
            SupportScope::ScheduleAndPatients => "the schedule and patient details, read-only",
        }
    }
}
