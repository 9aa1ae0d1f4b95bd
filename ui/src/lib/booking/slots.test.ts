// The booking form's rules about choices and slots (slots.ts) and checking it before it is sent
// (validate.ts), on plain drafts.
import { describe, expect, it } from "vitest";
import type { DoctorOption } from "../../bindings";
import { slot } from "../test/fixtures";
import { blankDraft, type BookingDraft } from "./booking.svelte";
import {
  daySlotsKey,
  daySlotsQuery,
  doctorChoices,
  earliestQuery,
  excludedDates,
  groupSlots,
  isPicked,
  onBranchChanged,
  onDepartmentChanged,
  onDoctorChanged,
  pickSlot,
  slotStillPicked,
  unpickIfMoved,
  withExcluded,
  withoutExcluded,
} from "./slots";
import { checkDraft, firstErrorField } from "./validate";

const chen: DoctorOption = { id: 1, name: "Dr. Chen", department: "General", branch_ids: [1] };
const rao: DoctorOption = { id: 2, name: "Dr. Rao", department: "Paediatrics", branch_ids: [1, 2] };
const doctors = [chen, rao];

function draft(over: Partial<BookingDraft> = {}): BookingDraft {
  return { ...blankDraft(), ...over };
}

describe("choices", () => {
  it("offers only the doctors of the branch and department chosen", () => {
    expect(doctorChoices(doctors, draft()).map((x) => x.name)).toEqual(["Dr. Chen", "Dr. Rao"]);
    expect(doctorChoices(doctors, draft({ branch_id: "2" })).map((x) => x.name)).toEqual(["Dr. Rao"]);
    expect(doctorChoices(doctors, draft({ department: "General" })).map((x) => x.name)).toEqual(["Dr. Chen"]);
    expect(doctorChoices(doctors, draft({ branch_id: "2", department: "General" }))).toEqual([]);
  });

  it("drops a doctor who does not work at the branch chosen, and the slot picked with them", () => {
    const d = draft({ doctor_id: "1", slot: { starts_at: 1, doctor_id: 1, branch_id: 1, label: "09:00" }, branch_id: "2" });
    d.fields = { branch_id: "Pick the branch." };
    onBranchChanged(d, chen);
    expect(d.doctor_id).toBe("");
    expect(d.slot).toBeNull();
    expect(d.fields).toEqual({});
  });

  it("drops a doctor of another department", () => {
    const d = draft({ doctor_id: "1", department: "Paediatrics" });
    onDepartmentChanged(d, chen);
    expect(d.doctor_id).toBe("");
    const same = draft({ doctor_id: "1", department: "General" });
    onDepartmentChanged(same, chen);
    expect(same.doctor_id).toBe("1");
  });

  it("fills the department, and the branch of a doctor at only one, when a doctor is chosen", () => {
    const d = draft({ doctor_id: "1" });
    onDoctorChanged(d, chen);
    expect(d.department).toBe("General");
    expect(d.branch_id).toBe("1");
    const two = draft({ doctor_id: "2" });
    onDoctorChanged(two, rao);
    expect(two.branch_id).toBe("");
  });

  it("keeps a picked slot only while its doctor and branch still match", () => {
    const picked = { starts_at: 1, doctor_id: 1, branch_id: 1, label: "09:00" };
    const d = draft({ slot: picked, doctor_id: "1", branch_id: "" });
    unpickIfMoved(d);
    expect(d.slot).toEqual(picked);
    d.doctor_id = "2";
    unpickIfMoved(d);
    expect(d.slot).toBeNull();
  });
});

describe("the day's slots", () => {
  it("asks only once a service, a date from today on, and a doctor, branch or department are chosen", () => {
    const today = "2026-12-08";
    expect(daySlotsKey(draft({ service_id: "3", date: today }), today)).toBe("");
    expect(daySlotsKey(draft({ service_id: "3", date: "2026-12-07", doctor_id: "1" }), today)).toBe("");
    expect(daySlotsKey(draft({ date: today, doctor_id: "1" }), today)).toBe("");
    expect(daySlotsKey(draft({ service_id: "3", date: today, department: "General" }), today)).toBe("3|||General|2026-12-08");
  });

  it("asks for that one day, with the selects as filters", () => {
    expect(daySlotsQuery(draft({ service_id: "3", date: "2026-12-09", branch_id: "2" }))).toEqual({
      service_id: 3,
      doctor_id: null,
      doctor: null,
      department: null,
      branch_id: 2,
      time_of_day: null,
      from_date: "2026-12-09",
      to_date: "2026-12-09",
      exclude_dates: [],
      limit: null,
    });
  });

  it("groups slots by doctor in the order they come, keeping each doctor's order", () => {
    const groups = groupSlots([
      slot({ doctor_id: 2, doctor_name: "Dr. Rao", start_local: "09:00", starts_at: 10 }),
      slot({ doctor_id: 1, doctor_name: "Dr. Chen", start_local: "09:00", starts_at: 10 }),
      slot({ doctor_id: 2, doctor_name: "Dr. Rao", start_local: "09:15", starts_at: 20 }),
    ]);
    expect(groups.map((g) => [g.id, g.name, g.slots.map((s) => s.start_local)])).toEqual([
      [2, "Dr. Rao", ["09:00", "09:15"]],
      [1, "Dr. Chen", ["09:00"]],
    ]);
    expect(groupSlots([])).toEqual([]);
  });

  it("fills time, date, doctor and branch from the slot picked and clears their messages", () => {
    const d = draft({ department: "General", error: "That slot was just taken." });
    d.fields = { time: "Pick a time.", date: "Pick the date.", reason: "Enter the chief complaint." };
    const s = slot({ doctor_id: 2, branch_id: 2, date: "2026-12-10", start_local: "14:30", starts_at: 99 });
    pickSlot(d, s, rao);
    expect(d).toMatchObject({ time: "14:30", date: "2026-12-10", doctor_id: "2", branch_id: "2", department: "Paediatrics", error: "" });
    expect(d.slot).toEqual({ starts_at: 99, doctor_id: 2, branch_id: 2, label: "14:30" });
    expect(d.fields).toEqual({ reason: "Enter the chief complaint." });
    expect(isPicked(d, s)).toBe(true);
    // Another doctor's slot at the same time is not the one picked; nor is it once the time is retyped.
    expect(isPicked(d, { ...s, doctor_id: 1 })).toBe(false);
    d.time = "14:45";
    expect(isPicked(d, s)).toBe(false);
  });

  it("keeps the slot picked while the slot on screen still says that time and date", () => {
    const s = slot({ starts_at: 50, start_local: "10:00", date: "2026-12-08" });
    const d = draft();
    pickSlot(d, s, chen);
    expect(slotStillPicked(d, "10:00", [[s], []])).toBe(true);
    expect(slotStillPicked(d, "10:15", [[s], []])).toBe(false);
    // Not on screen any more (another day's list): the doctor alone decides.
    expect(slotStillPicked(d, "10:15", [[], []])).toBe(true);
    d.doctor_id = "2";
    expect(slotStillPicked(d, "10:00", [[s], []])).toBe(false);
  });
});

describe("find earliest", () => {
  it("keeps a sorted list of days ruled out, ignoring what is not a date", () => {
    const ex = excludedDates(" 2026-12-10 ,x, 2026-12-09");
    expect(ex).toEqual(["2026-12-10", "2026-12-09"]);
    expect(withExcluded(ex, "2026-12-01")).toBe("2026-12-01,2026-12-09,2026-12-10");
    expect(withExcluded(ex, "2026-12-10")).toBeNull();
    expect(withExcluded(ex, "tomorrow")).toBeNull();
    expect(withoutExcluded(ex, "2026-12-10")).toBe("2026-12-09");
  });

  it("searches by the doctor's name typed, else the doctor chosen, five slots at most", () => {
    const d = draft({ service_id: "3", doctor_id: "1", time_of_day: "morning" });
    expect(earliestQuery(d, ["2026-12-09"])).toMatchObject({ doctor_id: 1, doctor: null, limit: 5, time_of_day: "morning", exclude_dates: ["2026-12-09"] });
    d.doctor_text = "  rao ";
    expect(earliestQuery(d, [])).toMatchObject({ doctor_id: null, doctor: "rao" });
  });
});

describe("checkDraft", () => {
  const ctx = { mode: "book" as const, today: "2026-12-08", tz: "America/Toronto", doctor: null, shown: [] };

  it("names every missing field, and the first in the form's order takes the focus", () => {
    const r = checkDraft(draft(), ctx);
    expect(Object.keys(r.fields).sort()).toEqual(["branch_id", "date", "doctor_id", "patient_id", "reason", "service_id", "time"]);
    expect(r.request).toBeNull();
    expect(firstErrorField(r.fields)).toBe("patient_id");
    expect(firstErrorField({ reason: "x", time: "y" })).toBe("time");
    expect(firstErrorField({})).toBeNull();
  });

  it("needs neither patient nor complaint to reschedule (they move with the appointment)", () => {
    const r = checkDraft(draft(), { ...ctx, mode: "reschedule" });
    expect(r.fields.patient_id).toBeUndefined();
    expect(r.fields.reason).toBeUndefined();
  });

  const ready = () =>
    draft({
      patient: { id: 7, name: "Asha Rao", detail: "" },
      service_id: "3",
      doctor_id: "1",
      date: "2026-12-08",
      time: "930",
      reason: "fever",
    });

  it("takes the branch of a doctor who works at only one, reads the time typed and sends the instant", () => {
    const r = checkDraft(ready(), { ...ctx, doctor: chen });
    expect(r.fields).toEqual({});
    expect(r.time).toBe("09:30");
    // 09:30 in Toronto on 8 Dec 2026 (EST, UTC−5) is 14:30 UTC.
    expect(r.request).toEqual({ starts_at: Date.UTC(2026, 11, 8, 14, 30) / 1000, doctor_id: 1, branch_id: 1, service_id: 3 });
  });

  it("says what to type for a past date, a time that is not one, and a time the clocks skip", () => {
    expect(checkDraft({ ...ready(), date: "2026-12-07" }, { ...ctx, doctor: chen }).fields.date).toBe(
      "Mon 7 Dec 2026 has passed. Pick today or later.",
    );
    expect(checkDraft({ ...ready(), time: "25:00" }, { ...ctx, doctor: chen }).fields.time).toBe(
      "Type the time as HH:MM, e.g. 09:30 or 14:15.",
    );
    // 14 Mar 2027, 02:30 does not happen in Toronto (the clocks go from 02:00 to 03:00).
    const gap = checkDraft({ ...ready(), date: "2027-03-14", time: "02:30" }, { ...ctx, doctor: chen });
    expect(gap.fields.time).toBe("02:30 does not exist on Sun 14 Mar 2027 (the clocks change). Pick another time.");
    expect(gap.request).toBeNull();
  });

  it("sends a picked slot's own instant, even in the hour the clocks go back", () => {
    // 7 Nov 2027, 01:30 happens twice in Toronto; the slot is the second (EST) one.
    const second = Date.UTC(2027, 10, 7, 6, 30) / 1000;
    const d = { ...ready(), date: "2027-11-07", time: "01:30 EST" };
    d.slot = { starts_at: second, doctor_id: 1, branch_id: 1, label: "01:30 EST" };
    const r = checkDraft(d, { ...ctx, doctor: chen, shown: [[slot({ starts_at: second, start_local: "01:30 EST", date: "2027-11-07" })]] });
    expect(r.fields).toEqual({});
    expect(r.request?.starts_at).toBe(second);
  });

  it("asks for the follow-up date once follow-up is ticked", () => {
    const r = checkDraft({ ...ready(), follow_up: true }, { ...ctx, doctor: chen });
    expect(r.fields).toEqual({ follow_up_on: "Pick the follow-up date, or untick follow-up." });
  });
});
