// The practice screen as an owner uses it: a new doctor goes straight on to their weekly hours,
// and hours saved show on the doctor's row.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BranchDetail, DoctorDetail, Practice as PracticeData, SessionInfo } from "../../bindings";
import Practice from "./Practice.svelte";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const ipc = vi.mocked(invoke);

const session = { staff_id: 1, role: "owner", timezone: "America/Toronto", clinic_name: "Lakeshore" } as unknown as SessionInfo;

const branch: BranchDetail = {
  id: 3,
  name: "Harbour",
  address: "12 Harbour St",
  status: "active",
  phones: [],
  hours: [],
  doctors: 0,
  upcoming_appointments: 0,
};

let doctors: DoctorDetail[];

function data(): PracticeData {
  return {
    branches: [branch],
    doctors,
    services: [],
    exceptions: [],
    departments: [],
    to_rebook: [],
    checklist: { branches: 1, doctors: doctors.length, doctors_with_hours: 0, services: 0, staff: 0, patients: 0, dismissed: false, done: false },
  };
}

beforeEach(() => {
  doctors = [];
  ipc.mockReset();
  ipc.mockImplementation(async (cmd: string, args?: unknown) => {
    const req = (args as { req?: Record<string, unknown> } | undefined)?.req;
    switch (cmd) {
      case "practice":
        return data();
      case "save_doctor":
        doctors = [
          { id: 9, name: String(req!.name), department: String(req!.department), specialties: "", active: true, branch_ids: req!.branch_ids as number[], hours: [], staff_id: null },
        ];
        return { saved: true, id: 9, affected: [] };
      case "save_doctor_hours":
        doctors = [{ ...doctors[0], hours: req!.hours as DoctorDetail["hours"] }];
        return { saved: true, id: null, affected: [] };
      default:
        throw { code: "internal", message: `no answer for ${cmd} in this test`, field: null };
    }
  });
});

function field(form: string, name: string): HTMLInputElement {
  return document.querySelector(`[data-testid="${form}"] [name="${name}"]`) as HTMLInputElement;
}

describe("Practice", () => {
  it("goes from a new doctor to their hours, and shows the hours saved", async () => {
    render(Practice, { props: { session } });
    await screen.findByTestId("practice");
    await fireEvent.click(screen.getByTestId("practice-tab-doctors"));
    await fireEvent.click(await screen.findByTestId("add-doctor"));
    await fireEvent.input(field("doctor-form", "name"), { target: { value: "Dr. Kavya Mehta" } });
    await fireEvent.input(field("doctor-form", "department"), { target: { value: "General medicine" } });
    await fireEvent.click(screen.getByTestId("save-doctor"));

    const sentDoctor = ipc.mock.calls.find(([c]) => c === "save_doctor")![1] as { req: { branch_ids: number[] } };
    expect(sentDoctor.req.branch_ids).toEqual([3]);
    const hours = await screen.findByTestId("hours-form");
    expect(hours.querySelectorAll("[data-testid=hours-row]").length).toBe(5);

    await fireEvent.click(screen.getByTestId("save-hours"));
    await waitFor(() => expect(screen.queryByTestId("hours-form")).toBeNull());
    window.dispatchEvent(new Event("focus"));
    const sentHours = ipc.mock.calls.find(([c]) => c === "save_doctor_hours")![1] as { req: { hours: { branch_id: number }[] } };
    expect(sentHours.req.hours.map((h) => h.branch_id)).toEqual([3, 3, 3, 3, 3]);
  });
});
