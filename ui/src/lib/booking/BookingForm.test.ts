// The booking form put together (PatientStep, DoctorStep, SlotFinder, VisitStep, BookingSummary)
// in jsdom, with the core's answers given at the IPC boundary: slots by doctor, picking one,
// the messages of an incomplete booking, what is sent, and a refusal shown in the form.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BookingOptions, SessionInfo, SlotList } from "../../bindings";
import { appt, slot } from "../test/fixtures";
import { booking, openBooking, resetBooking } from "./booking.svelte";
import BookingForm from "./BookingForm.svelte";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const ipc = vi.mocked(invoke);

const session = { timezone: "UTC", role: "receptionist", permissions: ["book_appointment"] } as unknown as SessionInfo;

const OPTIONS: BookingOptions = {
  branches: [{ id: 1, name: "Main" }],
  departments: ["General"],
  doctors: [
    { id: 1, name: "Dr. Chen", department: "General", branch_ids: [1] },
    { id: 2, name: "Dr. Rao", department: "General", branch_ids: [1] },
  ],
  services: [{ id: 3, code: "consult", name: "Consultation", duration_minutes: 15 }],
  relationships: ["self", "parent"],
  timezone: "UTC",
  today: "2026-12-08",
};

const chen0900 = slot({ doctor_id: 1, doctor_name: "Dr. Chen", starts_at: 1_796_720_400, start_local: "09:00", end_local: "09:15" });
const rao0915 = slot({ doctor_id: 2, doctor_name: "Dr. Rao", starts_at: 1_796_721_300, start_local: "09:15", end_local: "09:30" });
const rao0930 = slot({ doctor_id: 2, doctor_name: "Dr. Rao", starts_at: 1_796_722_200, start_local: "09:30", end_local: "09:45" });

let answers: Record<string, (args: unknown) => unknown>;

beforeEach(() => {
  resetBooking();
  answers = {
    booking_options: () => OPTIONS,
    free_slots: (): SlotList => ({
      slots: [chen0900, rao0915, rao0930],
      searched_from: "2026-12-08",
      searched_to: "2026-12-08",
      timezone: "UTC",
    }),
    book_appointment: () => appt({ id: 77, doctor_id: 2, start_local: "09:15", patient_name: "Asha Rao" }),
  };
  ipc.mockReset();
  ipc.mockImplementation(async (cmd: string, args?: unknown) => {
    const answer = answers[cmd];
    if (!answer) throw { code: "internal", message: `no answer for ${cmd} in this test`, field: null };
    return answer(args);
  });
});

function calls(cmd: string): unknown[] {
  return ipc.mock.calls.filter(([c]) => c === cmd).map(([, args]) => (args as { req: unknown }).req);
}

async function choose(id: string, value: string) {
  const el = document.getElementById(id) as HTMLSelectElement;
  el.value = value;
  await fireEvent.change(el);
}

async function openForm(patient = true) {
  openBooking({ date: "2026-12-08", patient: patient ? { id: 7, name: "Asha Rao", detail: "" } : null });
  render(BookingForm, { props: { session } });
  await waitFor(() => expect(document.getElementById("bk-service_id")).not.toBeNull());
}

describe("BookingForm", () => {
  it("shows the day's free slots by doctor, and picking one fills the form and the summary", async () => {
    await openForm();
    expect(screen.getByTestId("slots").textContent).toContain("Pick a service and a date");
    await choose("bk-service_id", "3");
    await choose("bk-branch_id", "1");
    await waitFor(() => expect(screen.getAllByTestId("slot")).toHaveLength(3));
    expect(calls("free_slots")).toEqual([expect.objectContaining({ service_id: 3, branch_id: 1, from_date: "2026-12-08" })]);
    // No doctor chosen: a heading per doctor, in the order the slots came.
    expect([...document.querySelectorAll(".sghead")].map((e) => e.textContent)).toEqual(["Dr. Chen · Main", "Dr. Rao · Main"]);

    const pick = screen.getAllByTestId("slot").find((b) => b.dataset.startsAt === String(rao0915.starts_at))!;
    await fireEvent.click(pick);
    expect((document.getElementById("bk-time") as HTMLInputElement).value).toBe("09:15");
    expect((document.getElementById("bk-doctor_id") as HTMLSelectElement).value).toBe("2");
    // The doctor is now chosen: the day's slots are asked again, for Dr. Rao, with the pick shown.
    await waitFor(() => expect(calls("free_slots")).toHaveLength(2));
    expect(calls("free_slots")[1]).toEqual(expect.objectContaining({ doctor_id: 2 }));
    await waitFor(() => expect(screen.getAllByTestId("slot")).toHaveLength(3));
    const pressed = screen.getAllByTestId("slot").filter((b) => b.getAttribute("aria-pressed") === "true");
    expect(pressed.map((b) => b.dataset.startsAt)).toEqual([String(rao0915.starts_at)]);
    expect(document.querySelectorAll(".sghead")).toHaveLength(0);
    expect(screen.getByTestId("booking-summary").textContent!.replace(/\s+/g, " ").trim()).toBe(
      "Tue 8 Dec 2026 · 09:15–09:30 UTC · Dr. Rao · Main",
    );
    expect(booking.book.slot).toEqual({ starts_at: rao0915.starts_at, doctor_id: 2, branch_id: 1, label: "09:15" });
  });

  it("says what is missing under each field and focuses the first, sending nothing", async () => {
    await openForm(false);
    await fireEvent.click(screen.getByTestId("book-submit"));
    for (const f of ["patient_id", "service_id", "doctor_id", "branch_id", "time", "reason"]) {
      expect(screen.queryByTestId(`field-error-${f}`), f).not.toBeNull();
    }
    expect(screen.getByTestId("field-error-time").textContent).toContain("Pick a free slot, or type a time like 10:30.");
    await waitFor(() => expect(document.activeElement?.id).toBe("bk-patient"));
    expect(calls("book_appointment")).toEqual([]);
    // Fixing a field takes its message away.
    await choose("bk-service_id", "3");
    expect(screen.queryByTestId("field-error-service_id")).toBeNull();
  });

  it("books the slot picked with what was typed, then closes", async () => {
    await openForm();
    await choose("bk-service_id", "3");
    await choose("bk-doctor_id", "2");
    await waitFor(() => expect(screen.getAllByTestId("slot")).toHaveLength(3));
    await fireEvent.click(screen.getAllByTestId("slot")[1]);
    const reason = document.getElementById("bk-reason") as HTMLInputElement;
    reason.value = "  fever for two days ";
    await fireEvent.input(reason);
    await fireEvent.click(screen.getByTestId("book-submit"));
    await waitFor(() => expect(booking.open).toBe(false));
    expect(calls("book_appointment")).toEqual([
      expect.objectContaining({
        patient_id: 7,
        doctor_id: 2,
        branch_id: 1,
        service_id: 3,
        starts_at: rao0915.starts_at,
        reason: "fever for two days",
        caller_relationship: "self",
        follow_up_on: null,
      }),
    ]);
    // The draft is cleared once booked.
    expect(booking.book.reason).toBe("");
  });

  it("shows the core's refusal at the top of the form, keeps the draft and fetches the slots again", async () => {
    answers.book_appointment = () => {
      throw { code: "conflict", message: "Dr. Rao is already booked at 09:15. Pick another slot.", field: null };
    };
    await openForm();
    await choose("bk-service_id", "3");
    await choose("bk-doctor_id", "2");
    await waitFor(() => expect(screen.getAllByTestId("slot")).toHaveLength(3));
    await fireEvent.click(screen.getAllByTestId("slot")[1]);
    const reason = document.getElementById("bk-reason") as HTMLInputElement;
    reason.value = "fever";
    await fireEvent.input(reason);
    await fireEvent.click(screen.getByTestId("book-submit"));
    const box = await screen.findByTestId("booking-error");
    expect(box.dataset.code).toBe("conflict");
    expect(box.textContent).toContain("already booked at 09:15");
    await waitFor(() => expect(document.activeElement).toBe(box));
    expect(booking.open).toBe(true);
    expect(booking.book.reason).toBe("fever");
    await waitFor(() => expect(calls("free_slots")).toHaveLength(2));
  });
});
