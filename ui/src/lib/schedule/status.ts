// The one status palette: label, glyph and keyboard shortcut of every appointment status.
// Colours live in app.css as --st-<status>-fg / -bg / -accent so chip, card and legend agree.
import { STATUS_NEXT, type AppointmentRow, type DayView, type Source, type Status } from "../../bindings";

export const STATUS_ORDER: Status[] = [
  "booked",
  "confirmed",
  "arrived",
  "in_room",
  "completed",
  "no_show",
  "cancelled",
  "rescheduled",
];

export const STATUS_LABEL: Record<Status, string> = {
  booked: "booked",
  confirmed: "confirmed",
  arrived: "arrived",
  in_room: "in room",
  completed: "completed",
  no_show: "no-show",
  cancelled: "cancelled",
  rescheduled: "rescheduled",
};

/** Single-letter shortcuts on the selected appointment. */
export const STATUS_KEY: Partial<Record<Status, string>> = {
  arrived: "A",
  in_room: "R",
  completed: "C",
  no_show: "N",
};

export const KEY_STATUS: Record<string, Status> = {
  a: "arrived",
  r: "in_room",
  c: "completed",
  n: "no_show",
};

/** Statuses whose appointment is closed without a visit: the card is muted. */
export const MUTED: ReadonlySet<Status> = new Set<Status>(["cancelled", "no_show", "rescheduled"]);

/** Statuses that count as still open work today. */
export const OPEN: ReadonlySet<Status> = new Set<Status>(["booked", "confirmed", "arrived", "in_room"]);

export function actionLabel(s: Status): string {
  return `Mark ${STATUS_LABEL[s]}`;
}

export function actionTitle(s: Status): string {
  const k = STATUS_KEY[s];
  return k ? `${actionLabel(s)} (${k})` : actionLabel(s);
}

export const SOURCE_LABEL: Record<Source, string> = {
  phone: "Phone",
  walk_in: "Walk-in",
  voice_agent: "Voice agent",
  online: "Online",
  emr: "EMR",
};

/** The statuses an appointment may move to next: the core's status cycle (`STATUS_NEXT`). */
export function nextOf(a: Pick<AppointmentRow, "status">): readonly Status[] {
  return STATUS_NEXT[a.status];
}

/** Whether an appointment may move to `s` now. */
export function mayBecome(a: Pick<AppointmentRow, "status">, s: Status): boolean {
  return STATUS_NEXT[a.status].includes(s);
}

/**
 * Why an appointment cannot be marked `s`, and what it can be marked instead (with the keys), for
 * the toast after a refused shortcut.
 */
export function whyNot(a: Pick<AppointmentRow, "patient_name" | "start_local" | "status">, s: Status): string {
  const base = `${a.patient_name}'s ${a.start_local} appointment is ${STATUS_LABEL[a.status]}, so it can't be marked ${STATUS_LABEL[s]}.`;
  const next = nextOf(a);
  if (!next.length) return `${base} It is closed; book a new appointment instead.`;
  const options = next.map((n) => (STATUS_KEY[n] ? `${STATUS_LABEL[n]} (${STATUS_KEY[n]})` : STATUS_LABEL[n]));
  return `${base} It can be marked: ${options.join(", ")}.`;
}

/**
 * Whether the signed-in person may move this appointment through its status: their role allows
 * it, and a doctor's account only on their own doctor's appointments (`only_doctor_id`).
 */
export function mayMove(day: Pick<DayView, "can_update" | "only_doctor_id">, a: Pick<AppointmentRow, "doctor_id"> | undefined): boolean {
  if (!day.can_update || !a) return false;
  return day.only_doctor_id === null || a.doctor_id === day.only_doctor_id;
}
