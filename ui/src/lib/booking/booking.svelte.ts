// The booking form's state: open or not, which mode, and the drafts. A draft lives here (not in the
// form) so it survives closing the panel, switching screens and the lock screen; it is cleared
// after a successful booking, by "Clear form", or when someone else signs in. Opening the form to
// book always starts empty: an unfinished booking is set aside on the shelf and offered by name.
import { bookingOptions, type AppointmentRow, type BookingOptions, type Source, type TimeOfDay } from "../../bindings";
import { call, isAuthError, onCoreEvent, toApiError } from "../app/api";
import type { PatientRef } from "../app/state.svelte";
import { draftName, Shelf } from "../ui/shelf.svelte";
import { dateLabel, todayIn } from "../app/time";

export type BookingMode = "book" | "reschedule";

export type BookingDraft = {
  patient: PatientRef | null;
  caller_name: string;
  same_as_caller: boolean;
  caller_relationship: string;
  branch_id: string;
  department: string;
  doctor_id: string;
  service_id: string;
  date: string;
  /** `HH:MM` as typed or filled by a slot. */
  time: string;
  /** The slot picked (its doctor/branch win over the selects when they still agree). */
  /** The picked free slot; `label` is its time as shown (with its zone in the repeated autumn hour). */
  slot: { starts_at: number; doctor_id: number; branch_id: number; label: string } | null;
  reason: string;
  source: Source;
  referral: string;
  notes: string;
  follow_up: boolean;
  follow_up_on: string;
  /** Find-earliest filters. */
  doctor_text: string;
  time_of_day: TimeOfDay;
  exclude_dates: string;
  /** Reschedule: the appointment being moved and what it was. */
  appointment_id: number | null;
  from_label: string;
  /** After a failed submit: the form-level message and field messages (kept with the draft). */
  error: string;
  errorCode: string;
  fields: Record<string, string>;
};

export function blankDraft(): BookingDraft {
  return {
    patient: null,
    caller_name: "",
    same_as_caller: false,
    caller_relationship: "self",
    branch_id: "",
    department: "",
    doctor_id: "",
    service_id: "",
    date: "",
    time: "",
    slot: null,
    reason: "",
    source: "phone",
    referral: "",
    notes: "",
    follow_up: false,
    follow_up_on: "",
    doctor_text: "",
    time_of_day: "any",
    exclude_dates: "",
    appointment_id: null,
    from_label: "",
    error: "",
    errorCode: "",
    fields: {},
  };
}

export const booking = $state({
  open: false,
  mode: "book" as BookingMode,
  book: blankDraft(),
  reschedule: blankDraft(),
  /** Bumped on every open so the form can move focus to its first useful field. */
  opened: 0,
});

/** The draft the form is showing: the booking's, or the reschedule's. */
export function currentDraft(): BookingDraft {
  return booking.mode === "book" ? booking.book : booking.reschedule;
}

/** Whether the book draft holds anything typed (so "Book" resumes it). */
export function isDirty(d: BookingDraft): boolean {
  return !!(
    d.patient ||
    d.caller_name ||
    d.reason ||
    d.referral ||
    d.notes ||
    d.doctor_id ||
    d.service_id ||
    d.time ||
    d.follow_up
  );
}

export type OpenBooking = {
  patient?: PatientRef | null;
  branch_id?: number | null;
  doctor_id?: number | null;
  date?: string | null;
};

/** Who an unfinished booking is for, as the offer to resume it says it. */
export function draftLabel(d: BookingDraft): string {
  return draftName([d.patient?.name, d.caller_name], d.reason, "a caller not named yet");
}

/** Unfinished bookings set aside when the form was opened for someone else. */
export const bookShelf = new Shelf<BookingDraft>(isDirty, draftLabel);

/** Sets an unfinished booking aside, without the error of its last attempt (it may be stale). */
function shelve(d: BookingDraft): void {
  bookShelf.setAside({ ...d, error: "", errorCode: "", fields: {} });
}

/**
 * Opens the form to book. A new booking starts empty: the draft in progress, if any, goes on the
 * shelf to be resumed explicitly. The one exception is the form already open on screen — the
 * person sees what is in it — unless it is for a different patient than the one asked for.
 */
export function openBooking(o: OpenBooking = {}): void {
  const cur = booking.book;
  const onScreen = booking.open && booking.mode === "book";
  const samePerson = !o.patient || !cur.patient || cur.patient.id === o.patient.id;
  if (onScreen && samePerson) {
    if (o.patient && !cur.patient) pickInto(cur, o.patient);
  } else {
    shelve(cur);
    const d = blankDraft();
    if (o.patient) pickInto(d, o.patient);
    if (o.branch_id) d.branch_id = String(o.branch_id);
    if (o.doctor_id) d.doctor_id = String(o.doctor_id);
    if (o.date) d.date = o.date;
    booking.book = d;
  }
  booking.mode = "book";
  booking.open = true;
  booking.opened++;
}

function pickInto(d: BookingDraft, p: PatientRef): void {
  d.patient = p;
  if (d.same_as_caller) d.caller_name = p.name;
}

/** Resumes a booking from the shelf; the one in the form, if anything was typed, takes its place. */
export function resumeBooking(d: BookingDraft): void {
  shelve(booking.book);
  booking.book = d;
  booking.mode = "book";
  booking.open = true;
  booking.opened++;
}

export type RescheduleFrom = {
  appointment_id: number;
  patient: PatientRef;
  branch_id: number;
  doctor_id: number;
  department: string;
  service_id: number | null;
  date: string;
  from_label: string;
};

/** Opens the form to move an appointment, prefilled with where it is now. */
export function openReschedule(r: RescheduleFrom): void {
  const cur = booking.reschedule;
  if (cur.appointment_id !== r.appointment_id) {
    const d = blankDraft();
    d.appointment_id = r.appointment_id;
    d.patient = r.patient;
    d.branch_id = String(r.branch_id);
    d.doctor_id = String(r.doctor_id);
    d.department = r.department;
    d.service_id = r.service_id !== null ? String(r.service_id) : "";
    d.date = r.date;
    d.from_label = r.from_label;
    booking.reschedule = d;
  }
  booking.mode = "reschedule";
  booking.open = true;
  booking.opened++;
}

export function closeBooking(): void {
  booking.open = false;
}

export function clearDraft(mode: BookingMode): void {
  if (mode === "book") booking.book = blankDraft();
  else {
    const keep = booking.reschedule;
    const d = blankDraft();
    d.appointment_id = keep.appointment_id;
    d.patient = keep.patient;
    d.from_label = keep.from_label;
    booking.reschedule = d;
  }
}

export function resetBooking(): void {
  bookShelf.clear();
  booking.open = false;
  booking.mode = "book";
  booking.book = blankDraft();
  booking.reschedule = blankDraft();
}

// ---- Options (branches, doctors, services), loaded once and refreshed when the clinic changes ----

export const options = $state({
  data: null as BookingOptions | null,
  error: "",
  loading: false,
});

let optSeq = 0;
export async function loadOptions(force = false): Promise<BookingOptions | null> {
  if (options.data && !force) return options.data;
  const my = ++optSeq;
  options.loading = true;
  try {
    const o = await call(bookingOptions());
    if (my === optSeq) {
      options.data = o;
      options.error = "";
    }
    return o;
  } catch (raw) {
    const e = toApiError(raw);
    if (!isAuthError(e) && my === optSeq) options.error = e.message;
    return null;
  } finally {
    if (my === optSeq) options.loading = false;
  }
}

onCoreEvent((e) => {
  if (e.kind === "clinic_changed" && options.data) loadOptions(true);
});

/** A branch's name from the loaded options ("" when unknown or none). */
export function branchName(id: number | null): string {
  return id === null ? "" : (options.data?.branches.find((b) => b.id === id)?.name ?? "");
}

export const RELATIONSHIP_LABEL: Record<string, string> = {
  self: "The patient (self)",
  parent: "Parent",
  child: "Child",
  spouse: "Spouse / partner",
  sibling: "Brother / sister",
  relative: "Other relative",
  caregiver: "Caregiver",
  other: "Someone else",
};

export const TIME_OF_DAY_LABEL: Record<TimeOfDay, string> = {
  any: "Any time",
  morning: "Mornings (before 12:00)",
  afternoon: "Afternoons (12:00 or later)",
};

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Opens the reschedule form for an appointment row (the drawer's Reschedule, or S on Today). */
export async function rescheduleRow(row: AppointmentRow, tz: string, detail = ""): Promise<void> {
  const o = await loadOptions();
  const date = todayIn(tz, row.starts_at * 1000);
  openReschedule({
    appointment_id: row.id,
    patient: {
      id: row.patient_id,
      name: row.patient_name,
      detail: detail || (row.patient_age !== null ? `${row.patient_age} y` : ""),
    },
    branch_id: row.branch_id,
    doctor_id: row.doctor_id,
    department: o?.doctors.find((x) => x.id === row.doctor_id)?.department ?? "",
    service_id: o?.services.find((s) => s.code === row.service_code)?.id ?? null,
    date: date >= (o?.today ?? date) ? date : (o?.today ?? date),
    from_label: `${dateLabel(date)}, ${row.start_local}–${row.end_local} · ${row.service_name}`,
  });
}
