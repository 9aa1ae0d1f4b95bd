// Why a status shortcut was refused, and what the appointment can be marked instead (status.ts).
import { describe, expect, it } from "vitest";
import { appt } from "../test/fixtures";
import { mayMove, whyNot } from "./status";

describe("whyNot", () => {
  it("says what the appointment is and what it can be marked instead, with the keys", () => {
    const a = appt({ patient_name: "Asha Rao", start_local: "10:30", status: "booked" });
    expect(whyNot(a, "completed")).toBe(
      "Asha Rao's 10:30 appointment is booked, so it can't be marked completed. It can be marked: confirmed, arrived (A), no-show (N), cancelled, rescheduled.",
    );
  });

  it("sends a closed appointment to a new booking", () => {
    const a = appt({ patient_name: "Asha Rao", start_local: "10:30", status: "cancelled" });
    expect(whyNot(a, "arrived")).toBe(
      "Asha Rao's 10:30 appointment is cancelled, so it can't be marked arrived. It is closed; book a new appointment instead.",
    );
  });
});

describe("mayMove", () => {
  it("lets a role with the action move any appointment, and a doctor only their own", () => {
    expect(mayMove({ can_update: true, only_doctor_id: null }, { doctor_id: 4 })).toBe(true);
    expect(mayMove({ can_update: false, only_doctor_id: null }, { doctor_id: 4 })).toBe(false);
    expect(mayMove({ can_update: true, only_doctor_id: 4 }, { doctor_id: 4 })).toBe(true);
    expect(mayMove({ can_update: true, only_doctor_id: 4 }, { doctor_id: 5 })).toBe(false);
    expect(mayMove({ can_update: true, only_doctor_id: null }, undefined)).toBe(false);
  });
});
