// The Support screen as each side uses it: a support person with no session asks for one (the
// form says what is wrong before sending, and keeps what was typed); the owner approves a waiting
// request and opens a past session to see what happened in it.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { MySupport, SessionInfo, SupportDesk, SupportSession, SupportSessionHistory } from "../../bindings";
import Support from "./Support.svelte";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("../ui/confirm.svelte", () => ({ askConfirm: vi.fn(async () => true) }));
const ipc = vi.mocked(invoke);

const NOW = Math.floor(Date.now() / 1000);

const supportPerson = {
  staff_id: 7,
  role: "support",
  permissions: ["request_support_access"],
  timezone: "America/Toronto",
  clinic_name: "Lakeshore",
} as unknown as SessionInfo;
const owner = {
  staff_id: 1,
  role: "owner",
  permissions: ["view_schedule", "manage_support_access"],
  timezone: "America/Toronto",
  clinic_name: "Lakeshore",
} as unknown as SessionInfo;

function row(over: Partial<SupportSession>): SupportSession {
  return {
    id: 1,
    staff_id: 7,
    staff_name: "Sam Vendor",
    reason: "Reminders not sent",
    scope: "schedule",
    minutes: 60,
    status: "requested",
    requested_at: NOW - 600,
    decided_by_name: null,
    decided_at: null,
    deny_reason: null,
    starts_at: null,
    expires_at: null,
    ended_by_name: null,
    ended_at: null,
    events: 0,
    ...over,
  };
}

let mine: MySupport;
let desk: SupportDesk;

beforeEach(() => {
  mine = { access: "ask", latest: null };
  desk = { access: "ask", sessions: [] };
  ipc.mockReset();
  ipc.mockImplementation(async (cmd: string, args?: unknown) => {
    const req = (args as { req?: Record<string, unknown> } | undefined)?.req;
    switch (cmd) {
      case "my_support_session":
        return mine;
      case "request_support_session": {
        const s = row({ id: 3, reason: String(req!.reason), minutes: Number(req!.minutes), scope: req!.scope as SupportSession["scope"] });
        mine = { access: "ask", latest: s };
        return s;
      }
      case "support_sessions":
        return desk;
      case "decide_support_session": {
        const s = row({ id: Number(req!.id), status: "approved", starts_at: NOW, expires_at: NOW + 3600, decided_by_name: "Olive Owner" });
        desk = { access: "ask", sessions: [s] };
        return s;
      }
      case "support_session_history":
        return {
          session: desk.sessions[0],
          events: [
            { seq: 10, at: NOW - 500, actor_name: "Sam Vendor", actor_role: "support", action: "support.requested", entity: "support_session", entity_id: "2", summary: "", in_session: false },
            { seq: 12, at: NOW - 400, actor_name: "Sam Vendor", actor_role: "support", action: "patient.viewed", entity: "patient", entity_id: "41", summary: "read", in_session: true },
          ],
        } satisfies SupportSessionHistory;
      default:
        throw { code: "internal", message: `no answer for ${cmd} in this test`, field: null };
    }
  });
});

function field(name: string): HTMLInputElement {
  return document.querySelector(`[data-testid="support-request-form"] [name="${name}"]`) as HTMLInputElement;
}

describe("Support, for a support person", () => {
  it("says what is wrong before sending, keeps what was typed, then shows the request waiting", async () => {
    render(Support, { props: { session: supportPerson } });
    await screen.findByTestId("support-request-form");
    await fireEvent.input(field("reason"), { target: { value: "Sync stuck since Monday" } });
    await fireEvent.input(field("minutes"), { target: { value: "600" } });
    await fireEvent.click(screen.getByTestId("request-support"));
    expect(screen.getByTestId("field-error-minutes").textContent).toContain("480");
    expect(ipc.mock.calls.some(([c]) => c === "request_support_session")).toBe(false);
    expect(field("reason").value).toBe("Sync stuck since Monday");

    await fireEvent.input(field("minutes"), { target: { value: "45" } });
    await fireEvent.change(field("scope"), { target: { value: "schedule_and_patients" } });
    await fireEvent.click(screen.getByTestId("request-support"));
    const sent = ipc.mock.calls.find(([c]) => c === "request_support_session")![1] as { req: unknown };
    expect(sent.req).toEqual({ reason: "Sync stuck since Monday", minutes: 45, scope: "schedule_and_patients" });
    const state = await screen.findByTestId("my-support-state");
    expect(state.dataset.status).toBe("requested");
    expect(screen.queryByTestId("support-request-form")).toBeNull();
  });

  it("says plainly when the clinic turned support access off", async () => {
    mine = { access: "off", latest: null };
    render(Support, { props: { session: supportPerson } });
    expect((await screen.findByTestId("support-access-off")).textContent).toContain("turned support access off");
    expect(screen.queryByTestId("support-request-form")).toBeNull();
  });
});

describe("Support, for the owner", () => {
  it("approves a waiting request: the session runs and can be ended", async () => {
    desk = { access: "ask", sessions: [row({ id: 2 })] };
    render(Support, { props: { session: owner } });
    await fireEvent.click(await screen.findByTestId("support-approve"));
    const sent = ipc.mock.calls.find(([c]) => c === "decide_support_session")![1] as { req: unknown };
    expect(sent.req).toEqual({ id: 2, approve: true, deny_reason: null });
    await screen.findByTestId("support-running");
    expect(screen.getByTestId("support-end")).toBeTruthy();
  });

  it("opens a past session to list what happened in it", async () => {
    desk = { access: "ask", sessions: [row({ id: 2, status: "ended", ended_at: NOW - 10, events: 1 })] };
    render(Support, { props: { session: owner } });
    const rows = await screen.findAllByTestId("support-session-row");
    expect(rows[0].dataset.status).toBe("ended");
    await fireEvent.click(rows[0].querySelector("button")!);
    await waitFor(() => expect(screen.getAllByTestId("support-event-row").length).toBe(2));
    expect(screen.getAllByTestId("support-event-row")[1].textContent).toContain("Opened a patient's record — patient 41");
  });
});
