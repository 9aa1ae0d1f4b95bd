//! TypeScript declarations of every wire type, generated from the Rust types with `ts-rs`.
//! The shell's test writes them (with the command wrappers) to `ui/src/bindings.ts` and fails
//! when the committed file has drifted.

use ts_rs::{Config, TS};

/// The declarations of all types that cross the IPC boundary, in a stable order.
pub fn type_declarations() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        crate::error::ErrorCode::decl(&cfg),
        crate::error::ApiError::decl(&cfg),
        crate::events::Event::decl(&cfg),
        crate::roles::Role::decl(&cfg),
        crate::roles::Action::decl(&cfg),
        crate::status::Status::decl(&cfg),
        crate::status::Source::decl(&cfg),
        crate::settings::DemoAccount::decl(&cfg),
        crate::settings::SetupStatus::decl(&cfg),
        crate::settings::SetupRequest::decl(&cfg),
        crate::settings::SettingsRequest::decl(&cfg),
        crate::session::SignInRequest::decl(&cfg),
        crate::session::UnlockRequest::decl(&cfg),
        crate::session::SessionInfo::decl(&cfg),
        crate::schedule::DayRequest::decl(&cfg),
        crate::schedule::Branch::decl(&cfg),
        crate::schedule::DoctorColumn::decl(&cfg),
        crate::schedule::AppointmentRow::decl(&cfg),
        crate::schedule::StatusCounts::decl(&cfg),
        crate::schedule::DayView::decl(&cfg),
        crate::schedule::AppointmentRequest::decl(&cfg),
        crate::schedule::SetStatusRequest::decl(&cfg),
        crate::schedule::PhoneRow::decl(&cfg),
        crate::schedule::PatientCard::decl(&cfg),
        crate::schedule::HistoryEntry::decl(&cfg),
        crate::schedule::BookingInfo::decl(&cfg),
        crate::schedule::AppointmentDetail::decl(&cfg),
        crate::audit::Verification::decl(&cfg),
        crate::callbacks::CallbackStatus::decl(&cfg),
        crate::callbacks::CallOutcome::decl(&cfg),
        crate::callbacks::CallSource::decl(&cfg),
        crate::callbacks::MissedCallRequest::decl(&cfg),
        crate::callbacks::CallbackAttempt::decl(&cfg),
        crate::callbacks::CallbackTask::decl(&cfg),
        crate::callbacks::CallbackRequest::decl(&cfg),
        crate::callbacks::CallbackAttemptRequest::decl(&cfg),
        crate::callbacks::CallbackListRequest::decl(&cfg),
        crate::callbacks::CallbackQueue::decl(&cfg),
        crate::escalations::Category::decl(&cfg),
        crate::escalations::Severity::decl(&cfg),
        crate::escalations::EscalationSource::decl(&cfg),
        crate::escalations::EscalationRequest::decl(&cfg),
        crate::escalations::EscalationNote::decl(&cfg),
        crate::escalations::Escalation::decl(&cfg),
        crate::escalations::EscalationRef::decl(&cfg),
        crate::escalations::EscalationNoteRequest::decl(&cfg),
        crate::escalations::ResolveEscalationRequest::decl(&cfg),
        crate::escalations::EscalationListRequest::decl(&cfg),
        crate::alerts::AlertKind::decl(&cfg),
        crate::alerts::Alert::decl(&cfg),
        crate::alerts::AlertList::decl(&cfg),
        crate::alerts::MarkSeenRequest::decl(&cfg),
        crate::alerts::DesktopAlerts::decl(&cfg),
        crate::alerts::AlertPreferences::decl(&cfg),
        crate::work::ReviewItem::decl(&cfg),
        crate::work::WorkWaiting::decl(&cfg),
        crate::booking::TimeOfDay::decl(&cfg),
        crate::booking::SlotQuery::decl(&cfg),
        crate::booking::Slot::decl(&cfg),
        crate::booking::SlotList::decl(&cfg),
        crate::booking::DoctorOption::decl(&cfg),
        crate::booking::ServiceOption::decl(&cfg),
        crate::booking::BookingOptions::decl(&cfg),
        crate::booking::BookRequest::decl(&cfg),
        crate::booking::RescheduleRequest::decl(&cfg),
        crate::booking::CancelRequest::decl(&cfg),
        crate::booking::SlotChange::decl(&cfg),
        crate::booking::WalkInRequest::decl(&cfg),
        crate::booking::WalkIn::decl(&cfg),
        crate::booking::WalkInResult::decl(&cfg),
        crate::booking::WalkInOutcome::decl(&cfg),
        crate::booking::WalkInDoneRequest::decl(&cfg),
        crate::patients::PhoneCheckRequest::decl(&cfg),
        crate::patients::PhoneCheck::decl(&cfg),
        crate::waitlist::WaitlistAddRequest::decl(&cfg),
        crate::waitlist::WaitlistEntry::decl(&cfg),
        crate::waitlist::WaitlistOffer::decl(&cfg),
        crate::waitlist::WaitlistRemoveRequest::decl(&cfg),
        crate::waitlist::WaitlistOffersRequest::decl(&cfg),
        crate::waitlist::WaitlistBookRequest::decl(&cfg),
        crate::search::SearchRequest::decl(&cfg),
        crate::search::PatientHit::decl(&cfg),
        crate::search::AppointmentHit::decl(&cfg),
        crate::search::SearchResults::decl(&cfg),
        crate::patients::CreatePatientRequest::decl(&cfg),
        crate::patients::DuplicateCandidate::decl(&cfg),
        crate::patients::CreatedPatient::decl(&cfg),
        crate::patients::PatientRequest::decl(&cfg),
        crate::patients::Visit::decl(&cfg),
        crate::patients::PatientNote::decl(&cfg),
        crate::patients::SharedPhonePerson::decl(&cfg),
        crate::patients::ReviewPatient::decl(&cfg),
        crate::patients::RegistrationReview::decl(&cfg),
        crate::patients::Patient360::decl(&cfg),
        crate::patients::AddNoteRequest::decl(&cfg),
        crate::patients::ReviewDecision::decl(&cfg),
        crate::patients::ResolveReviewRequest::decl(&cfg),
        crate::patients::ResolvedReview::decl(&cfg),
    ];
    let mut out = String::new();
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out
}

/// The TypeScript name of `T`, for the command wrappers.
pub fn ts_name<T: TS>() -> String {
    T::name(&Config::new().with_large_int("number"))
}
