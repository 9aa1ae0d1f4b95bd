// Why a status shortcut was refused, and what the appointment can be marked instead (status.ts).
import { describe, expect, it } from "vitest";
import { appt } from "../test/fixtures";
import { whyNot } from "./status";

describe("whyNot", () => {
  it("says what the appointment is and what it can be marked instead, with the keys", () => {
    const a = appt({ patient_name: "Asha Rao", start_local: "10:30", status: "booked", next: ["arrived", "cancelled"] });
    expect(whyNot(a, "completed")).toBe(
      "Asha Rao's 10:30 appointment is booked, so it can't be marked completed. It can be marked: arrived (A), cancelled.",
    );
  });

  it("sends a closed appointment to a new booking", () => {
    const a = appt({ patient_name: "Asha Rao", start_local: "10:30", status: "cancelled", next: [] });
    expect(whyNot(a, "arrived")).toBe(
      "Asha Rao's 10:30 appointment is cancelled, so it can't be marked arrived. It is closed; book a new appointment instead.",
    );
  });
});
