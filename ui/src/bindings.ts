// Generated from the Rust types and the command table by
// `UPDATE_BINDINGS=1 cargo test -p frontdesk-desktop --test bindings`. Do not edit by hand.
/* eslint-disable */
import { invoke } from "@tauri-apps/api/core";

export type ErrorCode = "not_signed_in" | "session_locked" | "forbidden" | "invalid_input" | "not_found" | "conflict" | "bad_credentials" | "account_locked" | "already_set_up" | "not_set_up" | "storage" | "internal";

export type ApiError = { code: ErrorCode, 
/**
 * A sentence for the person at the desk, saying what to do next.
 */
message: string, 
/**
 * The request field the message is about, for inline form errors.
 */
field: string | null, };

export type Event = { "kind": "appointment_changed", appointment_id: number, date: string, } | { "kind": "clinic_changed" } | { "kind": "waitlist_changed" } | { "kind": "walk_ins_changed" } | { "kind": "clinic_set_up" } | { "kind": "session_changed", signed_in: boolean, locked: boolean, };

export type Role = "owner" | "admin" | "receptionist" | "doctor" | "reviewer" | "operations" | "support";

export type Action = "view_schedule" | "update_appointment_status" | "view_patient" | "edit_patient" | "book_appointment" | "view_audit" | "manage_settings" | "manage_staff";

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
 * The demo clinic's published accounts (empty for a real clinic).
 */
demo_accounts: Array<DemoAccount>, };

export type SetupRequest = { clinic_name: string, timezone: string, 
/**
 * Default phone region, a two-letter country code (IN, CA).
 */
phone_region: string, owner_name: string, owner_username: string, owner_password: string, };

export type SettingsRequest = { idle_lock_minutes: number, wait_amber_minutes: number, wait_red_minutes: number, };

export type SignInRequest = { username: string, password: string, };

export type UnlockRequest = { password: string, };

export type SessionInfo = { staff_id: number, display_name: string, username: string, role: Role, permissions: Array<Action>, clinic_name: string, timezone: string, phone_region: string, idle_lock_minutes: number, wait_amber_minutes: number, wait_red_minutes: number, };

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
start_local: string, end_local: string, status: Status, source: Source, reason: string, notes: string, arrived_at: number | null, in_room_at: number | null, completed_at: number | null, 
/**
 * The statuses this appointment may move to next.
 */
next: Array<Status>, };

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
can_update: boolean, };

export type AppointmentRequest = { appointment_id: number, };

export type SetStatusRequest = { appointment_id: number, status: Status, };

export type PhoneRow = { e164: string, 
/**
 * As people in the clinic's region write it.
 */
display: string, label: string, };

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
 * The first row whose link or content does not match, if any.
 */
first_broken_seq: number | null, };

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
new_appointment: AppointmentRow | null, freed: Slot | null, offers: Array<WaitlistOffer>, };

export type WalkInRequest = { patient_id: number, branch_id: number, 
/**
 * A particular doctor; the first free doctor at the branch when absent.
 */
doctor_id: number | null, service_id: number, reason: string, };

export type WalkIn = { id: number, patient_id: number, patient_name: string, branch_id: number, doctor_id: number | null, service_name: string, reason: string, arrived_at: number, };

export type WalkInResult = { appointment: AppointmentRow | null, queued: WalkIn | null, };

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

/** The window reports that a screen has rendered (start-up timing, logged with ids only). */
export function screenRendered(req: string): Promise<null> {
  return invoke("screen_rendered", { req });
}

