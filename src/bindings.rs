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
        crate::control_center::ControlCenter::decl(&cfg),
        crate::control_center::ConfigChange::decl(&cfg),
        crate::control_center::ClinicProfileRequest::decl(&cfg),
        crate::session::SignInRequest::decl(&cfg),
        crate::session::UnlockRequest::decl(&cfg),
        crate::clock::DateOrder::decl(&cfg),
        crate::session::SessionInfo::decl(&cfg),
        crate::schedule::DayRequest::decl(&cfg),
        crate::schedule::Branch::decl(&cfg),
        crate::schedule::DoctorColumn::decl(&cfg),
        crate::schedule::AppointmentRow::decl(&cfg),
        crate::schedule::StatusCounts::decl(&cfg),
        crate::schedule::DayView::decl(&cfg),
        crate::schedule::TodayCounts::decl(&cfg),
        crate::schedule::AppointmentRequest::decl(&cfg),
        crate::schedule::SetStatusRequest::decl(&cfg),
        crate::schedule::PhoneRow::decl(&cfg),
        crate::schedule::PatientCard::decl(&cfg),
        crate::schedule::HistoryEntry::decl(&cfg),
        crate::schedule::BookingInfo::decl(&cfg),
        crate::schedule::AppointmentDetail::decl(&cfg),
        crate::audit::Verification::decl(&cfg),
        crate::audit_desk::AuditQuery::decl(&cfg),
        crate::audit_desk::AuditRow::decl(&cfg),
        crate::audit_desk::AuditPage::decl(&cfg),
        crate::audit_desk::AuditPerson::decl(&cfg),
        crate::audit_desk::AuditFilters::decl(&cfg),
        crate::audit_desk::EntityHistoryRequest::decl(&cfg),
        crate::audit_desk::AuditExportRequest::decl(&cfg),
        crate::audit_desk::AuditExport::decl(&cfg),
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
        crate::patients::MergeSummary::decl(&cfg),
        crate::patients::UnmergeRequest::decl(&cfg),
        crate::patients::Unmerged::decl(&cfg),
        crate::patients::Address::decl(&cfg),
        crate::patients::DetailPhone::decl(&cfg),
        crate::patients::PatientDetails::decl(&cfg),
        crate::patients::PatientEdit::decl(&cfg),
        crate::patients::PhoneInput::decl(&cfg),
        crate::patients::UpdatePatientRequest::decl(&cfg),
        crate::patients::UpdatedPatient::decl(&cfg),
        // Staff and roles (staff.rs).
        crate::staff::StaffMember::decl(&cfg),
        crate::staff::RoleCount::decl(&cfg),
        crate::staff::StaffDirectory::decl(&cfg),
        crate::staff::CreateStaffRequest::decl(&cfg),
        crate::staff::UpdateStaffRequest::decl(&cfg),
        crate::staff::SetStaffActiveRequest::decl(&cfg),
        crate::staff::StaffRef::decl(&cfg),
        crate::staff::ResetPasswordRequest::decl(&cfg),
        crate::staff::ChangePasswordRequest::decl(&cfg),
        crate::staff::AccessProfileRequest::decl(&cfg),
        crate::staff::ActionAccess::decl(&cfg),
        crate::staff::AccessProfile::decl(&cfg),
        // The practice: branches, doctors and hours, exceptions, services (practice.rs).
        crate::practice::BranchStatus::decl(&cfg),
        crate::practice::WeeklyHours::decl(&cfg),
        crate::practice::BranchPhone::decl(&cfg),
        crate::practice::BranchDetail::decl(&cfg),
        crate::practice::DoctorHours::decl(&cfg),
        crate::practice::DoctorDetail::decl(&cfg),
        crate::practice::NewPatientRule::decl(&cfg),
        crate::practice::ServiceDetail::decl(&cfg),
        crate::practice::ExceptionKind::decl(&cfg),
        crate::practice::ExceptionRow::decl(&cfg),
        crate::practice::AffectedAppointment::decl(&cfg),
        crate::practice::ChangeOutcome::decl(&cfg),
        crate::practice::SetupChecklist::decl(&cfg),
        crate::practice::Practice::decl(&cfg),
        crate::practice::SaveBranchRequest::decl(&cfg),
        crate::practice::BranchStatusRequest::decl(&cfg),
        crate::practice::SaveDoctorRequest::decl(&cfg),
        crate::practice::DoctorHoursRequest::decl(&cfg),
        crate::practice::AddExceptionRequest::decl(&cfg),
        crate::practice::ExceptionRequest::decl(&cfg),
        crate::practice::SaveServiceRequest::decl(&cfg),
        crate::practice::ChecklistRequest::decl(&cfg),
        // Support sessions (support.rs; the scope is roles.rs's, for the desk's check).
        crate::roles::SupportScope::decl(&cfg),
        crate::support::SupportAccess::decl(&cfg),
        crate::support::SupportStatus::decl(&cfg),
        crate::support::SupportSession::decl(&cfg),
        crate::support::SupportBanner::decl(&cfg),
        crate::support::SupportDesk::decl(&cfg),
        crate::support::MySupport::decl(&cfg),
        crate::support::SupportEvent::decl(&cfg),
        crate::support::SupportSessionHistory::decl(&cfg),
        crate::support::SupportRequest::decl(&cfg),
        crate::support::SupportDecision::decl(&cfg),
        crate::support::SupportSessionRef::decl(&cfg),
        crate::support::SupportAccessRequest::decl(&cfg),
        // Bringing patients in from a CSV export (import.rs).
        crate::import::ColumnMapping::decl(&cfg),
        crate::import::DateFormat::decl(&cfg),
        crate::import::UploadRequest::decl(&cfg),
        crate::import::Upload::decl(&cfg),
        crate::import::PreviewRequest::decl(&cfg),
        crate::import::RowIssue::decl(&cfg),
        crate::import::Preview::decl(&cfg),
        crate::import::ImportResult::decl(&cfg),
        crate::import::ImportBatch::decl(&cfg),
    ];
    let mut out = String::new();
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str(&status_moves());
    out
}

/// The status cycle as a constant (`status::next_statuses` for every status), so the window asks
/// "may this appointment move to X?" of the core's one table without it riding on every row.
fn status_moves() -> String {
    use crate::status::{next_statuses, Status};
    let name = |s: Status| serde_json::to_string(&s).expect("a status serialises");
    let mut out = String::from(
        "/** The statuses an appointment in each status may move to next (the core's status cycle). */\n\
         export const STATUS_NEXT: Record<Status, readonly Status[]> = {\n",
    );
    for s in Status::ALL {
        let next: Vec<String> = next_statuses(s).into_iter().map(name).collect();
        out.push_str(&format!("  {}: [{}],\n", s.as_str(), next.join(", ")));
    }
    out.push_str("};\n\n");
    out
}

/// The TypeScript name of `T`, for the command wrappers.
pub fn ts_name<T: TS>() -> String {
    T::name(&Config::new().with_large_int("number"))
}
