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

export type Event = { "kind": "appointment_changed", appointment_id: number, date: string, } | { "kind": "clinic_changed" } | { "kind": "clinic_set_up" } | { "kind": "session_changed", signed_in: boolean, locked: boolean, };

export type Role = "owner" | "admin" | "receptionist" | "doctor" | "reviewer" | "operations" | "support";

export type Action = "view_schedule" | "update_appointment_status" | "view_patient" | "view_audit" | "manage_settings" | "manage_staff";

export type Status = "booked" | "confirmed" | "arrived" | "in_room" | "completed" | "no_show" | "cancelled" | "rescheduled";

export type Source = "phone" | "walk_in" | "voice_agent" | "online" | "emr";

export type DemoAccount = { username: string, display_name: string, role: string, password: string, };

export type SetupStatus = { needs_setup: boolean, clinic_name: string | null, 
/**
 * True for the demo clinic; the sign-in screen then shows the demo accounts.
 */
demo: boolean, 
/**
 * Time zones to offer in the setup form (IANA names).
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

export type AppointmentDetail = { appointment: AppointmentRow, date: string, doctor_name: string, branch_name: string, patient: PatientCard | null, history: Array<HistoryEntry>, };

export type Verification = { rows_checked: number, 
/**
 * The first row whose link or content does not match, if any.
 */
first_broken_seq: number | null, };

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

/** The window reports that a screen has rendered (start-up timing, logged with ids only). */
export function screenRendered(req: string): Promise<null> {
  return invoke("screen_rendered", { req });
}

