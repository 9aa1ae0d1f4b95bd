// Today put together (DayHeader, DayCounts, Board, AppointmentCard) in jsdom, with the core's
// answers given at the IPC boundary: the keyboard moves the selection and switches the day (with
// the timing samples the benchmark reads), a status key marks the selected appointment, and a
// big day is windowed.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AppointmentRow, DayView, SessionInfo } from "../../bindings";
import { clock, resetView, view } from "../app/state.svelte";
import { appt, dayOf } from "../test/fixtures";
import Today from "./Today.svelte";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const ipc = vi.mocked(invoke);

// jsdom lays nothing out: the board is never measured, and there is nothing to scroll.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
Element.prototype.scrollIntoView ??= () => {};

const session = {
  timezone: "UTC",
  role: "receptionist",
  permissions: ["book_appointment"],
  date_order: "day_first",
} as unknown as SessionInfo;

const at = (date: string, h: number, m = 0) => Date.parse(`${date}T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00Z`) / 1000;

/** Two doctors, three appointments each, 09:00, 09:30 and 10:00 on `date`. */
function smallDay(date: string): DayView {
  const rows: AppointmentRow[] = [];
  for (const doctor of [1, 2]) {
    for (const [i, m] of [0, 30, 60].entries()) {
      const starts = at(date, 9, m);
      rows.push(appt({ id: doctor * 10 + i, doctor_id: doctor, starts_at: starts, ends_at: starts + 900, patient_name: `P${doctor}${i}` }));
    }
  }
  return dayOf(rows, 2, { date, today: "2026-12-08" });
}

let days: Record<string, () => DayView>;

beforeEach(() => {
  resetView();
  view.section = "today";
  clock.now = Date.parse("2026-12-08T08:00:00Z");
  days = { "2026-12-08": () => smallDay("2026-12-08"), "2026-12-09": () => smallDay("2026-12-09") };
  ipc.mockReset();
  ipc.mockImplementation(async (cmd: string, args?: unknown) => {
    const req = (args as { req?: Record<string, unknown> } | undefined)?.req;
    switch (cmd) {
      case "day_schedule":
        return days[(req?.date as string | null) ?? "2026-12-08"]();
      case "walk_ins":
        return [];
      case "screen_rendered":
        return null;
      case "set_appointment_status":
        return appt({ id: req!.appointment_id as number, status: req!.status as AppointmentRow["status"], doctor_id: 1 });
    }
    throw { code: "internal", message: `no answer for ${cmd} in this test`, field: null };
  });
});

const cards = () => [...document.querySelectorAll<HTMLElement>("[data-testid=appt]")];
const selected = () => document.querySelector<HTMLElement>('[data-testid=appt][aria-current="true"]')?.dataset.apptId ?? null;
const key = (k: string) => fireEvent.keyDown(document.body, { key: k });

describe("Today", () => {
  it("draws the day in doctors' columns, with its counts and the date", async () => {
    render(Today, { props: { session } });
    await waitFor(() => expect(cards()).toHaveLength(6));
    expect(screen.getAllByTestId("doctor-column").map((c) => c.getAttribute("aria-label"))).toEqual(["Dr. A", "Dr. B"]);
    expect(screen.getByTestId("date-picker").dataset.value).toBe("2026-12-08");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Tue 8 Dec 2026");
    expect(document.querySelector(".grid")!.getAttribute("data-windowed")).toBe("false");
    expect(screen.getByTestId("today").getAttribute("aria-busy")).toBe("false");
    // The first day painted is the home screen's mark for the startup benchmark.
    await waitFor(() => expect((window as unknown as { __frontdeskTimings: Record<string, number> }).__frontdeskTimings["today-rendered"]).toBeTypeOf("number"));
  });

  it("moves the selection with the arrows, focusing the card", async () => {
    render(Today, { props: { session } });
    await waitFor(() => expect(cards()).toHaveLength(6));
    await key("ArrowDown");
    await waitFor(() => expect(selected()).toBe("10"));
    await key("ArrowDown");
    await waitFor(() => expect(selected()).toBe("11"));
    await waitFor(() => expect((document.activeElement as HTMLElement).dataset.apptId).toBe("11"));
    await key("ArrowRight");
    await waitFor(() => expect(selected()).toBe("21"));
    await key("ArrowUp");
    await key("ArrowUp");
    await key("ArrowUp");
    await waitFor(() => expect(selected()).toBe("20"));
    // Only the selected card is in the tab order.
    expect(cards().filter((c) => c.tabIndex === 0).map((c) => c.dataset.apptId)).toEqual(["20"]);
  });

  it("switches the day with ] and [ and records how long the switch took", async () => {
    render(Today, { props: { session } });
    await waitFor(() => expect(cards()).toHaveLength(6));
    await key("]");
    await waitFor(() => expect(screen.getByTestId("date-picker").dataset.value).toBe("2026-12-09"));
    await waitFor(() => expect(cards()[0].dataset.startsAt).toBe(String(at("2026-12-09", 9))));
    expect(view.date).toBe("2026-12-09");
    const samples = (window as unknown as { __frontdeskSamples: Record<string, number[]> }).__frontdeskSamples;
    await waitFor(() => expect(samples["day-switch"]?.length).toBeGreaterThan(0));
    expect(samples["day-fetched"].length).toBeGreaterThan(0);
    expect(samples["day-dom"].length).toBeGreaterThan(0);
    // Back to today: the view follows the clock again.
    await key("[");
    await waitFor(() => expect(view.date).toBeNull());
    await key("]");
    await key("t");
    await waitFor(() => expect(view.date).toBeNull());
  });

  it("marks the selected appointment with its key and redraws its card", async () => {
    render(Today, { props: { session } });
    await waitFor(() => expect(cards()).toHaveLength(6));
    await key("ArrowDown");
    await waitFor(() => expect(selected()).toBe("10"));
    await key("a");
    await waitFor(() => expect(document.querySelector<HTMLElement>('[data-appt-id="10"]')!.dataset.status).toBe("arrived"));
    expect(ipc).toHaveBeenCalledWith("set_appointment_status", { req: { appointment_id: 10, status: "arrived", confirmed: false } });
  });

  it("leaves keys typed in a field to the field", async () => {
    render(Today, { props: { session } });
    await waitFor(() => expect(cards()).toHaveLength(6));
    const picker = screen.getByTestId("date-picker");
    picker.focus();
    await fireEvent.keyDown(picker, { key: "a" });
    await fireEvent.keyDown(picker, { key: "]" });
    expect(view.date).toBeNull();
    expect(ipc).not.toHaveBeenCalledWith("set_appointment_status", expect.anything());
  });

  it("windows a day of more than 300 appointments", async () => {
    days["2026-12-08"] = () => {
      const rows = Array.from({ length: 400 }, (_, i) =>
        appt({ id: i + 1, doctor_id: (i % 4) + 1, starts_at: at("2026-12-08", 8) + i * 60, ends_at: at("2026-12-08", 8) + i * 60 + 600 }),
      );
      return dayOf(rows, 4);
    };
    render(Today, { props: { session } });
    await waitFor(() => expect(document.querySelector(".grid")?.getAttribute("data-windowed")).toBe("true"));
    // A board with no size (jsdom) draws the overscan only: two columns, a few cards each.
    expect(screen.getAllByTestId("doctor-column")).toHaveLength(2);
    expect(cards().length).toBeLessThan(20);
  });

  it("says so on a day with nothing booked", async () => {
    days["2026-12-08"] = () => dayOf([], 2);
    render(Today, { props: { session } });
    const empty = await screen.findByTestId("empty-state");
    expect(empty.textContent).toContain("No appointments on Tue 8 Dec 2026 at any branch");
    expect(empty.textContent).toContain("Nothing is booked for this day.");
  });
});
