// Checking the booking form before it is sent: a message per field saying what to type, in the
// form's order, and the instant the time typed (or the slot picked) stands for.
import type { DoctorOption, Slot } from "../../bindings";
import { dateLabel, normalizeTime, zonedToUnix } from "../app/time";
import type { BookingDraft, BookingMode } from "./booking.svelte";
import { slotStillPicked } from "./slots";

/** Core field names that the form shows under another input. */
export const FIELD_ALIAS: Record<string, string> = { starts_at: "time" };

/** The form's fields top to bottom: the first with a message takes the focus. */
export const FIELD_ORDER = [
  "caller_name",
  "patient_id",
  "caller_relationship",
  "branch_id",
  "department",
  "doctor_id",
  "service_id",
  "date",
  "time",
  "reason",
  "source",
  "referral",
  "notes",
  "follow_up_on",
];

/** The first field (in the form's order) with a message, or null. */
export function firstErrorField(fields: Record<string, string>): string | null {
  return FIELD_ORDER.find((f) => fields[f]) ?? null;
}

export type Checked = {
  /** Field name → what to do; empty when the draft can be sent. */
  fields: Record<string, string>;
  /** The time as the form should now show it (normalised), when it was read. */
  time: string | null;
  /** What to send, when nothing is wrong. */
  request: { starts_at: number; doctor_id: number; branch_id: number; service_id: number } | null;
};

export type CheckContext = {
  mode: BookingMode;
  /** The clinic's today (`YYYY-MM-DD`) and zone. */
  today: string;
  tz: string;
  /** The doctor chosen in the form, from the options. */
  doctor: DoctorOption | null;
  /** The slots on screen (the day's first, then find-earliest's), to tell a picked slot still stands. */
  shown: Slot[][];
};

/** Checks a draft; the form shows `fields` and, with none, sends `request`. */
export function checkDraft(d: BookingDraft, c: CheckContext): Checked {
  const f: Record<string, string> = {};
  if (c.mode === "book" && !d.patient) f.patient_id = "Pick the patient first (search by name or phone).";
  if (!d.service_id) f.service_id = "Pick the service.";
  if (!d.doctor_id) f.doctor_id = "Pick the doctor, or pick a free slot below.";
  let branch = d.branch_id ? Number(d.branch_id) : null;
  if (branch === null && c.doctor && c.doctor.branch_ids.length === 1) branch = c.doctor.branch_ids[0];
  if (branch === null) f.branch_id = "Pick the branch.";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date)) f.date = "Pick the date.";
  else if (d.date < c.today) f.date = `${dateLabel(d.date)} has passed. Pick today or later.`;
  // A picked slot's own label may carry its zone ("01:30 PST", the second pass of the hour the
  // clocks go back); it is the slot's exact instant, so it needs no parsing.
  const t = d.slot && d.time === d.slot.label ? d.time : normalizeTime(d.time);
  if (!d.time.trim()) f.time = "Pick a free slot, or type a time like 10:30.";
  else if (!t) f.time = "Type the time as HH:MM, e.g. 09:30 or 14:15.";
  if (c.mode === "book") {
    if (!d.reason.trim()) f.reason = "Enter the chief complaint, in the caller's words (e.g. \"fever for two days\").";
    if (d.follow_up && !d.follow_up_on) f.follow_up_on = "Pick the follow-up date, or untick follow-up.";
  }
  let startsAt: number | null = null;
  let time: string | null = null;
  if (t && !f.date) {
    time = t;
    startsAt = d.slot && slotStillPicked(d, t, c.shown) ? d.slot.starts_at : zonedToUnix(d.date, t, c.tz);
    if (startsAt === null) f.time = `${t} does not exist on ${dateLabel(d.date)} (the clocks change). Pick another time.`;
  }
  if (Object.keys(f).length) return { fields: f, time, request: null };
  return {
    fields: f,
    time,
    request: {
      starts_at: startsAt!,
      doctor_id: Number(d.doctor_id),
      branch_id: branch!,
      service_id: Number(d.service_id),
    },
  };
}
