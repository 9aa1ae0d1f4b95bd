//! The IPC commands: each one takes the desk's session, calls one core function and maps its
//! error to `{code, message, field}`. The same table generates the TypeScript wrappers.

use std::sync::Arc;

use frontdesk::audit::Verification;
use frontdesk::schedule::{
    AppointmentDetail, AppointmentRequest, AppointmentRow, DayRequest, DayView, SetStatusRequest, TodayCounts,
};
use frontdesk::session::{SessionInfo, SignInRequest, UnlockRequest};
use frontdesk::settings::{SettingsRequest, SetupRequest, SetupStatus};
use frontdesk::{ApiError, Result};
use tauri::State;

use crate::Shell;

/// One command, as the binding generator sees it.
pub struct CommandSpec {
    pub name: &'static str,
    /// The TypeScript type of the single `req` argument, if the command takes one.
    pub request: Option<String>,
    pub response: String,
    pub doc: &'static str,
}

macro_rules! commands {
    ($(
        #[doc = $doc:literal]
        fn $name:ident($shell:ident, $ctx:ident $(, $req:ident: $req_ty:ty)?) -> $resp:ty $body:block
    )*) => {
        /// Each command's body, the one copy: its Tauri command and [`dispatch`] both call it.
        mod run {
            use super::*;
            $(
                pub(super) fn $name($shell: &Shell $(, $req: $req_ty)?) -> std::result::Result<$resp, ApiError> {
                    let token = $shell.token();
                    let $ctx = $shell.ctx(token.as_ref());
                    let result: Result<$resp> = $body;
                    result.map_err(|e| {
                        // By code only: a refusal's message may name a patient.
                        crate::logs::command_failed(stringify!($name), &e);
                        ApiError::from(e)
                    })
                }
            )*
        }

        $(
            #[doc = $doc]
            // `async`: on Tauri's blocking pool, not the main thread, so a password hash or a
            // query never holds up painting the window or the other windows' events.
            #[tauri::command(async)]
            fn $name(state: State<'_, Arc<Shell>> $(, $req: $req_ty)?) -> std::result::Result<$resp, ApiError> {
                run::$name(&state $(, $req)?)
            }
        )*

        /// The handler to register with Tauri.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Runs the command `name` as the window's `invoke(name, args)` would, without a window
        /// (for tests): `req` is read from `args` as Tauri reads it, the answer comes back as
        /// JSON. `None` when there is no such command.
        pub fn dispatch(
            shell: &Shell,
            name: &str,
            args: serde_json::Value,
        ) -> Option<std::result::Result<serde_json::Value, ApiError>> {
            match name {
                $(stringify!($name) => Some(commands!(@dispatch shell, args, $name $(, $req: $req_ty)?)),)*
                _ => None,
            }
        }

        /// Every command, for the TypeScript generator.
        pub fn specs() -> Vec<CommandSpec> {
            vec![$(CommandSpec {
                name: stringify!($name),
                request: commands!(@req $($req_ty)?),
                response: frontdesk::bindings::ts_name::<$resp>(),
                doc: $doc,
            }),*]
        }
    };
    (@dispatch $shell:ident, $args:ident, $name:ident, $req:ident: $req_ty:ty) => {
        request::<$req_ty>(stringify!($name), &$args).and_then(|$req| answer(run::$name($shell, $req)))
    };
    (@dispatch $shell:ident, $args:ident, $name:ident) => { answer(run::$name($shell)) };
    (@req $t:ty) => { Some(frontdesk::bindings::ts_name::<$t>()) };
    (@req) => { None };
}

/// A command's `req` from an invoke's arguments, read as Tauri reads it and refused in its words.
/// Not logged: serde's message may quote what was typed.
fn request<T: serde::de::DeserializeOwned>(
    command: &str,
    args: &serde_json::Value,
) -> std::result::Result<T, ApiError> {
    let invalid = |detail: String| ApiError {
        code: frontdesk::ErrorCode::InvalidInput,
        message: format!("invalid args `req` for command `{command}`: {detail}"),
        field: None,
    };
    let req = args.get("req").ok_or_else(|| invalid(format!("command {command} missing required key req")))?;
    T::deserialize(req).map_err(|e| invalid(e.to_string()))
}

/// A command's answer as the window receives it: JSON.
fn answer<T: serde::Serialize>(
    result: std::result::Result<T, ApiError>,
) -> std::result::Result<serde_json::Value, ApiError> {
    serde_json::to_value(result?).map_err(|e| ApiError {
        code: frontdesk::ErrorCode::Internal,
        message: format!("Internal error: the answer could not be written as JSON ({e}). Please report this."),
        field: None,
    })
}

commands! {
    /// Whether the clinic needs first-run setup, and whether it is the demo clinic.
    fn setup_status(_shell, ctx) -> SetupStatus {
        // The demo clinic's published accounts come from the demo, never from the core.
        frontdesk::settings::setup_status(&ctx).map(|mut status| {
            if status.demo {
                status.demo_accounts = frontdesk::demo::accounts();
            }
            // The first-run form defaults to the zone the machine is set to.
            if status.needs_setup {
                status.machine_timezone =
                    iana_time_zone::get_timezone().ok().filter(|z| status.timezones.iter().any(|t| t == z));
            }
            status
        })
    }

    /// First run: create the clinic and the owner account.
    fn setup_clinic(_shell, ctx, req: SetupRequest) -> () { frontdesk::settings::setup(&ctx, req) }

    /// Sign in on this desk.
    fn sign_in(shell, ctx, req: SignInRequest) -> SessionInfo {
        frontdesk::session::sign_in(&ctx, req).map(|(token, info)| {
            shell.set_token(Some(token));
            tracing::info!(staff_id = info.staff_id, role = info.role.as_str(), "signed in");
            info
        })
    }

    /// Sign out of this desk.
    fn sign_out(shell, ctx) -> () {
        let who = frontdesk::session::current(&ctx).ok().map(|s| s.staff_id);
        let r = frontdesk::session::sign_out(&ctx);
        shell.set_token(None);
        if r.is_ok() {
            tracing::info!(staff_id = who, "signed out");
        }
        r
    }

    /// Lock the desk now (idle timer or Ctrl+L).
    fn lock_session(_shell, ctx) -> () { frontdesk::session::lock(&ctx) }

    /// Unlock with the signed-in person's password.
    fn unlock_session(_shell, ctx, req: UnlockRequest) -> SessionInfo {
        frontdesk::session::unlock(&ctx, req).inspect(|info| tracing::info!(staff_id = info.staff_id, "unlocked"))
    }

    /// Who is signed in (errors with not_signed_in or session_locked).
    fn current_session(_shell, ctx) -> SessionInfo { frontdesk::session::current(&ctx) }

    /// Record keyboard or mouse activity for the idle lock.
    fn touch_session(_shell, ctx) -> () { frontdesk::session::touch(&ctx) }

    /// The schedule of one day.
    fn day_schedule(_shell, ctx, req: DayRequest) -> DayView { frontdesk::schedule::day(&ctx, req) }

    /// Today's appointments by status, all branches (the frame's open count).
    fn today_counts(_shell, ctx) -> TodayCounts { frontdesk::schedule::today_counts(&ctx) }

    /// One appointment with its patient card and history.
    fn appointment_detail(_shell, ctx, req: AppointmentRequest) -> AppointmentDetail {
        frontdesk::schedule::appointment(&ctx, req)
    }

    /// Move an appointment to a new status.
    fn set_appointment_status(_shell, ctx, req: SetStatusRequest) -> AppointmentRow {
        frontdesk::schedule::set_status(&ctx, req)
    }

    /// Change the clinic's idle lock and wait thresholds.
    fn update_settings(_shell, ctx, req: SettingsRequest) -> () { frontdesk::settings::update_settings(&ctx, req) }

    /// The settings control center: profile, retention, AI-safety rules, recent changes.
    fn control_center(_shell, ctx) -> frontdesk::control_center::ControlCenter {
        frontdesk::control_center::control_center(&ctx)
    }

    /// Change the clinic's name, time zone, phone region and retention window.
    fn update_clinic_profile(_shell, ctx, req: frontdesk::control_center::ClinicProfileRequest) -> () {
        frontdesk::control_center::update_clinic_profile(&ctx, req)
    }

    /// Walk the audit chain and report the first broken link.
    fn verify_audit(_shell, ctx) -> Verification { frontdesk::compliance::verify_chain(&ctx) }

    /// Branches, departments, doctors and services for the booking form.
    fn booking_options(_shell, ctx) -> frontdesk::booking::BookingOptions { frontdesk::booking::booking_options(&ctx) }

    /// Every free slot in a date range (default: one day).
    fn free_slots(_shell, ctx, req: frontdesk::booking::SlotQuery) -> frontdesk::booking::SlotList {
        frontdesk::booking::free_slots(&ctx, req)
    }

    /// The earliest free slots for the filters given.
    fn find_earliest(_shell, ctx, req: frontdesk::booking::SlotQuery) -> frontdesk::booking::SlotList {
        frontdesk::booking::find_earliest(&ctx, req)
    }

    /// Book an appointment (refused if either calendar is taken).
    fn book_appointment(_shell, ctx, req: frontdesk::booking::BookRequest) -> AppointmentRow {
        frontdesk::booking::book(&ctx, req)
    }

    /// Move an appointment: the new slot first, the old one released in the same transaction.
    fn reschedule_appointment(_shell, ctx, req: frontdesk::booking::RescheduleRequest) -> frontdesk::booking::SlotChange {
        frontdesk::booking::reschedule(&ctx, req)
    }

    /// Cancel an appointment with a reason.
    fn cancel_appointment(_shell, ctx, req: frontdesk::booking::CancelRequest) -> frontdesk::booking::SlotChange {
        frontdesk::booking::cancel(&ctx, req)
    }

    /// A walk-in: the next free minute today, or the untimed walk-in list.
    fn walk_in(_shell, ctx, req: frontdesk::booking::WalkInRequest) -> frontdesk::booking::WalkInResult {
        frontdesk::booking::walk_in(&ctx, req)
    }

    /// Take a walk-in off the untimed list (seen, or left).
    fn walk_in_done(_shell, ctx, req: frontdesk::booking::WalkInDoneRequest) -> () { frontdesk::booking::walk_in_done(&ctx, req) }

    /// What a typed phone number will be saved as.
    fn check_phone(_shell, ctx, req: frontdesk::patients::PhoneCheckRequest) -> frontdesk::patients::PhoneCheck {
        frontdesk::patients::check_phone(&ctx, req)
    }

    /// The untimed walk-in list.
    fn walk_ins(_shell, ctx) -> Vec<frontdesk::booking::WalkIn> { frontdesk::booking::walk_ins(&ctx) }

    /// The open wait list, urgent first, then oldest.
    fn waitlist(_shell, ctx) -> Vec<frontdesk::waitlist::WaitlistEntry> { frontdesk::waitlist::waitlist(&ctx) }

    /// Put a patient on the wait list.
    fn add_to_waitlist(_shell, ctx, req: frontdesk::waitlist::WaitlistAddRequest) -> frontdesk::waitlist::WaitlistEntry {
        frontdesk::waitlist::add_to_waitlist(&ctx, req)
    }

    /// Take a patient off the wait list.
    fn remove_from_waitlist(_shell, ctx, req: frontdesk::waitlist::WaitlistRemoveRequest) -> () {
        frontdesk::waitlist::remove_from_waitlist(&ctx, req)
    }

    /// The wait-listed patients who fit a slot.
    fn waitlist_offers(_shell, ctx, req: frontdesk::waitlist::WaitlistOffersRequest) -> Vec<frontdesk::waitlist::WaitlistOffer> {
        frontdesk::waitlist::waitlist_offers(&ctx, req)
    }

    /// Book a wait-listed patient into a slot and close their entry.
    fn book_from_waitlist(_shell, ctx, req: frontdesk::waitlist::WaitlistBookRequest) -> AppointmentRow {
        frontdesk::booking::book_from_waitlist(&ctx, req)
    }

    /// Search patients (name, phone, MRN, health card) and appointments (#1234).
    fn search(_shell, ctx, req: frontdesk::search::SearchRequest) -> frontdesk::search::SearchResults {
        frontdesk::search::search(&ctx, req)
    }

    /// Register a patient; look-alikes of existing patients open a registration review.
    fn create_patient(_shell, ctx, req: frontdesk::patients::CreatePatientRequest) -> frontdesk::patients::CreatedPatient {
        frontdesk::patients::create_patient(&ctx, req)
    }

    /// Everything about one patient: card, consents, visits, notes, family on the same phone.
    fn patient_record(_shell, ctx, req: frontdesk::patients::PatientRequest) -> frontdesk::patients::Patient360 {
        frontdesk::patients::patient_record(&ctx, req)
    }

    /// Correct a patient's details (refused if the record changed since the form was loaded); a look-alike opens a review.
    fn update_patient(_shell, ctx, req: frontdesk::patients::UpdatePatientRequest) -> frontdesk::patients::UpdatedPatient {
        frontdesk::patients::update_patient(&ctx, req)
    }

    /// Add a note to a patient's record.
    fn add_patient_note(_shell, ctx, req: frontdesk::patients::AddNoteRequest) -> frontdesk::patients::PatientNote {
        frontdesk::patients::add_patient_note(&ctx, req)
    }

    /// The open registration reviews, oldest first.
    fn registration_reviews(_shell, ctx) -> Vec<frontdesk::patients::RegistrationReview> {
        frontdesk::patients::registration_reviews(&ctx)
    }

    /// Resolve a registration review: merge the two records or keep them distinct.
    fn resolve_review(_shell, ctx, req: frontdesk::patients::ResolveReviewRequest) -> frontdesk::patients::ResolvedReview {
        frontdesk::patients::resolve_review(&ctx, req)
    }

    /// Undo a merge (owner, admin): both records exactly as they were before it.
    fn unmerge(_shell, ctx, req: frontdesk::patients::UnmergeRequest) -> frontdesk::patients::Unmerged {
        frontdesk::patients::unmerge(&ctx, req)
    }

    /// What needs a person now: escalations, callbacks, registration reviews, unconfirmed tomorrow.
    fn work_waiting(_shell, ctx) -> frontdesk::work::WorkWaiting { frontdesk::work::work_waiting(&ctx) }

    /// Record a missed call (a repeat from the same number updates its open task).
    fn record_missed_call(_shell, ctx, req: frontdesk::callbacks::MissedCallRequest) -> frontdesk::callbacks::CallbackTask {
        frontdesk::callbacks::record_missed_call(&ctx, req)
    }

    /// The callback queue, oldest first.
    fn callback_queue(_shell, ctx, req: frontdesk::callbacks::CallbackListRequest) -> frontdesk::callbacks::CallbackQueue {
        frontdesk::callbacks::callback_queue(&ctx, req)
    }

    /// One callback task with its attempts.
    fn callback_task(_shell, ctx, req: frontdesk::callbacks::CallbackRequest) -> frontdesk::callbacks::CallbackTask {
        frontdesk::callbacks::callback_task(&ctx, req)
    }

    /// Take the oldest unassigned callback (null when the queue is empty).
    fn assign_next_callback(_shell, ctx) -> Option<frontdesk::callbacks::CallbackTask> {
        frontdesk::callbacks::assign_next_to_me(&ctx)
    }

    /// Log a callback attempt and its outcome.
    fn log_callback_attempt(_shell, ctx, req: frontdesk::callbacks::CallbackAttemptRequest) -> frontdesk::callbacks::CallbackTask {
        frontdesk::callbacks::log_attempt(&ctx, req)
    }

    /// Raise an escalation (urgent symptoms are always urgent).
    fn create_escalation(_shell, ctx, req: frontdesk::escalations::EscalationRequest) -> frontdesk::escalations::Escalation {
        frontdesk::escalations::create(&ctx, req)
    }

    /// Open escalations, most severe and oldest first.
    fn escalations(_shell, ctx, req: frontdesk::escalations::EscalationListRequest) -> Vec<frontdesk::escalations::Escalation> {
        frontdesk::escalations::list(&ctx, req)
    }

    /// One escalation with its notes.
    fn escalation(_shell, ctx, req: frontdesk::escalations::EscalationRef) -> frontdesk::escalations::Escalation {
        frontdesk::escalations::get(&ctx, req)
    }

    /// Take ownership of an escalation.
    fn take_escalation(_shell, ctx, req: frontdesk::escalations::EscalationRef) -> frontdesk::escalations::Escalation {
        frontdesk::escalations::take(&ctx, req)
    }

    /// Add a note to an escalation.
    fn add_escalation_note(_shell, ctx, req: frontdesk::escalations::EscalationNoteRequest) -> frontdesk::escalations::Escalation {
        frontdesk::escalations::add_note(&ctx, req)
    }

    /// Resolve an escalation with its outcome.
    fn resolve_escalation(_shell, ctx, req: frontdesk::escalations::ResolveEscalationRequest) -> frontdesk::escalations::Escalation {
        frontdesk::escalations::resolve(&ctx, req)
    }

    /// Reopen a resolved escalation.
    fn reopen_escalation(_shell, ctx, req: frontdesk::escalations::EscalationRef) -> frontdesk::escalations::Escalation {
        frontdesk::escalations::reopen(&ctx, req)
    }

    /// The latest alerts and the unseen count.
    fn alerts(_shell, ctx) -> frontdesk::alerts::AlertList { frontdesk::alerts::list(&ctx) }

    /// Mark alerts seen (all unseen when the list is empty).
    fn mark_alerts_seen(_shell, ctx, req: frontdesk::alerts::MarkSeenRequest) -> () { frontdesk::alerts::mark_seen(&ctx, req) }

    /// The signed-in person's desktop-alert setting.
    fn alert_preferences(_shell, ctx) -> frontdesk::alerts::AlertPreferences { frontdesk::alerts::preferences(&ctx) }

    /// Change the signed-in person's desktop-alert setting.
    fn set_alert_preferences(_shell, ctx, req: frontdesk::alerts::AlertPreferences) -> frontdesk::alerts::AlertPreferences {
        frontdesk::alerts::set_preferences(&ctx, req)
    }

    /// Every staff account and the count of each role (owner, admin).
    fn staff_directory(_shell, ctx) -> frontdesk::staff::StaffDirectory { frontdesk::staff::list_staff(&ctx) }

    /// Add a staff account with a temporary password, to be changed at the first sign-in.
    fn create_staff(_shell, ctx, req: frontdesk::staff::CreateStaffRequest) -> frontdesk::staff::StaffMember {
        frontdesk::staff::create_staff(&ctx, req)
    }

    /// Change a staff account's name, email, role and doctor link.
    fn update_staff(_shell, ctx, req: frontdesk::staff::UpdateStaffRequest) -> frontdesk::staff::StaffMember {
        frontdesk::staff::update_staff(&ctx, req)
    }

    /// Deactivate (their sessions end at once) or reactivate a staff account.
    fn set_staff_active(_shell, ctx, req: frontdesk::staff::SetStaffActiveRequest) -> frontdesk::staff::StaffMember {
        frontdesk::staff::set_staff_active(&ctx, req)
    }

    /// Lift a lockout after too many wrong passwords.
    fn unlock_staff(_shell, ctx, req: frontdesk::staff::StaffRef) -> frontdesk::staff::StaffMember {
        frontdesk::staff::unlock_staff(&ctx, req)
    }

    /// Give an account a temporary password (it also unlocks it and ends its sessions).
    fn reset_staff_password(_shell, ctx, req: frontdesk::staff::ResetPasswordRequest) -> frontdesk::staff::StaffMember {
        frontdesk::staff::reset_password(&ctx, req)
    }

    /// Change the signed-in person's own password (a temporary one included); the answer is the session now.
    fn change_password(_shell, ctx, req: frontdesk::staff::ChangePasswordRequest) -> SessionInfo {
        frontdesk::staff::change_password(&ctx, req)
            .inspect(|info| tracing::info!(staff_id = info.staff_id, "password changed"))
    }

    /// What a role may do, action by action (any role for owners and admins, one's own for everyone).
    fn access_profile(_shell, ctx, req: frontdesk::staff::AccessProfileRequest) -> frontdesk::staff::AccessProfile {
        frontdesk::staff::access_profile(&ctx, req)
    }

    /// Branches, doctors and hours, exceptions, services, what to rebook and the setup checklist.
    fn practice(_shell, ctx) -> frontdesk::practice::Practice { frontdesk::practice::practice(&ctx) }

    /// Add or change a branch: name, address, the numbers patients call, opening hours.
    fn save_branch(_shell, ctx, req: frontdesk::practice::SaveBranchRequest) -> i64 {
        frontdesk::practice::save_branch(&ctx, req)
    }

    /// Open or close a branch; booked appointments there are shown first, then listed to rebook.
    fn set_branch_status(_shell, ctx, req: frontdesk::practice::BranchStatusRequest) -> frontdesk::practice::ChangeOutcome {
        frontdesk::practice::set_branch_status(&ctx, req)
    }

    /// Add or change a doctor: name, department, specialties, branches, active.
    fn save_doctor(_shell, ctx, req: frontdesk::practice::SaveDoctorRequest) -> frontdesk::practice::ChangeOutcome {
        frontdesk::practice::save_doctor(&ctx, req)
    }

    /// Replace a doctor's weekly sessions (branch, day, times, slot length).
    fn save_doctor_hours(_shell, ctx, req: frontdesk::practice::DoctorHoursRequest) -> frontdesk::practice::ChangeOutcome {
        frontdesk::practice::save_doctor_hours(&ctx, req)
    }

    /// Add leave or training for a doctor, or a holiday for the clinic or a branch.
    fn add_exception(_shell, ctx, req: frontdesk::practice::AddExceptionRequest) -> frontdesk::practice::ChangeOutcome {
        frontdesk::practice::add_exception(&ctx, req)
    }

    /// Remove leave, training or a holiday.
    fn remove_exception(_shell, ctx, req: frontdesk::practice::ExceptionRequest) -> () {
        frontdesk::practice::remove_exception(&ctx, req)
    }

    /// Add or change a service: code, name, length, department, who may book it.
    fn save_service(_shell, ctx, req: frontdesk::practice::SaveServiceRequest) -> i64 {
        frontdesk::practice::save_service(&ctx, req)
    }

    /// Booked appointments a change of hours, leave or a closure left to rebook.
    fn to_rebook(_shell, ctx) -> Vec<frontdesk::practice::AffectedAppointment> { frontdesk::practice::to_rebook(&ctx) }

    /// How far the first-run checklist has come (owner and admin).
    fn setup_checklist(_shell, ctx) -> frontdesk::practice::SetupChecklist { frontdesk::practice::checklist(&ctx) }

    /// Hide or show the first-run checklist on the owner's home.
    fn set_checklist_dismissed(_shell, ctx, req: frontdesk::practice::ChecklistRequest) -> () {
        frontdesk::practice::set_checklist_dismissed(&ctx, req)
    }

    /// What the tray icon shows now ("2 urgent", or empty).
    fn tray_status(shell, _ctx) -> String { Ok(shell.tray_label()) }

    /// The window reports that a screen has rendered (start-up timing, logged with ids only); the answer is the ms since the process was started.
    fn screen_rendered(shell, _ctx, req: String) -> f64 {
        // Only known screen names reach the log: the page cannot write arbitrary text there.
        let screen = ["setup", "signin", "locked", "work", "today"].into_iter().find(|s| *s == req).unwrap_or("unknown");
        let ms = ms_since_spawn(shell.started);
        // The words, not fields: the start-up benchmark reads this line on the terminal.
        tracing::info!("rendered {screen} after {ms:.0} ms");
        Ok(ms)
    }

    /// For support: version, OS, data and log directories, schema version and the log's last lines (ids only).
    fn diagnostics(shell, ctx) -> String { crate::logs::diagnostics(shell, &ctx) }

    // Bringing patients in from another system's CSV export (import.rs).

    /// Stage a CSV file (its bytes as base64): checks it is UTF-8, finds the delimiter and header, suggests a column mapping.
    fn import_upload(_shell, ctx, req: frontdesk::import::UploadRequest) -> frontdesk::import::Upload {
        frontdesk::import::upload_base64(&ctx, req)
    }

    /// Count what importing a staged file with this mapping would do (clean, to review, refused, already imported) and save the mapping.
    fn import_preview(_shell, ctx, req: frontdesk::import::PreviewRequest) -> frontdesk::import::Preview {
        frontdesk::import::preview(&ctx, req)
    }

    /// Import a staged file's clean and review rows in one transaction; review rows open registration reviews.
    fn import_commit(_shell, ctx, req: frontdesk::import::PreviewRequest) -> frontdesk::import::ImportResult {
        frontdesk::import::commit(&ctx, req)
            .inspect(|r| tracing::info!(batch_id = r.batch_id, imported = r.imported, review = r.review, refused = r.refused, "patients imported"))
    }

    /// Past imports, newest first, with their counts.
    fn import_history(_shell, ctx) -> Vec<frontdesk::import::ImportBatch> { frontdesk::import::history(&ctx) }

    // Support sessions (support.rs).

    /// The clinic's support-access setting and every support session, newest first (owner, admin).
    fn support_sessions(_shell, ctx) -> frontdesk::support::SupportDesk { frontdesk::support::support_desk(&ctx) }

    /// One support session and everything that happened in it: its audit rows, reads of patient records included (owner, admin).
    fn support_session_history(_shell, ctx, req: frontdesk::support::SupportSessionRef) -> frontdesk::support::SupportSessionHistory {
        frontdesk::support::history(&ctx, req)
    }

    /// Approve (it starts now, for the minutes asked) or deny a support request (owner, admin).
    fn decide_support_session(_shell, ctx, req: frontdesk::support::SupportDecision) -> frontdesk::support::SupportSession {
        frontdesk::support::decide(&ctx, req)
            .inspect(|s| tracing::info!(support_session_id = s.id, status = ?s.status, "support session decided"))
    }

    /// End a running support session early (owner, admin).
    fn end_support_session(_shell, ctx, req: frontdesk::support::SupportSessionRef) -> frontdesk::support::SupportSession {
        frontdesk::support::end(&ctx, req).inspect(|s| tracing::info!(support_session_id = s.id, "support session ended"))
    }

    /// Whether the clinic takes support requests: ask each time, or off (owner, admin).
    fn set_support_access(_shell, ctx, req: frontdesk::support::SupportAccessRequest) -> () {
        frontdesk::support::set_access(&ctx, req)
    }

    /// Ask for a support session with a reason, a length and a scope (support staff).
    fn request_support_session(_shell, ctx, req: frontdesk::support::SupportRequest) -> frontdesk::support::SupportSession {
        frontdesk::support::request(&ctx, req)
            .inspect(|s| tracing::info!(support_session_id = s.id, "support session requested"))
    }

    /// The support person's latest request or session, and whether the clinic takes requests (support staff).
    fn my_support_session(_shell, ctx) -> frontdesk::support::MySupport { frontdesk::support::mine(&ctx) }

    /// The support person ends their running session, or withdraws the request still waiting (support staff).
    fn end_my_support_session(_shell, ctx) -> frontdesk::support::SupportSession {
        frontdesk::support::end_own(&ctx).inspect(|s| tracing::info!(support_session_id = s.id, "support session ended by its support person"))
    }

    /// The support sessions running now, for the banner everyone signed in sees.
    fn active_support_sessions(_shell, ctx) -> Vec<frontdesk::support::SupportBanner> { frontdesk::support::active(&ctx) }

    // The audit desk (audit_desk.rs); verifying the chain is `verify_audit` above.

    /// A page of the audit log, newest first, through the filters (person, role, action or its prefix, record, days, support session).
    fn audit_page(_shell, ctx, req: frontdesk::audit_desk::AuditQuery) -> frontdesk::audit_desk::AuditPage {
        frontdesk::audit_desk::audit_page(&ctx, req)
    }

    /// What the audit desk's filters offer: the staff, the roles, the actions and kinds of record in the log.
    fn audit_filters(_shell, ctx) -> frontdesk::audit_desk::AuditFilters { frontdesk::audit_desk::audit_filters(&ctx) }

    /// One record's audit history, newest first.
    fn audit_entity_history(_shell, ctx, req: frontdesk::audit_desk::EntityHistoryRequest) -> frontdesk::audit_desk::AuditPage {
        frontdesk::audit_desk::entity_history(&ctx, req)
    }

    /// Export the audit rows of a range of days as CSV into the data directory's exports folder (the export is audited).
    fn export_audit_csv(_shell, ctx, req: frontdesk::audit_desk::AuditExportRequest) -> frontdesk::audit_desk::AuditExport {
        frontdesk::audit_desk::export_audit_csv(&ctx, req)
            .inspect(|e| tracing::info!(rows = e.rows, "audit log exported"))
    }
}

/// Milliseconds since this process was started, exec and dynamic linking included: the kernel's
/// start time (/proc/self/stat, in 10 ms ticks since boot) against /proc/uptime. Never less than
/// the time since `main` began, which is all there is where /proc cannot be read.
fn ms_since_spawn(started: std::time::Instant) -> f64 {
    let since_main = started.elapsed().as_secs_f64() * 1e3;
    let from_proc = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // Field 22, starttime, is the 20th after the ")" that closes the command name.
        let ticks: f64 = stat.rsplit_once(')')?.1.split_whitespace().nth(19)?.parse().ok()?;
        let uptime: f64 = std::fs::read_to_string("/proc/uptime").ok()?.split_whitespace().next()?.parse().ok()?;
        Some((uptime - ticks / 100.0) * 1e3)
    };
    from_proc().map_or(since_main, |ms| ms.max(since_main))
}
