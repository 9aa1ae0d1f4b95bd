// The control center's profile form: what it sends, the time-zone question answered before the
// change is sent again confirmed, and the review count said in words.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ControlCenter as Data } from "../../bindings";
import { confirmState } from "../ui/confirm.svelte";
import ControlCenter from "./ControlCenter.svelte";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const ipc = vi.mocked(invoke);

const data: Data = {
  clinic_name: "Harbour Street Clinic",
  timezone: "America/Toronto",
  timezones: ["America/Toronto", "Asia/Kolkata"],
  phone_region: "CA",
  retention_days: 365,
  retention_candidates: 3,
  ai_safety_rules: ["No diagnosis, prescription, report interpretation or emergency decision."],
  recent_changes: [{ seq: 9, at_label: "Thu 3 Dec 2026 10:00", actor: "Nadia Owner", action: "clinic.settings_changed", summary: "idle_lock_minutes=10" }],
};

const sent = () => ipc.mock.calls.filter(([c]) => c === "update_clinic_profile").map(([, a]) => (a as { req: { confirmed: boolean; timezone: string; retention_days: number } }).req);

beforeEach(() => {
  ipc.mockReset();
  ipc.mockImplementation(async (cmd: string, args?: unknown) => {
    if (cmd === "control_center") return data;
    if (cmd === "update_clinic_profile") {
      const req = (args as { req: { confirmed: boolean; timezone: string } }).req;
      if (req.timezone !== data.timezone && !req.confirmed) {
        throw { code: "needs_confirmation", message: "4 booked appointments from now on will show at their local time in Asia/Kolkata.", field: null };
      }
      return null;
    }
    throw { code: "internal", message: `no answer for ${cmd} in this test`, field: null };
  });
});

describe("ControlCenter", () => {
  it("says how many patients are past the retention window and lists recent changes", async () => {
    render(ControlCenter);
    expect((await screen.findByTestId("retention-candidates")).textContent).toContain("3 patients have not been seen");
    expect(screen.getAllByTestId("config-change")[0].textContent).toContain("Nadia Owner");
    expect((screen.getByTestId("save-clinic-profile") as HTMLButtonElement).disabled).toBe(true);
  });

  it("asks before a time-zone change and sends it again confirmed", async () => {
    render(ControlCenter);
    await screen.findByTestId("clinic-profile-form");
    const zone = document.getElementById("cc-timezone") as HTMLInputElement;
    await fireEvent.input(zone, { target: { value: "Asia/Kolkata" } });
    await fireEvent.change(zone, { target: { value: "Asia/Kolkata" } });
    await fireEvent.input(document.getElementById("cc-retention_days")!, { target: { value: "730" } });
    await fireEvent.click(screen.getByTestId("save-clinic-profile"));
    await waitFor(() => expect(confirmState.ask?.message).toContain("4 booked appointments"));
    confirmState.ask!.answer(true);
    await waitFor(() => expect(sent().length).toBe(2));
    expect(sent()[1]).toMatchObject({ confirmed: true, retention_days: 730 });
  });
});
