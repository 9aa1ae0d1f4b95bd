// The wait shown on an arrived patient's card (wait.ts), against the clinic's thresholds.
import { describe, expect, it } from "vitest";
import { appt } from "../test/fixtures";
import { waitOf } from "./wait";

describe("waitOf", () => {
  const arrived = 1_796_720_400; // 09:00 UTC
  const after = (min: number) => (arrived + min * 60) * 1000;

  it("counts an arrived patient's wait, amber and red past the clinic's thresholds", () => {
    const a = appt({ status: "arrived", arrived_at: arrived });
    expect(waitOf(a, after(14), 15, 30, "UTC")).toEqual({
      minutes: 14,
      level: "ok",
      label: "14 min",
      what: "waiting",
      title: "Waiting 14 min (since 09:00)",
    });
    expect(waitOf(a, after(15), 15, 30, "UTC")?.level).toBe("amber");
    expect(waitOf(a, after(15), 15, 30, "UTC")?.title).toBe("Waiting 15 min (since 09:00) — past 15 min");
    expect(waitOf(a, after(75), 15, 30, "UTC")).toMatchObject({ level: "red", label: "1 h 15 min" });
  });

  it("counts the time in the room from when they went in (or arrived, when that is unknown)", () => {
    const inRoom = appt({ status: "in_room", arrived_at: arrived, in_room_at: arrived + 600 });
    expect(waitOf(inRoom, after(20), 15, 30, "UTC")).toMatchObject({ minutes: 10, what: "in room" });
    const unknown = appt({ status: "in_room", arrived_at: arrived, in_room_at: null });
    expect(waitOf(unknown, after(20), 15, 30, "Asia/Kolkata")?.title).toBe("In room 20 min (since 14:30) — past 15 min");
  });

  it("shows no wait for anyone not waiting", () => {
    for (const status of ["booked", "confirmed", "completed", "no_show"] as const) {
      expect(waitOf(appt({ status, arrived_at: arrived }), after(50), 15, 30, "UTC")).toBeNull();
    }
  });
});
