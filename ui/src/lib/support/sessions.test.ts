import { describe, expect, it } from "vitest";
import type { SupportBanner, SupportEvent, SupportSession } from "../../bindings";
import { checkRequest, eventWords, groupSessions, msUntilNextExpiry, statusAt, stillRunning, timeLeft } from "./sessions";

const NOW = 1_795_446_000;

function session(over: Partial<SupportSession>): SupportSession {
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

const banner = (id: number, expires_at: number): SupportBanner => ({
  id,
  staff_id: 7,
  staff_name: "Sam Vendor",
  reason: "Reminders",
  scope: "schedule",
  starts_at: NOW - 60,
  expires_at,
});

describe("checkRequest", () => {
  it.each([
    ["", "60", ["reason"]],
    ["   ", "60", ["reason"]],
    ["x".repeat(501), "60", ["reason"]],
    ["Sync stuck", "14", ["minutes"]],
    ["Sync stuck", "481", ["minutes"]],
    ["Sync stuck", "", ["minutes"]],
    ["Sync stuck", "30.5", ["minutes"]],
    ["Sync stuck", "abc", ["minutes"]],
    ["Sync stuck", "15", []],
    ["Sync stuck", " 480 ", []],
    ["", "0", ["reason", "minutes"]],
  ])("%j for %j minutes → %j", (reason, minutes, fields) => {
    expect(Object.keys(checkRequest(reason, minutes)).sort()).toEqual([...fields].sort());
  });
});

describe("statusAt", () => {
  it("turns a running session into an expired one at its end, without asking the core", () => {
    const s = session({ status: "approved", starts_at: NOW, expires_at: NOW + 3600 });
    expect(statusAt(s, NOW + 3599)).toBe("approved");
    expect(statusAt(s, NOW + 3600)).toBe("expired");
    expect(statusAt(session({ status: "denied" }), NOW + 99_999)).toBe("denied");
  });
});

describe("groupSessions", () => {
  it("puts waiting requests oldest first, running sessions apart, and the rest as history", () => {
    const list = [
      session({ id: 5, status: "requested" }),
      session({ id: 4, status: "approved", expires_at: NOW + 60 }),
      session({ id: 3, status: "requested" }),
      session({ id: 2, status: "approved", expires_at: NOW - 1 }),
      session({ id: 1, status: "ended" }),
    ];
    const g = groupSessions(list, NOW);
    expect(g.pending.map((s) => s.id)).toEqual([3, 5]);
    expect(g.running.map((s) => s.id)).toEqual([4]);
    expect(g.past.map((s) => s.id)).toEqual([2, 1]);
  });
});

describe("the banner's timing", () => {
  it("looks again when the first session expires, and drops what has expired", () => {
    const list = [banner(1, NOW + 600), banner(2, NOW + 120)];
    expect(msUntilNextExpiry(list, NOW * 1000)).toBe(120_000);
    expect(msUntilNextExpiry([], NOW * 1000)).toBeNull();
    expect(msUntilNextExpiry([banner(1, NOW - 5)], NOW * 1000)).toBe(0);
    expect(stillRunning(list, NOW + 120).map((b) => b.id)).toEqual([1]);
  });

  it("says how long is left", () => {
    expect(timeLeft(NOW + 30, NOW * 1000)).toBe("less than a minute left");
    expect(timeLeft(NOW + 42 * 60, NOW * 1000)).toBe("42 min left");
    expect(timeLeft(NOW + 65 * 60 + 10, NOW * 1000)).toBe("1 h 05 min left");
  });
});

describe("eventWords", () => {
  const e = (action: string, entity: string, entity_id: string): SupportEvent => ({
    seq: 1,
    at: NOW,
    actor_name: "Sam Vendor",
    actor_role: "support",
    action,
    entity,
    entity_id,
    summary: "read",
    in_session: true,
  });
  it("says what happened, with the record it happened to", () => {
    expect(eventWords(e("patient.viewed", "patient", "12"))).toBe("Opened a patient's record — patient 12");
    expect(eventWords(e("support.approved", "support_session", "3"))).toBe("Approved it");
    expect(eventWords(e("appointment.viewed", "appointment", "9"))).toBe("appointment.viewed — appointment 9");
  });
});
