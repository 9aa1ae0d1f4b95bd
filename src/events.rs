//! Events the core publishes after a commit. The shell forwards each one to every window, so two
//! windows never disagree, and turns `AlertRaised` into a desktop notification.
//!
//! An event says what changed, by id; whoever shows it asks the core for the current state (what
//! a window may see depends on who is signed in there). This module depends on no other module
//! of the core, so every layer may publish.

use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// An appointment changed; `date` is its local day (`YYYY-MM-DD`) so views of other days can ignore it.
    AppointmentChanged { appointment_id: i64, date: String },
    /// Clinic settings changed.
    ClinicChanged,
    /// A staff account changed (created, edited, role, deactivated, unlocked, password). The window
    /// signed in as `staff_id` reads its session again: its role or permissions may have changed.
    StaffChanged { staff_id: i64 },
    /// Branches, doctors, their hours and exceptions, or services changed (set up in the window).
    PracticeChanged,
    /// The wait list changed (added, removed, booked).
    WaitlistChanged,
    /// The untimed walk-in list changed.
    WalkInsChanged,
    /// The callback queue changed.
    CallbacksChanged,
    /// Escalations changed.
    EscalationsChanged,
    /// A new alert: the shell shows it as a desktop notification and every window as a banner.
    AlertRaised { alert_id: i64 },
    /// Alerts were seen or their delivery was recorded.
    AlertsChanged,
    /// A patient's record changed (registered, a note added, merged); refresh views of that patient.
    PatientChanged { patient_id: i64 },
    /// The registration review queue changed (a review opened or was resolved).
    ReviewsChanged,
    /// The clinic was set up (first run or demo seeding).
    ClinicSetUp,
    /// The desk's session ended or was locked.
    SessionChanged { signed_in: bool, locked: bool },
    /// An import's preview or commit has gone through `done` of the file's `total` rows (published
    /// every few thousand rows while it runs, and once at the end, for the window's progress bar).
    /// Unlike every other event it is published from inside the work, while the writer is held:
    /// a subscriber may show it, never call back into the core with it.
    ImportProgress { upload_id: i64, done: u32, total: u32 },
    /// A support session was requested, decided, ended, or the clinic's support access changed
    /// (`id` 0). Every window reads the active sessions again for its banner; a support person's
    /// window also reads its own session (what it may see changed).
    SupportSessionChanged { id: i64 },
}

type Subscriber = std::sync::Arc<dyn Fn(&Event) + Send + Sync>;

/// Fan-out to subscribers. Publishing happens after commit, outside the database lock.
#[derive(Default)]
pub struct EventBus {
    subscribers: Mutex<Vec<Subscriber>>,
}

impl EventBus {
    pub fn subscribe(&self, f: impl Fn(&Event) + Send + Sync + 'static) {
        self.subscribers.lock().unwrap_or_else(|e| e.into_inner()).push(std::sync::Arc::new(f));
    }

    /// Calls every subscriber. The list is copied first, so a subscriber may itself cause a
    /// publish (e.g. recording an alert's delivery) without deadlocking.
    pub fn publish(&self, event: Event) {
        let subscribers: Vec<Subscriber> = self.subscribers.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for s in subscribers {
            s(&event);
        }
    }
}
