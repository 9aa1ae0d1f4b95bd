// Generated from the Rust types and the command table by
// `UPDATE_BINDINGS=1 cargo test -p frontdesk-desktop --test bindings`. Do not edit by hand.
/* eslint-disable */
import { invoke } from "@tauri-apps/api/core";

export type ErrorCode = "not_signed_in" | "session_locked" | "forbidden" | "support_session_required" | "password_change_required" | "invalid_input" | "not_found" | "conflict" | "needs_confirmation" | "bad_credentials" | "already_set_up" | "not_set_up" | "storage" | "tampered" | "internal";

export type ApiError = { code: ErrorCode, 
/**
 * A sentence for the person at the desk, saying what to do next.
 */
message: string, 
/**
 * The request field the message is about, for inline form errors.
 */
field: string | null, };

export type Event = { "kind": "appointment_changed", appointment_id: number, date: string, } | { "kind": "clinic_changed" } | { "kind": "staff_changed", staff_id: number, } | { "kind": "practice_changed" } | { "kind": "waitlist_changed" } | { "kind": "walk_ins_changed" } | { "kind": "callbacks_changed" } | { "kind": "escalations_changed" } | { "kind": "alert_raised", alert_id: number, } | { "kind": "alerts_changed" } | { "kind": "patient_changed", patient_id: number, } | { "kind": "reviews_changed" } | { "kind": "clinic_set_up" } | { "kind": "session_changed", signed_in: boolean, locked: boolean, } | { "kind": "import_progress", upload_id: number, done: number, total: number, } | { "kind": "support_session_changed", id: number, };

export type Role = "owner" | "admin" | "receptionist" | "doctor" | "reviewer" | "operations" | "support";

export type Action = "view_schedule" | "update_appointment_status" | "view_patient" | "edit_patient" | "merge_patients" | "book_appointment" | "work_queues" | "view_audit" | "manage_settings" | "manage_staff" | "manage_practice" | "import_patients" | "manage_support_access" | "request_support_access";

export type Status = "booked" | "confirmed" | "arrived" | "in_room" | "completed" | "no_show" | "cancelled" | "rescheduled";

export type Source = "phone" | "walk_in" | "voice_agent" | "online" | "emr";

export type DemoAccount = { username: string, display_name: string, role: string, password: string, };

export type SetupStatus = { needs_setup: boolean, clinic_name: string | null, 
/**
 * True for the demo clinic; the sign-in screen then shows the demo accounts.
 */
demo: boolean, 
/**
 * Time zones to offer in the setup form (IANA names); empty once the clinic is set up.
 */
timezones: Array<string>, 
/**
 * The machine's own zone, the form's default (filled by the shell, which asks the OS).
 */
machine_timezone: string | null, 
/**
 * The demo clinic's published accounts (empty for a real clinic).
 */
demo_accounts: Array<DemoAccount>, };

export type SetupRequest = { clinic_name: string, timezone: string, 
/**
 * Default phone region, a two-letter country code (IN, CA).
 */
phone_region: string, owner_name: string, owner_username: string, owner_password: string, };

export type SettingsRequest = { idle_lock_minutes: number, wait_amber_minutes: number, wait_red_minutes: number, 
/**
 * Call a missed caller back within this long of their first missed call.
 */
callback_sla_minutes: number, 
/**
 * Pick up an escalation within this long, by severity (urgent ≤ high ≤ normal).
 */
escalation_sla_urgent_minutes: number, escalation_sla_high_minutes: number, escalation_sla_normal_minutes: number, 
/**
 * The languages the desk can serve patients in (two- or three-letter codes, most used
 * first); the patient form offers them first and defaults to the first.
 */
languages: Array<string>, 
/**
 * Whether desktop notifications may show a first name. They appear on the OS lock screen
 * and stay in its history, so they say only what happened unless the owner allows names.
 * Only the owner may change it.
 */
desktop_alert_names: boolean, };

export type ControlCenter = { clinic_name: string, timezone: string, 
/**
 * Every zone name, for the time-zone picker.
 */
timezones: Array<string>, phone_region: string, retention_days: number, 
/**
 * Patients not seen (no appointment, no change to their record) within the retention window:
 * candidates for a person to review. Nothing is deleted automatically.
 */
retention_candidates: number, ai_safety_rules: Array<string>, 
/**
 * The latest configuration changes, newest first.
 */
recent_changes: Array<ConfigChange>, };

export type ConfigChange = { seq: number, 
/**
 * When, in the clinic's zone ("Thu 3 Dec 2026 14:05").
 */
at_label: string, 
/**
 * Who (their name), or "Frontdesk" for the system.
 */
actor: string, action: string, summary: string, };

export type ClinicProfileRequest = { clinic_name: string, timezone: string, phone_region: string, retention_days: number, 
/**
 * A time-zone change with appointments booked ahead was shown and confirmed.
 */
confirmed: boolean, };

export type SignInRequest = { username: string, password: string, };

export type UnlockRequest = { password: string, };

export type DateOrder = "day_first" | "month_first";

export type SessionInfo = { staff_id: number, display_name: string, username: string, role: Role, permissions: Array<Action>, 
/**
 * Signed in with a temporary password: the window asks for a new one, and every other
 * command is refused with `password_change_required` until it is changed.
 */
must_change_password: boolean, clinic_name: string, timezone: string, phone_region: string, 
/**
 * How dates are written at this clinic (the window formats every date with it).
 */
date_order: DateOrder, idle_lock_minutes: number, wait_amber_minutes: number, wait_red_minutes: number, callback_sla_minutes: number, escalation_sla_urgent_minutes: number, escalation_sla_high_minutes: number, escalation_sla_normal_minutes: number, 
/**
 * The languages the desk serves patients in, most used first (never empty).
 */
languages: Array<string>, 
/**
 * Whether desktop notifications may show a first name (the owner's choice in Settings).
 */
desktop_alert_names: boolean, };

export type DayRequest = { 
/**
 * `YYYY-MM-DD` in the clinic's zone; today when absent.
 */
date: string | null, 
/**
 * Only this branch; all branches when absent.
 */
branch_id: number | null, };

export type Branch = { id: number, name: string, };

export type DoctorColumn = { id: number, name: string, department: string, 
/**
 * Working hours that day, e.g. "09:00–13:00, 14:00–17:00"; empty when not scheduled.
 */
hours: string, };

export type AppointmentRow = { id: number, patient_id: number, patient_name: string, patient_age: number | null, doctor_id: number, branch_id: number, service_code: string, service_name: string, 
/**
 * Unix seconds.
 */
starts_at: number, ends_at: number, 
/**
 * `HH:MM` in the clinic's zone.
 */
start_local: string, end_local: string, status: Status, source: Source, reason: string, notes: string, arrived_at: number | null, in_room_at: number | null, completed_at: number | null, };

export type StatusCounts = { booked: number, confirmed: number, arrived: number, in_room: number, completed: number, no_show: number, cancelled: number, rescheduled: number, };

export type DayView = { 
/**
 * `YYYY-MM-DD` in the clinic's zone.
 */
date: string, today: string, timezone: string, 
/**
 * The zone's abbreviation that day, e.g. "IST" or "EST".
 */
zone_label: string, branches: Array<Branch>, branch_id: number | null, doctors: Array<DoctorColumn>, appointments: Array<AppointmentRow>, counts: StatusCounts, 
/**
 * Holidays and leave that day ("Clinic holiday", "Dr. Rao on leave: Conference").
 */
notices: Array<string>, wait_amber_minutes: number, wait_red_minutes: number, 
/**
 * True when the caller's role may change statuses.
 */
can_update: boolean, 
/**
 * A doctor's account: statuses may be changed only on this doctor's appointments (their
 * patients). `None` for every other role.
 */
only_doctor_id: number | null, };

export type TodayCounts = { 
/**
 * `YYYY-MM-DD` in the clinic's zone.
 */
today: string, counts: StatusCounts, };

export type AppointmentRequest = { appointment_id: number, };

export type SetStatusRequest = { appointment_id: number, status: Status, 
/**
 * The person answered "yes" to an unusual arrival (another day, or hours early).
 */
confirmed: boolean, };

export type PhoneRow = { e164: string, 
/**
 * As people in the clinic's region write it.
 */
display: string, label: string, 
/**
 * The patient's relationship to the phone's holder: self, spouse, child, parent, sibling, other.
 */
relationship: string, };

export type PatientCard = { id: number, name: string, date_of_birth: string | null, age: number | null, sex: string, phones: Array<PhoneRow>, email: string | null, mrn: string | null, health_card: string | null, preferred_language: string, };

export type HistoryEntry = { at: number, actor: string, action: string, summary: string, };

export type BookingInfo = { caller_name: string, caller_relationship: string, referral: string, follow_up_on: string | null, cancel_reason: string, 
/**
 * The appointment this one was moved to.
 */
rescheduled_to: number | null, 
/**
 * The appointment this one was moved from.
 */
rescheduled_from: number | null, booked_by: string | null, booked_at: number, };

export type AppointmentDetail = { appointment: AppointmentRow, booking: BookingInfo, date: string, doctor_name: string, branch_name: string, patient: PatientCard | null, history: Array<HistoryEntry>, };

export type Verification = { rows_checked: number, 
/**
 * The first row whose link or content does not match (edited, or inserted behind the app).
 */
first_broken_seq: number | null, 
/**
 * The first number missing from the sequence: a row deleted from the middle.
 */
first_missing_seq: number | null, 
/**
 * Rows the head recorded that are gone from the end: `[first, last]` deleted.
 */
missing_tail: [number, number] | null, 
/**
 * The chain does not end where the sealed head says, though no row is missing: it was
 * rewritten and recomputed, or the head itself was tampered with.
 */
head_mismatch: boolean, 
/**
 * Nothing found.
 */
intact: boolean, 
/**
 * What was found, in a sentence for the person checking.
 */
summary: string, };

export type AuditQuery = { 
/**
 * The person who acted.
 */
staff_id: number | null, 
/**
 * Their role at the time (`owner`, `receptionist`, …, or `system` for the desk itself).
 */
role: string | null, 
/**
 * An action (`appointment.booked`), or the start of one (`appointment.`).
 */
action: string | null, 
/**
 * The kind of record (`patient`, `appointment`, `staff`, …).
 */
entity: string | null, 
/**
 * One record of that kind (needs `entity`).
 */
entity_id: string | null, 
/**
 * The first day, `YYYY-MM-DD`, in the clinic's zone.
 */
from: string | null, 
/**
 * The last day (included), `YYYY-MM-DD`, in the clinic's zone.
 */
to: string | null, 
/**
 * Only what happened inside this support session.
 */
support_session_id: number | null, 
/**
 * The cursor: rows older than this number (the previous page's `next_before_seq`).
 */
before_seq: number | null, 
/**
 * Rows per page: 50 unless given, at most 200.
 */
limit: number | null, };

export type AuditRow = { seq: number, 
/**
 * Unix seconds.
 */
at: number, 
/**
 * When, in the clinic's zone, as the clinic writes dates: "Mon 23 Nov 2026 10:00".
 */
when: string, actor_staff_id: number | null, 
/**
 * The person's name now (`None` for the system, or an account since removed).
 */
actor_name: string | null, actor_role: string, action: string, entity: string, entity_id: string, 
/**
 * Ids and field names only, never patient details.
 */
summary: string, support_session_id: number | null, };

export type AuditPage = { rows: Array<AuditRow>, 
/**
 * Pass as `before_seq` for the next page; `None` when this page is the last.
 */
next_before_seq: number | null, };

export type AuditPerson = { staff_id: number, display_name: string, role: string, };

export type AuditFilters = { people: Array<AuditPerson>, roles: Array<string>, actions: Array<string>, entities: Array<string>, };

export type EntityHistoryRequest = { entity: string, entity_id: string, 
/**
 * The cursor, as for [`AuditQuery::before_seq`].
 */
before_seq: number | null, };

export type AuditExportRequest = { from: string, to: string, };

export type AuditExport = { 
/**
 * Where the CSV file was saved.
 */
path: string, rows: number, };

export type CallbackStatus = "pending" | "attempted" | "completed" | "unreachable" | "wrong_number";

export type CallOutcome = "reached" | "no_answer" | "busy" | "voicemail" | "wrong_number" | "invalid";

export type CallSource = "staff" | "telephony" | "voice_agent";

export type MissedCallRequest = { 
/**
 * The caller's number in any format; normalised with the clinic's region.
 */
caller_number: string, 
/**
 * When the call was missed (unix seconds); now when absent.
 */
at: number | null, 
/**
 * The clinic number that was called (which line / campaign).
 */
line: string, branch_id: number | null, source: CallSource, };

export type CallbackAttempt = { at: number, staff_name: string | null, outcome: CallOutcome, note: string, };

export type CallbackTask = { id: number, caller_e164: string, caller_display: string, line: string, branch_id: number | null, patient_id: number | null, 
/**
 * The known patient's name (or "Name + 2 others" when a family shares the number).
 */
patient_name: string | null, first_missed_at: number, last_missed_at: number, missed_count: number, status: CallbackStatus, assigned_to: number | null, assigned_name: string | null, 
/**
 * When the SLA runs out (first missed + the clinic's callback SLA).
 */
due_at: number, attempts: Array<CallbackAttempt>, };

export type CallbackRequest = { task_id: number, };

export type CallbackAttemptRequest = { task_id: number, outcome: CallOutcome, note: string, };

export type CallbackListRequest = { 
/**
 * Include closed tasks (completed, unreachable, wrong number) of the last 7 days.
 */
include_closed: boolean, };

export type CallbackQueue = { tasks: Array<CallbackTask>, sla_minutes: number, };

export type Category = "urgent_symptoms" | "angry_caller" | "billing_dispute" | "unknown_question" | "low_confidence" | "tool_failure" | "report_review" | "registration_help";

export type Severity = "urgent" | "high" | "normal";

export type EscalationSource = "voice_agent" | "staff" | "message";

export type EscalationRequest = { category: Category, severity: Severity, source: EscalationSource, 
/**
 * What happened, in a sentence or two.
 */
summary: string, patient_id: number | null, caller_name: string, 
/**
 * The caller's number in any format, if known.
 */
caller_number: string | null, 
/**
 * The voice agent's call id, if any.
 */
call_ref: string | null, };

export type EscalationNote = { at: number, staff_name: string | null, body: string, };

export type Escalation = { id: number, category: Category, category_label: string, severity: Severity, source: EscalationSource, summary: string, patient_id: number | null, patient_name: string | null, caller_name: string, caller_display: string | null, call_ref: string | null, owner_id: number | null, owner_name: string | null, open: boolean, outcome: string, created_at: number, resolved_at: number | null, 
/**
 * When the severity's SLA runs out (from creation, or the latest reopening).
 */
due_at: number, notes: Array<EscalationNote>, };

export type EscalationRef = { escalation_id: number, };

export type EscalationNoteRequest = { escalation_id: number, body: string, };

export type ResolveEscalationRequest = { escalation_id: number, 
/**
 * What was done: "Called back, booked same-day with Dr. Chen", "Advised to call 911".
 */
outcome: string, };

export type EscalationListRequest = { 
/**
 * Include the last 7 days' resolved escalations after the open ones.
 */
include_resolved: boolean, };

export type AlertKind = "urgent_escalation" | "escalation_breach" | "callback_breach";

export type Alert = { id: number, kind: AlertKind, 
/**
 * "escalation" or "callback_task": what clicking the alert opens.
 */
entity: string, entity_id: number, urgent: boolean, title: string, body: string, created_at: number, seen: boolean, delivered: boolean, 
/**
 * Why the desktop notification could not be shown, if it could not.
 */
delivery_error: string | null, };

export type AlertList = { alerts: Array<Alert>, unseen: number, 
/**
 * Open urgent items (urgent escalations), the number the tray shows.
 */
urgent_open: number, };

export type MarkSeenRequest = { 
/**
 * The alerts to mark seen; all unseen ones when empty.
 */
alert_ids: Array<number>, };

export type DesktopAlerts = "all" | "urgent_only" | "none";

export type AlertPreferences = { desktop_alerts: DesktopAlerts, };

export type ReviewItem = { review_id: number, patient_id: number, patient_name: string, candidates: number, created_at: number, };

export type WorkWaiting = { 
/**
 * Open escalations: urgent first, then high, then normal; oldest first within each.
 */
escalations: Array<Escalation>, 
/**
 * Open callbacks, oldest missed call first.
 */
callbacks: Array<CallbackTask>, callback_sla_minutes: number, reviews: Array<ReviewItem>, 
/**
 * Tomorrow's appointments still only booked (not confirmed).
 */
unconfirmed_tomorrow: Array<AppointmentRow>, tomorrow: string, };

export type TimeOfDay = "any" | "morning" | "afternoon";

export type SlotQuery = { service_id: number, doctor_id: number | null, 
/**
 * A doctor's name as people say it: "Dr. Chen", "chen", "anita".
 */
doctor: string | null, department: string | null, branch_id: number | null, time_of_day: TimeOfDay | null, 
/**
 * `YYYY-MM-DD`; a past date is clamped to today. Default: today.
 */
from_date: string | null, 
/**
 * `YYYY-MM-DD`, inclusive. Default: 60 days after `from_date` (the same day for `free_slots`).
 */
to_date: string | null, exclude_dates: Array<string>, limit: number | null, };

export type Slot = { doctor_id: number, doctor_name: string, department: string, branch_id: number, branch_name: string, starts_at: number, ends_at: number, 
/**
 * `YYYY-MM-DD` in the clinic's zone.
 */
date: string, start_local: string, end_local: string, };

export type SlotList = { slots: Array<Slot>, 
/**
 * The dates actually searched (after clamping a past start to today).
 */
searched_from: string, searched_to: string, timezone: string, };

export type DoctorOption = { id: number, name: string, department: string, branch_ids: Array<number>, };

export type ServiceOption = { id: number, code: string, name: string, duration_minutes: number, };

export type BookingOptions = { branches: Array<Branch>, departments: Array<string>, doctors: Array<DoctorOption>, services: Array<ServiceOption>, relationships: Array<string>, timezone: string, today: string, };

export type BookRequest = { patient_id: number, 
/**
 * Who is on the phone; empty for walk-ins and when the patient calls.
 */
caller_name: string, 
/**
 * The caller's relationship to the patient ("self" when the patient called).
 */
caller_relationship: string, doctor_id: number, branch_id: number, service_id: number, starts_at: number, 
/**
 * The chief complaint.
 */
reason: string, source: Source, 
/**
 * Source or referral details ("Dr. Rao's referral", "Google", "newspaper").
 */
referral: string, notes: string, follow_up: boolean, 
/**
 * `YYYY-MM-DD`, when `follow_up` is set.
 */
follow_up_on: string | null, };

export type RescheduleRequest = { appointment_id: number, doctor_id: number, branch_id: number, starts_at: number, 
/**
 * A different service (length); the current one when absent.
 */
service_id: number | null, };

export type CancelRequest = { appointment_id: number, reason: string, };

export type SlotChange = { appointment: AppointmentRow, 
/**
 * The new appointment, for a reschedule.
 */
new_appointment: AppointmentRow | null, freed: Slot | null, 
/**
 * The service of the released appointment: the default for booking an offer into the slot.
 */
freed_service_id: number | null, offers: Array<WaitlistOffer>, };

export type WalkInRequest = { patient_id: number, branch_id: number, 
/**
 * A particular doctor; the first free doctor at the branch when absent.
 */
doctor_id: number | null, service_id: number, reason: string, };

export type WalkIn = { id: number, patient_id: number, patient_name: string, branch_id: number, doctor_id: number | null, service_name: string, reason: string, arrived_at: number, };

export type WalkInResult = { appointment: AppointmentRow | null, queued: WalkIn | null, };

export type WalkInOutcome = "seen" | "left";

export type WalkInDoneRequest = { walk_in_id: number, outcome: WalkInOutcome, };

export type PhoneCheckRequest = { text: string, };

export type PhoneCheck = { e164: string, 
/**
 * As people in the clinic's region write it.
 */
display: string, };

export type WaitlistAddRequest = { patient_id: number, doctor_id: number | null, branch_id: number | null, service_id: number | null, 
/**
 * Acceptable weekdays, 0 = Monday … 6 = Sunday; empty means any day.
 */
weekdays: Array<number>, time_of_day: TimeOfDay, urgent: boolean, note: string, };

export type WaitlistEntry = { id: number, patient_id: number, patient_name: string, phone: string | null, doctor_id: number | null, doctor_name: string | null, branch_id: number | null, branch_name: string | null, service_id: number | null, weekdays: Array<number>, time_of_day: TimeOfDay, urgent: boolean, note: string, created_at: number, };

export type WaitlistOffer = { entry: WaitlistEntry, 
/**
 * Why they fit, e.g. "wants Dr. Chen · mornings · urgent".
 */
fits: string, };

export type WaitlistRemoveRequest = { entry_id: number, reason: string, };

export type WaitlistOffersRequest = { doctor_id: number, branch_id: number, starts_at: number, ends_at: number, };

export type WaitlistBookRequest = { entry_id: number, doctor_id: number, branch_id: number, service_id: number, starts_at: number, };

export type SearchRequest = { 
/**
 * Whatever was typed: a name, a phone number, an MRN or health-card number, `#1234`.
 */
query: string, 
/**
 * At most this many patients (default 20, at most 100).
 */
limit: number | null, };

export type PatientHit = { id: number, name: string, age: number | null, sex: string, 
/**
 * The matched phone for a phone search, else the primary phone, as the clinic writes it.
 */
phone: string | null, mrn: string | null, 
/**
 * What matched: "name", "name (close match)", "phone", "MRN" or "health card".
 */
matched: string, 
/**
 * The next booked visit, e.g. "Tue 24 Nov 2026 09:30 · Dr. Anita Chen", in the clinic's zone.
 */
next_appointment: string | null, };

export type AppointmentHit = { id: number, patient_id: number, patient_name: string, 
/**
 * `YYYY-MM-DD` in the clinic's zone.
 */
date: string, 
/**
 * `HH:MM` in the clinic's zone.
 */
start_local: string, doctor_name: string, status: Status, };

export type SearchResults = { 
/**
 * The query these results answer, so a search-as-you-type box can drop stale answers.
 */
query: string, 
/**
 * Best match first: exact, then prefix, then close matches; by name within each.
 */
patients: Array<PatientHit>, appointments: Array<AppointmentHit>, 
/**
 * True when more patients match than were returned: type more to narrow it down.
 */
more_patients: boolean, };

export type CreatePatientRequest = { given_name: string, family_name: string, 
/**
 * `YYYY-MM-DD`, not in the future.
 */
date_of_birth: string | null, 
/**
 * "female", "male", "other" or "unknown".
 */
sex: string, 
/**
 * Any format; numbers without a country code are read in the clinic's region.
 */
phone: string, 
/**
 * The patient's relationship to the phone's holder ("self" when absent): self, spouse, child,
 * parent, sibling, other.
 */
phone_relationship: string | null, email: string | null, mrn: string | null, health_card: string | null, 
/**
 * A language code such as "en", "fr", "hi", "pa" ("en" when absent).
 */
preferred_language: string | null, consent_sms: boolean, consent_whatsapp: boolean, consent_email: boolean, 
/**
 * Where they live (every part optional).
 */
address: Address, };

export type DuplicateCandidate = { patient_id: number, name: string, age: number | null, date_of_birth: string | null, 
/**
 * The primary phone, as the clinic writes it.
 */
phone: string | null, 
/**
 * 0–100; a review opens at 50.
 */
score: number, 
/**
 * What they share: "same phone", "same date of birth", "same name", "similar name", "same health card".
 */
reasons: Array<string>, };

export type CreatedPatient = { patient_id: number, 
/**
 * The registration review opened because the patient looks like someone already registered.
 */
review_id: number | null, 
/**
 * Everyone the new patient shares a phone, a health card or a birthday-and-name with, best first.
 */
candidates: Array<DuplicateCandidate>, };

export type PatientRequest = { patient_id: number, };

export type Visit = { id: number, 
/**
 * `YYYY-MM-DD` in the clinic's zone.
 */
date: string, 
/**
 * `HH:MM` in the clinic's zone.
 */
start_local: string, doctor_name: string, branch_name: string, service_name: string, status: Status, reason: string, };

export type PatientNote = { id: number, patient_id: number, body: string, author_name: string, 
/**
 * Unix seconds.
 */
created_at: number, };

export type SharedPhonePerson = { patient_id: number, name: string, age: number | null, 
/**
 * Their relationship to the phone's holder: self, spouse, child, parent, sibling, other.
 */
relationship: string, 
/**
 * The shared number, as the clinic writes it.
 */
phone: string, };

export type ReviewPatient = { patient_id: number, name: string, age: number | null, date_of_birth: string | null, sex: string, phone: string | null, mrn: string | null, 
/**
 * Unix seconds.
 */
registered_at: number, };

export type RegistrationReview = { id: number, 
/**
 * Unix seconds.
 */
created_at: number, patient: ReviewPatient, 
/**
 * Best first.
 */
candidates: Array<DuplicateCandidate>, };

export type Patient360 = { card: PatientCard, consent_sms: boolean, consent_whatsapp: boolean, consent_email: boolean, 
/**
 * Unix seconds.
 */
registered_at: number, 
/**
 * From now on (and visits in progress), soonest first.
 */
upcoming: Array<Visit>, 
/**
 * Most recent first, at most 50.
 */
past: Array<Visit>, 
/**
 * Newest first.
 */
notes: Array<PatientNote>, shared_phone: Array<SharedPhonePerson>, 
/**
 * An open registration review this patient is part of.
 */
open_review: RegistrationReview | null, 
/**
 * Missed calls from the patient's numbers and their callbacks (status, attempts), newest
 * first, at most 50. Empty when the caller may not work the callback queue.
 */
callbacks: Array<CallbackTask>, 
/**
 * Set when this record was merged into another; show that one instead.
 */
merged_into: number | null, 
/**
 * The merges this record took part in (kept, or merged away), newest first, undone ones
 * included: what "Undo merge" is offered for.
 */
merges: Array<MergeSummary>, 
/**
 * The details as the edit form loads them (the address is shown from here).
 */
details: PatientDetails, 
/**
 * Corrections of the details, newest first, at most 50: who, when, which fields.
 */
edits: Array<PatientEdit>, 
/**
 * Whether the caller may add notes, correct the details and resolve reviews.
 */
can_edit: boolean, 
/**
 * Whether the caller may merge records and undo merges.
 */
can_merge: boolean, };

export type AddNoteRequest = { patient_id: number, body: string, };

export type ReviewDecision = "merge" | "distinct";

export type ResolveReviewRequest = { review_id: number, decision: ReviewDecision, 
/**
 * For a merge: the record to keep, the new registration or one of its candidates. When
 * absent, the best candidate is kept and the new registration is merged into it.
 */
keep_patient_id: number | null, };

export type ResolvedReview = { review_id: number, decision: ReviewDecision, kept_patient_id: number | null, merged_patient_id: number | null, 
/**
 * The merge, for [`unmerge`] ("Undo").
 */
merge_id: number | null, appointments_moved: number, notes_moved: number, phones_moved: number, };

export type MergeSummary = { merge_id: number, 
/**
 * The other record of the merge.
 */
other_patient_id: number, 
/**
 * True when this record was kept (the other was merged into it), false when this record is
 * the one merged away.
 */
kept_this: boolean, 
/**
 * Unix seconds.
 */
merged_at: number, merged_by_name: string | null, 
/**
 * Unix seconds; set once the merge was undone (it cannot be undone twice).
 */
undone_at: number | null, };

export type UnmergeRequest = { merge_id: number, };

export type Unmerged = { merge_id: number, kept_patient_id: number, 
/**
 * The record the merge had folded into the kept one.
 */
restored_patient_id: number, 
/**
 * Appointments returned, with any booked since the merge in place of one of them (a
 * reschedule, a wait-list entry or walk-in given a slot).
 */
appointments_returned: number, notes_returned: number, phones_returned: number, 
/**
 * The registration review the merge decided, open again for a new decision.
 */
reopened_review_id: number | null, };

export type Address = { 
/**
 * Street and number, flat or unit.
 */
address_line: string | null, city: string | null, 
/**
 * Province or state.
 */
region: string | null, postal_code: string | null, };

export type DetailPhone = { id: number, e164: string, 
/**
 * As the clinic writes it.
 */
display: string, label: string, relationship: string, };

export type PatientDetails = { 
/**
 * Carried back in [`UpdatePatientRequest::version`].
 */
version: number, given_name: string, family_name: string, date_of_birth: string | null, sex: string, 
/**
 * The primary first.
 */
phones: Array<DetailPhone>, email: string | null, mrn: string | null, health_card: string | null, preferred_language: string, address: Address, consent_sms: boolean, consent_whatsapp: boolean, consent_email: boolean, };

export type PatientEdit = { 
/**
 * Unix seconds.
 */
at: number, staff_name: string | null, 
/**
 * `given_name`, `phones`, `postal_code`, … in the form's order.
 */
fields: Array<string>, };

export type PhoneInput = { 
/**
 * The stored phone this row corrects (`PatientDetails.phones[].id`); null for a number added.
 */
id: number | null, 
/**
 * Any format; numbers without a country code are read in the clinic's region.
 */
number: string, 
/**
 * mobile, home, work or other ("mobile" when absent).
 */
label: string | null, 
/**
 * The patient's relationship to the phone's holder ("self" when absent): self, spouse,
 * child, parent, sibling, other.
 */
relationship: string | null, };

export type UpdatePatientRequest = { patient_id: number, 
/**
 * `PatientDetails.version` as the form was loaded: the edit is refused if the record
 * changed since.
 */
version: number, given_name: string, family_name: string, 
/**
 * `YYYY-MM-DD`, not in the future; null when not known.
 */
date_of_birth: string | null, 
/**
 * "female", "male", "other" or "unknown".
 */
sex: string, 
/**
 * Every phone the record keeps, the primary first (at least one); a stored phone left out
 * is removed.
 */
phones: Array<PhoneInput>, email: string | null, mrn: string | null, health_card: string | null, 
/**
 * A language code such as "en", "fr", "hi", "pa".
 */
preferred_language: string, address: Address, consent_sms: boolean, consent_whatsapp: boolean, consent_email: boolean, };

export type UpdatedPatient = { patient_id: number, 
/**
 * The record's version now: what the next edit carries.
 */
version: number, 
/**
 * The fields changed (`family_name`, `phones`, `postal_code`, …); empty when the form
 * changed nothing (then nothing was written).
 */
changed: Array<string>, 
/**
 * The open registration review the edited patient was screened into: they now look like
 * someone already registered.
 */
review_id: number | null, 
/**
 * Everyone the edited patient shares a phone, a health card or a birthday-and-name with,
 * best first. Screened again only when a name, the date of birth, the health card or the
 * phones changed; empty otherwise.
 */
candidates: Array<DuplicateCandidate>, };

export type StaffMember = { staff_id: number, username: string, display_name: string, email: string | null, role: Role, active: boolean, 
/**
 * Locked out after too many wrong passwords, until the lockout ends or someone unlocks it.
 */
locked: boolean, 
/**
 * Holds a temporary password: must choose their own at the next sign-in.
 */
must_change_password: boolean, 
/**
 * The doctor on the schedule this account is, for doctor accounts.
 */
doctor_id: number | null, doctor_name: string | null, 
/**
 * Unix seconds.
 */
created_at: number, };

export type RoleCount = { role: Role, active: number, total: number, };

export type StaffDirectory = { staff: Array<StaffMember>, counts: Array<RoleCount>, };

export type CreateStaffRequest = { display_name: string, username: string, email: string | null, role: Role, 
/**
 * Given to the person; they must replace it at their first sign-in.
 */
temporary_password: string, 
/**
 * For a doctor account: the doctor on the schedule it is (not yet linked to anyone).
 */
doctor_id: number | null, };

export type UpdateStaffRequest = { staff_id: number, display_name: string, email: string | null, role: Role, 
/**
 * The doctor on the schedule this account is (doctor accounts only); `None` unlinks.
 */
doctor_id: number | null, };

export type SetStaffActiveRequest = { staff_id: number, active: boolean, };

export type StaffRef = { staff_id: number, };

export type ResetPasswordRequest = { staff_id: number, temporary_password: string, };

export type ChangePasswordRequest = { current_password: string, new_password: string, };

export type AccessProfileRequest = { role: Role, };

export type ActionAccess = { action: Action, description: string, allowed: boolean, };

export type AccessProfile = { role: Role, 
/**
 * One sentence on what the role is for.
 */
description: string, 
/**
 * Every action, in [`Action::ALL`]'s order.
 */
actions: Array<ActionAccess>, };

export type BranchStatus = "active" | "temporarily_closed" | "permanently_closed";

export type WeeklyHours = { weekday: number, start: string, end: string, };

export type BranchPhone = { 
/**
 * As typed in a request; E.164 in an answer.
 */
phone: string, 
/**
 * How the clinic's region writes it (answers only).
 */
display: string, 
/**
 * "Main", "Appointments", "Lab"…
 */
label: string, };

export type BranchDetail = { id: number, name: string, address: string, status: BranchStatus, phones: Array<BranchPhone>, hours: Array<WeeklyHours>, 
/**
 * Active doctors who work here.
 */
doctors: number, 
/**
 * Booked or confirmed appointments from now on.
 */
upcoming_appointments: number, };

export type DoctorHours = { branch_id: number, weekday: number, start: string, end: string, slot_minutes: number, };

export type DoctorDetail = { id: number, name: string, department: string, specialties: string, active: boolean, branch_ids: Array<number>, hours: Array<DoctorHours>, 
/**
 * The staff account that signs in as this doctor, if any.
 */
staff_id: number | null, };

export type NewPatientRule = "any" | "new_only" | "returning_only";

export type ServiceDetail = { id: number, code: string, name: string, duration_minutes: number, department: string, new_patient_rule: NewPatientRule, active: boolean, };

export type ExceptionKind = "leave" | "training" | "holiday";

export type ExceptionRow = { id: number, kind: ExceptionKind, doctor_id: number | null, branch_id: number | null, 
/**
 * "Dr. Rao: leave", "Clinic holiday", "Lakeshore closed".
 */
label: string, starts_on: string, ends_on: string, reason: string, };

export type AffectedAppointment = { appointment_id: number, patient_id: number, patient_name: string, doctor_name: string, branch_name: string, 
/**
 * `YYYY-MM-DD` in the clinic's zone.
 */
date: string, date_label: string, start_local: string, 
/**
 * Why it no longer fits, as the booking form would say it.
 */
reason: string, };

export type ChangeOutcome = { saved: boolean, 
/**
 * The record saved (a new branch, doctor or exception).
 */
id: number | null, affected: Array<AffectedAppointment>, };

export type SetupChecklist = { branches: number, doctors: number, doctors_with_hours: number, services: number, 
/**
 * Active accounts other than owners.
 */
staff: number, patients: number, dismissed: boolean, done: boolean, };

export type Practice = { branches: Array<BranchDetail>, doctors: Array<DoctorDetail>, services: Array<ServiceDetail>, 
/**
 * Exceptions that end today or later.
 */
exceptions: Array<ExceptionRow>, 
/**
 * Departments in use, for the pickers.
 */
departments: Array<string>, to_rebook: Array<AffectedAppointment>, checklist: SetupChecklist, };

export type SaveBranchRequest = { 
/**
 * Absent for a new branch.
 */
id: number | null, name: string, address: string, phones: Array<BranchPhone>, hours: Array<WeeklyHours>, };

export type BranchStatusRequest = { branch_id: number, status: BranchStatus, 
/**
 * Go ahead although booked appointments will have to be rebooked.
 */
confirmed: boolean, };

export type SaveDoctorRequest = { id: number | null, name: string, department: string, specialties: string, branch_ids: Array<number>, active: boolean, confirmed: boolean, };

export type DoctorHoursRequest = { doctor_id: number, 
/**
 * The doctor's whole week; replaces what was there.
 */
hours: Array<DoctorHours>, confirmed: boolean, };

export type AddExceptionRequest = { kind: ExceptionKind, 
/**
 * Leave and training: the doctor. A holiday: none.
 */
doctor_id: number | null, 
/**
 * A holiday at one branch; the whole clinic when absent.
 */
branch_id: number | null, starts_on: string, ends_on: string, reason: string, confirmed: boolean, };

export type ExceptionRequest = { exception_id: number, };

export type SaveServiceRequest = { id: number | null, code: string, name: string, duration_minutes: number, department: string, new_patient_rule: NewPatientRule, active: boolean, };

export type ChecklistRequest = { dismissed: boolean, };

export type SupportScope = "schedule" | "schedule_and_patients";

export type SupportAccess = "ask" | "off";

export type SupportStatus = "requested" | "approved" | "denied" | "ended" | "expired";

export type SupportSession = { id: number, 
/**
 * The support person.
 */
staff_id: number, staff_name: string, reason: string, scope: SupportScope, 
/**
 * The length asked for (and, once approved, given).
 */
minutes: number, 
/**
 * At the time of the question.
 */
status: SupportStatus, 
/**
 * Unix seconds, like every time below.
 */
requested_at: number, decided_by_name: string | null, decided_at: number | null, deny_reason: string | null, starts_at: number | null, expires_at: number | null, ended_by_name: string | null, ended_at: number | null, 
/**
 * How many audit rows carry this session (the support person's reads and actions in it).
 */
events: number, };

export type SupportBanner = { id: number, 
/**
 * The support person (their own window says "you").
 */
staff_id: number, staff_name: string, reason: string, scope: SupportScope, starts_at: number, expires_at: number, };

export type SupportDesk = { access: SupportAccess, sessions: Array<SupportSession>, };

export type MySupport = { access: SupportAccess, latest: SupportSession | null, };

export type SupportEvent = { seq: number, at: number, actor_name: string | null, actor_role: string, 
/**
 * e.g. `patient.viewed`, `support.approved`.
 */
action: string, entity: string, entity_id: string, summary: string, 
/**
 * Whether the row carries the session id (done inside it), rather than being about it.
 */
in_session: boolean, };

export type SupportSessionHistory = { session: SupportSession, events: Array<SupportEvent>, };

export type SupportRequest = { 
/**
 * What the support person needs to investigate, for the owner to decide on.
 */
reason: string, 
/**
 * 15 to 480.
 */
minutes: number, scope: SupportScope, };

export type SupportDecision = { id: number, approve: boolean, 
/**
 * Optional words for the support person when denying.
 */
deny_reason: string | null, };

export type SupportSessionRef = { id: number, };

export type SupportAccessRequest = { access: SupportAccess, };

export type ColumnMapping = { full_name: number | null, given_name: number | null, family_name: number | null, date_of_birth: number | null, sex: number | null, phone: number | null, email: number | null, 
/**
 * The other system's MRN or chart number: kept as the patient's MRN, and the row's source key.
 */
mrn: number | null, health_card: number | null, preferred_language: number | null, };

export type DateFormat = "iso" | "day_first" | "month_first";

export type UploadRequest = { file_name: string, 
/**
 * The file's bytes, base64 (a `data:…;base64,` prefix is allowed): the window reads the file
 * with a file input, and the bytes must reach the core untouched so that an encoding other
 * than UTF-8 is told apart rather than silently replaced.
 */
content_base64: string, };

export type Upload = { upload_id: number, file_name: string, 
/**
 * ",", ";" or "\t".
 */
delimiter: string, header: Array<string>, 
/**
 * The first few rows, cell by cell, for the mapping screen.
 */
sample_rows: Array<Array<string>>, 
/**
 * Data rows (blank lines are not counted).
 */
row_count: number, suggested: ColumnMapping, date_format: DateFormat, 
/**
 * True when the suggestion is the mapping saved the last time a file with this header was
 * previewed.
 */
from_saved_mapping: boolean, };

export type PreviewRequest = { upload_id: number, mapping: ColumnMapping, date_format: DateFormat, };

export type RowIssue = { 
/**
 * The row as a spreadsheet numbers it (the header is row 1).
 */
row: number, 
/**
 * The row's name as read (may be empty: "no name" is a reason).
 */
name: string, 
/**
 * The field the reason is about, for a refused row.
 */
field: string | null, reason: string, };

export type Preview = { upload_id: number, total: number, 
/**
 * Imported as they are.
 */
clean: number, 
/**
 * Imported, each with a registration review to work in Registrations.
 */
review: number, 
/**
 * Not imported; each listed with its reason.
 */
refused: number, 
/**
 * Already brought in by an earlier import; skipped.
 */
already_imported: number, 
/**
 * The first [`LISTED_ROWS`] refused rows.
 */
refused_rows: Array<RowIssue>, 
/**
 * The first [`LISTED_ROWS`] rows to review.
 */
review_rows: Array<RowIssue>, };

export type ImportResult = { batch_id: number, total: number, imported: number, review: number, refused: number, already_imported: number, };

export type ImportBatch = { id: number, file_name: string, 
/**
 * Unix seconds.
 */
imported_at: number, imported_by: string, total: number, imported: number, review: number, refused: number, already_imported: number, };

/** The statuses an appointment in each status may move to next (the core's status cycle). */
export const STATUS_NEXT: Record<Status, readonly Status[]> = {
  booked: ["confirmed", "arrived", "no_show", "cancelled", "rescheduled"],
  confirmed: ["booked", "arrived", "no_show", "cancelled", "rescheduled"],
  arrived: ["in_room", "completed", "confirmed", "no_show"],
  in_room: ["completed", "arrived"],
  completed: [],
  no_show: ["arrived", "booked"],
  cancelled: [],
  rescheduled: [],
};

/** The name of the event every window receives after each committed change. */
export const EVENT_CHANNEL = "frontdesk://event";

/** Whether the clinic needs first-run setup, and whether it is the demo clinic. */
export function setupStatus(): Promise<SetupStatus> {
  return invoke("setup_status");
}

/** First run: create the clinic and the owner account. */
export function setupClinic(req: SetupRequest): Promise<null> {
  return invoke("setup_clinic", { req });
}

/** Sign in on this desk. */
export function signIn(req: SignInRequest): Promise<SessionInfo> {
  return invoke("sign_in", { req });
}

/** Sign out of this desk. */
export function signOut(): Promise<null> {
  return invoke("sign_out");
}

/** Lock the desk now (idle timer or Ctrl+L). */
export function lockSession(): Promise<null> {
  return invoke("lock_session");
}

/** Unlock with the signed-in person's password. */
export function unlockSession(req: UnlockRequest): Promise<SessionInfo> {
  return invoke("unlock_session", { req });
}

/** Who is signed in (errors with not_signed_in or session_locked). */
export function currentSession(): Promise<SessionInfo> {
  return invoke("current_session");
}

/** Record keyboard or mouse activity for the idle lock. */
export function touchSession(): Promise<null> {
  return invoke("touch_session");
}

/** The schedule of one day. */
export function daySchedule(req: DayRequest): Promise<DayView> {
  return invoke("day_schedule", { req });
}

/** Today's appointments by status, all branches (the frame's open count). */
export function todayCounts(): Promise<TodayCounts> {
  return invoke("today_counts");
}

/** One appointment with its patient card and history. */
export function appointmentDetail(req: AppointmentRequest): Promise<AppointmentDetail> {
  return invoke("appointment_detail", { req });
}

/** Move an appointment to a new status. */
export function setAppointmentStatus(req: SetStatusRequest): Promise<AppointmentRow> {
  return invoke("set_appointment_status", { req });
}

/** Change the clinic's idle lock and wait thresholds. */
export function updateSettings(req: SettingsRequest): Promise<null> {
  return invoke("update_settings", { req });
}

/** The settings control center: profile, retention, AI-safety rules, recent changes. */
export function controlCenter(): Promise<ControlCenter> {
  return invoke("control_center");
}

/** Change the clinic's name, time zone, phone region and retention window. */
export function updateClinicProfile(req: ClinicProfileRequest): Promise<null> {
  return invoke("update_clinic_profile", { req });
}

/** Walk the audit chain and report the first broken link. */
export function verifyAudit(): Promise<Verification> {
  return invoke("verify_audit");
}

/** Branches, departments, doctors and services for the booking form. */
export function bookingOptions(): Promise<BookingOptions> {
  return invoke("booking_options");
}

/** Every free slot in a date range (default: one day). */
export function freeSlots(req: SlotQuery): Promise<SlotList> {
  return invoke("free_slots", { req });
}

/** The earliest free slots for the filters given. */
export function findEarliest(req: SlotQuery): Promise<SlotList> {
  return invoke("find_earliest", { req });
}

/** Book an appointment (refused if either calendar is taken). */
export function bookAppointment(req: BookRequest): Promise<AppointmentRow> {
  return invoke("book_appointment", { req });
}

/** Move an appointment: the new slot first, the old one released in the same transaction. */
export function rescheduleAppointment(req: RescheduleRequest): Promise<SlotChange> {
  return invoke("reschedule_appointment", { req });
}

/** Cancel an appointment with a reason. */
export function cancelAppointment(req: CancelRequest): Promise<SlotChange> {
  return invoke("cancel_appointment", { req });
}

/** A walk-in: the next free minute today, or the untimed walk-in list. */
export function walkIn(req: WalkInRequest): Promise<WalkInResult> {
  return invoke("walk_in", { req });
}

/** Take a walk-in off the untimed list (seen, or left). */
export function walkInDone(req: WalkInDoneRequest): Promise<null> {
  return invoke("walk_in_done", { req });
}

/** What a typed phone number will be saved as. */
export function checkPhone(req: PhoneCheckRequest): Promise<PhoneCheck> {
  return invoke("check_phone", { req });
}

/** The untimed walk-in list. */
export function walkIns(): Promise<Array<WalkIn>> {
  return invoke("walk_ins");
}

/** The open wait list, urgent first, then oldest. */
export function waitlist(): Promise<Array<WaitlistEntry>> {
  return invoke("waitlist");
}

/** Put a patient on the wait list. */
export function addToWaitlist(req: WaitlistAddRequest): Promise<WaitlistEntry> {
  return invoke("add_to_waitlist", { req });
}

/** Take a patient off the wait list. */
export function removeFromWaitlist(req: WaitlistRemoveRequest): Promise<null> {
  return invoke("remove_from_waitlist", { req });
}

/** The wait-listed patients who fit a slot. */
export function waitlistOffers(req: WaitlistOffersRequest): Promise<Array<WaitlistOffer>> {
  return invoke("waitlist_offers", { req });
}

/** Book a wait-listed patient into a slot and close their entry. */
export function bookFromWaitlist(req: WaitlistBookRequest): Promise<AppointmentRow> {
  return invoke("book_from_waitlist", { req });
}

/** Search patients (name, phone, MRN, health card) and appointments (#1234). */
export function search(req: SearchRequest): Promise<SearchResults> {
  return invoke("search", { req });
}

/** Register a patient; look-alikes of existing patients open a registration review. */
export function createPatient(req: CreatePatientRequest): Promise<CreatedPatient> {
  return invoke("create_patient", { req });
}

/** Everything about one patient: card, consents, visits, notes, family on the same phone. */
export function patientRecord(req: PatientRequest): Promise<Patient360> {
  return invoke("patient_record", { req });
}

/** Correct a patient's details (refused if the record changed since the form was loaded); a look-alike opens a review. */
export function updatePatient(req: UpdatePatientRequest): Promise<UpdatedPatient> {
  return invoke("update_patient", { req });
}

/** Add a note to a patient's record. */
export function addPatientNote(req: AddNoteRequest): Promise<PatientNote> {
  return invoke("add_patient_note", { req });
}

/** The open registration reviews, oldest first. */
export function registrationReviews(): Promise<Array<RegistrationReview>> {
  return invoke("registration_reviews");
}

/** Resolve a registration review: merge the two records or keep them distinct. */
export function resolveReview(req: ResolveReviewRequest): Promise<ResolvedReview> {
  return invoke("resolve_review", { req });
}

/** Undo a merge (owner, admin): both records exactly as they were before it. */
export function unmerge(req: UnmergeRequest): Promise<Unmerged> {
  return invoke("unmerge", { req });
}

/** What needs a person now: escalations, callbacks, registration reviews, unconfirmed tomorrow. */
export function workWaiting(): Promise<WorkWaiting> {
  return invoke("work_waiting");
}

/** Record a missed call (a repeat from the same number updates its open task). */
export function recordMissedCall(req: MissedCallRequest): Promise<CallbackTask> {
  return invoke("record_missed_call", { req });
}

/** The callback queue, oldest first. */
export function callbackQueue(req: CallbackListRequest): Promise<CallbackQueue> {
  return invoke("callback_queue", { req });
}

/** One callback task with its attempts. */
export function callbackTask(req: CallbackRequest): Promise<CallbackTask> {
  return invoke("callback_task", { req });
}

/** Take the oldest unassigned callback (null when the queue is empty). */
export function assignNextCallback(): Promise<CallbackTask | null> {
  return invoke("assign_next_callback");
}

/** Log a callback attempt and its outcome. */
export function logCallbackAttempt(req: CallbackAttemptRequest): Promise<CallbackTask> {
  return invoke("log_callback_attempt", { req });
}

/** Raise an escalation (urgent symptoms are always urgent). */
export function createEscalation(req: EscalationRequest): Promise<Escalation> {
  return invoke("create_escalation", { req });
}

/** Open escalations, most severe and oldest first. */
export function escalations(req: EscalationListRequest): Promise<Array<Escalation>> {
  return invoke("escalations", { req });
}

/** One escalation with its notes. */
export function escalation(req: EscalationRef): Promise<Escalation> {
  return invoke("escalation", { req });
}

/** Take ownership of an escalation. */
export function takeEscalation(req: EscalationRef): Promise<Escalation> {
  return invoke("take_escalation", { req });
}

/** Add a note to an escalation. */
export function addEscalationNote(req: EscalationNoteRequest): Promise<Escalation> {
  return invoke("add_escalation_note", { req });
}

/** Resolve an escalation with its outcome. */
export function resolveEscalation(req: ResolveEscalationRequest): Promise<Escalation> {
  return invoke("resolve_escalation", { req });
}

/** Reopen a resolved escalation. */
export function reopenEscalation(req: EscalationRef): Promise<Escalation> {
  return invoke("reopen_escalation", { req });
}

/** The latest alerts and the unseen count. */
export function alerts(): Promise<AlertList> {
  return invoke("alerts");
}

/** Mark alerts seen (all unseen when the list is empty). */
export function markAlertsSeen(req: MarkSeenRequest): Promise<null> {
  return invoke("mark_alerts_seen", { req });
}

/** The signed-in person's desktop-alert setting. */
export function alertPreferences(): Promise<AlertPreferences> {
  return invoke("alert_preferences");
}

/** Change the signed-in person's desktop-alert setting. */
export function setAlertPreferences(req: AlertPreferences): Promise<AlertPreferences> {
  return invoke("set_alert_preferences", { req });
}

/** Every staff account and the count of each role (owner, admin). */
export function staffDirectory(): Promise<StaffDirectory> {
  return invoke("staff_directory");
}

/** Add a staff account with a temporary password, to be changed at the first sign-in. */
export function createStaff(req: CreateStaffRequest): Promise<StaffMember> {
  return invoke("create_staff", { req });
}

/** Change a staff account's name, email, role and doctor link. */
export function updateStaff(req: UpdateStaffRequest): Promise<StaffMember> {
  return invoke("update_staff", { req });
}

/** Deactivate (their sessions end at once) or reactivate a staff account. */
export function setStaffActive(req: SetStaffActiveRequest): Promise<StaffMember> {
  return invoke("set_staff_active", { req });
}

/** Lift a lockout after too many wrong passwords. */
export function unlockStaff(req: StaffRef): Promise<StaffMember> {
  return invoke("unlock_staff", { req });
}

/** Give an account a temporary password (it also unlocks it and ends its sessions). */
export function resetStaffPassword(req: ResetPasswordRequest): Promise<StaffMember> {
  return invoke("reset_staff_password", { req });
}

/** Change the signed-in person's own password (a temporary one included); the answer is the session now. */
export function changePassword(req: ChangePasswordRequest): Promise<SessionInfo> {
  return invoke("change_password", { req });
}

/** What a role may do, action by action (any role for owners and admins, one's own for everyone). */
export function accessProfile(req: AccessProfileRequest): Promise<AccessProfile> {
  return invoke("access_profile", { req });
}

/** Branches, doctors and hours, exceptions, services, what to rebook and the setup checklist. */
export function practice(): Promise<Practice> {
  return invoke("practice");
}

/** Add or change a branch: name, address, the numbers patients call, opening hours. */
export function saveBranch(req: SaveBranchRequest): Promise<number> {
  return invoke("save_branch", { req });
}

/** Open or close a branch; booked appointments there are shown first, then listed to rebook. */
export function setBranchStatus(req: BranchStatusRequest): Promise<ChangeOutcome> {
  return invoke("set_branch_status", { req });
}

/** Add or change a doctor: name, department, specialties, branches, active. */
export function saveDoctor(req: SaveDoctorRequest): Promise<ChangeOutcome> {
  return invoke("save_doctor", { req });
}

/** Replace a doctor's weekly sessions (branch, day, times, slot length). */
export function saveDoctorHours(req: DoctorHoursRequest): Promise<ChangeOutcome> {
  return invoke("save_doctor_hours", { req });
}

/** Add leave or training for a doctor, or a holiday for the clinic or a branch. */
export function addException(req: AddExceptionRequest): Promise<ChangeOutcome> {
  return invoke("add_exception", { req });
}

/** Remove leave, training or a holiday. */
export function removeException(req: ExceptionRequest): Promise<null> {
  return invoke("remove_exception", { req });
}

/** Add or change a service: code, name, length, department, who may book it. */
export function saveService(req: SaveServiceRequest): Promise<number> {
  return invoke("save_service", { req });
}

/** Booked appointments a change of hours, leave or a closure left to rebook. */
export function toRebook(): Promise<Array<AffectedAppointment>> {
  return invoke("to_rebook");
}

/** How far the first-run checklist has come (owner and admin). */
export function setupChecklist(): Promise<SetupChecklist> {
  return invoke("setup_checklist");
}

/** Hide or show the first-run checklist on the owner's home. */
export function setChecklistDismissed(req: ChecklistRequest): Promise<null> {
  return invoke("set_checklist_dismissed", { req });
}

/** What the tray icon shows now ("2 urgent", or empty). */
export function trayStatus(): Promise<string> {
  return invoke("tray_status");
}

/** The window reports that a screen has rendered (start-up timing, logged with ids only); the answer is the ms since the process was started. */
export function screenRendered(req: string): Promise<number> {
  return invoke("screen_rendered", { req });
}

/** For support: version, OS, data and log directories, schema version and the log's last lines (ids only). */
export function diagnostics(): Promise<string> {
  return invoke("diagnostics");
}

/** Stage a CSV file (its bytes as base64): checks it is UTF-8, finds the delimiter and header, suggests a column mapping. */
export function importUpload(req: UploadRequest): Promise<Upload> {
  return invoke("import_upload", { req });
}

/** Count what importing a staged file with this mapping would do (clean, to review, refused, already imported) and save the mapping. */
export function importPreview(req: PreviewRequest): Promise<Preview> {
  return invoke("import_preview", { req });
}

/** Import a staged file's clean and review rows in one transaction; review rows open registration reviews. */
export function importCommit(req: PreviewRequest): Promise<ImportResult> {
  return invoke("import_commit", { req });
}

/** Past imports, newest first, with their counts. */
export function importHistory(): Promise<Array<ImportBatch>> {
  return invoke("import_history");
}

/** The clinic's support-access setting and every support session, newest first (owner, admin). */
export function supportSessions(): Promise<SupportDesk> {
  return invoke("support_sessions");
}

/** One support session and everything that happened in it: its audit rows, reads of patient records included (owner, admin). */
export function supportSessionHistory(req: SupportSessionRef): Promise<SupportSessionHistory> {
  return invoke("support_session_history", { req });
}

/** Approve (it starts now, for the minutes asked) or deny a support request (owner, admin). */
export function decideSupportSession(req: SupportDecision): Promise<SupportSession> {
  return invoke("decide_support_session", { req });
}

/** End a running support session early (owner, admin). */
export function endSupportSession(req: SupportSessionRef): Promise<SupportSession> {
  return invoke("end_support_session", { req });
}

/** Whether the clinic takes support requests: ask each time, or off (owner, admin). */
export function setSupportAccess(req: SupportAccessRequest): Promise<null> {
  return invoke("set_support_access", { req });
}

/** Ask for a support session with a reason, a length and a scope (support staff). */
export function requestSupportSession(req: SupportRequest): Promise<SupportSession> {
  return invoke("request_support_session", { req });
}

/** The support person's latest request or session, and whether the clinic takes requests (support staff). */
export function mySupportSession(): Promise<MySupport> {
  return invoke("my_support_session");
}

/** The support person ends their running session, or withdraws the request still waiting (support staff). */
export function endMySupportSession(): Promise<SupportSession> {
  return invoke("end_my_support_session");
}

/** The support sessions running now, for the banner everyone signed in sees. */
export function activeSupportSessions(): Promise<Array<SupportBanner>> {
  return invoke("active_support_sessions");
}

/** A page of the audit log, newest first, through the filters (person, role, action or its prefix, record, days, support session). */
export function auditPage(req: AuditQuery): Promise<AuditPage> {
  return invoke("audit_page", { req });
}

/** What the audit desk's filters offer: the staff, the roles, the actions and kinds of record in the log. */
export function auditFilters(): Promise<AuditFilters> {
  return invoke("audit_filters");
}

/** One record's audit history, newest first. */
export function auditEntityHistory(req: EntityHistoryRequest): Promise<AuditPage> {
  return invoke("audit_entity_history", { req });
}

/** Export the audit rows of a range of days as CSV into the data directory's exports folder (the export is audited). */
export function exportAuditCsv(req: AuditExportRequest): Promise<AuditExport> {
  return invoke("export_audit_csv", { req });
}

