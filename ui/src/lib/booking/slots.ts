// The booking form's rules about choices and slots, as plain functions of the draft: which doctors
// fit the branch and department, which slots to ask for, how they are grouped, what picking one
// fills in and when it stops being picked. They change the draft given (a store's proxy in the
// form, a plain object in tests) and never touch the window.
import type { DoctorOption, Slot, SlotQuery } from "../../bindings";
import { dateLabel } from "../app/time";
import type { BookingDraft } from "./booking.svelte";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Removes a field's message (the person is fixing it). */
export function clearField(d: BookingDraft, name: string): void {
  if (d.fields[name]) {
    const next = { ...d.fields };
    delete next[name];
    d.fields = next;
  }
}

// ---- Choices ------------------------------------------------------------------------------------

/** The doctors offered: those at the branch chosen and of the department chosen (any when empty). */
export function doctorChoices(doctors: DoctorOption[], d: Pick<BookingDraft, "branch_id" | "department">): DoctorOption[] {
  return doctors.filter(
    (x) => (!d.branch_id || x.branch_ids.includes(Number(d.branch_id))) && (!d.department || x.department === d.department),
  );
}

/** A picked slot stays picked only while its doctor and branch still match the selects. */
export function unpickIfMoved(d: BookingDraft): void {
  const s = d.slot;
  if (!s) return;
  if ((d.doctor_id && Number(d.doctor_id) !== s.doctor_id) || (d.branch_id && Number(d.branch_id) !== s.branch_id)) {
    d.slot = null;
  }
}

/** The branch changed: a doctor who does not work there is no longer a valid choice. */
export function onBranchChanged(d: BookingDraft, chosen: DoctorOption | null): void {
  if (chosen && d.branch_id && !chosen.branch_ids.includes(Number(d.branch_id))) d.doctor_id = "";
  unpickIfMoved(d);
  clearField(d, "branch_id");
}

/** The department changed: a doctor of another department is no longer a valid choice. */
export function onDepartmentChanged(d: BookingDraft, chosen: DoctorOption | null): void {
  if (chosen && d.department && chosen.department !== d.department) d.doctor_id = "";
  clearField(d, "department");
}

/** A doctor was chosen: their department, and their branch when they work at only one, fill in. */
export function onDoctorChanged(d: BookingDraft, chosen: DoctorOption | null): void {
  if (chosen) {
    if (!d.department) d.department = chosen.department;
    if (!d.branch_id && chosen.branch_ids.length === 1) d.branch_id = String(chosen.branch_ids[0]);
  }
  unpickIfMoved(d);
  clearField(d, "doctor_id");
}

// ---- The day's free slots ------------------------------------------------------------------------

/**
 * What the day's free slots are asked for, as a key ("" when there is nothing to ask: no service,
 * no date, a past date, or neither a doctor, a branch nor a department).
 */
export function daySlotsKey(d: BookingDraft, today: string): string {
  return d.service_id && d.date && d.date >= today && (d.doctor_id || d.branch_id || d.department)
    ? `${d.service_id}|${d.doctor_id}|${d.branch_id}|${d.department}|${d.date}`
    : "";
}

/** The query for the day's free slots, from the draft. */
export function daySlotsQuery(d: BookingDraft): SlotQuery {
  return {
    service_id: Number(d.service_id),
    doctor_id: d.doctor_id ? Number(d.doctor_id) : null,
    doctor: null,
    department: d.department || null,
    branch_id: d.branch_id ? Number(d.branch_id) : null,
    time_of_day: null,
    from_date: d.date,
    to_date: d.date,
    exclude_dates: [],
    limit: null,
  };
}

export type SlotGroup = { id: number; name: string; branch: string; slots: Slot[] };

/** Slots grouped by doctor, in the order the doctors first appear (one group when a doctor is chosen). */
export function groupSlots(slots: Slot[]): SlotGroup[] {
  const by = new Map<number, { name: string; branch: string; slots: Slot[] }>();
  for (const s of slots) {
    const g = by.get(s.doctor_id);
    if (g) g.slots.push(s);
    else by.set(s.doctor_id, { name: s.doctor_name, branch: s.branch_name, slots: [s] });
  }
  return [...by.entries()].map(([id, g]) => ({ id, ...g }));
}

/** Whether `s` is the slot picked (and the time field still says its time). */
export function isPicked(d: BookingDraft, s: Slot): boolean {
  return !!d.slot && d.slot.starts_at === s.starts_at && d.slot.doctor_id === s.doctor_id && d.time === s.start_local;
}

/**
 * Picks a slot: its time, date, doctor and branch fill the form (the department follows the doctor
 * when another was chosen), and their messages go. `doctor` is the slot's doctor from the options.
 */
export function pickSlot(d: BookingDraft, s: Slot, doctor: DoctorOption | undefined): void {
  d.slot = { starts_at: s.starts_at, doctor_id: s.doctor_id, branch_id: s.branch_id, label: s.start_local };
  d.time = s.start_local;
  d.date = s.date;
  d.doctor_id = String(s.doctor_id);
  d.branch_id = String(s.branch_id);
  if (doctor && d.department && doctor.department !== d.department) d.department = doctor.department;
  clearField(d, "time");
  clearField(d, "date");
  clearField(d, "doctor_id");
  clearField(d, "branch_id");
  d.error = "";
}

/**
 * Whether the picked slot still stands for what the form says at time `t`: the same doctor, and —
 * when the slot is among those on screen (`shown`, the day's first) — the same time and date.
 */
export function slotStillPicked(d: BookingDraft, t: string, shown: Slot[][]): boolean {
  const s = d.slot;
  if (!s) return false;
  let match: Slot | undefined;
  for (const list of shown) {
    match = list.find((x) => x.starts_at === s.starts_at);
    if (match) break;
  }
  return s.doctor_id === Number(d.doctor_id) && (!match || (match.start_local === t && match.date === d.date));
}

/** "10:30–10:45 with Dr. Chen at Main, Tue 8 Dec 2026": a slot button's tooltip. */
export function slotLabel(s: Slot): string {
  return `${s.start_local}–${s.end_local} with ${s.doctor_name} at ${s.branch_name}, ${dateLabel(s.date)}`;
}

// ---- Find earliest --------------------------------------------------------------------------------

/** The days ruled out, from the draft's comma-separated list (anything not a date is ignored). */
export function excludedDates(list: string): string[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => ISO_DATE.test(s));
}

/** The list with `date` added, sorted; null when it is not a date or already there. */
export function withExcluded(excluded: string[], date: string): string | null {
  if (!ISO_DATE.test(date) || excluded.includes(date)) return null;
  return [...excluded, date].sort().join(",");
}

/** The list without `date`. */
export function withoutExcluded(excluded: string[], date: string): string {
  return excluded.filter((e) => e !== date).join(",");
}

/** The query for the five earliest free slots: a typed doctor's name wins over the doctor chosen. */
export function earliestQuery(d: BookingDraft, excluded: string[]): SlotQuery {
  const typed = d.doctor_text.trim();
  return {
    service_id: Number(d.service_id),
    doctor_id: !typed && d.doctor_id ? Number(d.doctor_id) : null,
    doctor: typed || null,
    department: d.department || null,
    branch_id: d.branch_id ? Number(d.branch_id) : null,
    time_of_day: d.time_of_day,
    from_date: null,
    to_date: null,
    exclude_dates: excluded,
    limit: 5,
  };
}
