// The support screen's rules, kept pure: what a request needs before it is sent, where a session
// stands at this moment (the core computed its status when it answered; a running session may have
// expired since), how the owner's list is grouped, when the banner must next look again, and the
// audit log's actions in words.
import type { SupportBanner, SupportEvent, SupportScope, SupportSession, SupportStatus } from "../../bindings";
import { duration } from "../app/time";

/** The shortest and longest session one may ask for (the core refuses anything else). */
export const MIN_MINUTES = 15;
export const MAX_MINUTES = 480;
export const MAX_REASON = 500;

export const SCOPES: SupportScope[] = ["schedule", "schedule_and_patients"];

export const SCOPE_LABEL: Record<SupportScope, string> = {
  schedule: "Schedule only — no patient details",
  schedule_and_patients: "Schedule and patient details, read-only",
};

export const STATUS_LABEL: Record<SupportStatus, string> = {
  requested: "Waiting for approval",
  approved: "Running",
  denied: "Denied",
  ended: "Ended",
  expired: "Expired",
};

/** What is wrong with a request before it is sent: field → message (empty when none). */
export function checkRequest(reason: string, minutes: string | number): Record<string, string> {
  const errors: Record<string, string> = {};
  const r = reason.trim();
  if (!r) errors.reason = 'Say what you need to look into, so the owner can decide (e.g. "Reminders not sent since Monday").';
  else if (r.length > MAX_REASON) errors.reason = `Keep the reason under ${MAX_REASON} characters (it has ${r.length}).`;
  const m = typeof minutes === "number" ? minutes : Number(String(minutes).trim());
  if (String(minutes).trim() === "" || !Number.isInteger(m) || m < MIN_MINUTES || m > MAX_MINUTES)
    errors.minutes = `Ask for between ${MIN_MINUTES} minutes and 8 hours (${MAX_MINUTES} minutes).`;
  return errors;
}

/** A session's status now: one the core called running expires by itself at `expires_at`. */
export function statusAt(s: SupportSession, nowSec: number): SupportStatus {
  if (s.status === "approved" && s.expires_at !== null && nowSec >= s.expires_at) return "expired";
  return s.status;
}

/** The owner's list: requests waiting, sessions running, and the rest (newest first, as sent). */
export function groupSessions(
  sessions: SupportSession[],
  nowSec: number,
): { pending: SupportSession[]; running: SupportSession[]; past: SupportSession[] } {
  const pending: SupportSession[] = [];
  const running: SupportSession[] = [];
  const past: SupportSession[] = [];
  for (const s of sessions) {
    const st = statusAt(s, nowSec);
    (st === "requested" ? pending : st === "approved" ? running : past).push(s);
  }
  // The oldest request first: it has waited longest.
  pending.reverse();
  return { pending, running, past };
}

/** The banners still running at `nowSec` (one may have expired since they were read). */
export function stillRunning(banners: SupportBanner[], nowSec: number): SupportBanner[] {
  return banners.filter((b) => nowSec < b.expires_at);
}

/** Milliseconds until the first banner expires (when the list must be read again), or null. */
export function msUntilNextExpiry(banners: SupportBanner[], nowMs: number): number | null {
  if (!banners.length) return null;
  const first = Math.min(...banners.map((b) => b.expires_at));
  return Math.max(0, first * 1000 - nowMs);
}

/** "42 min left", "1 h 05 min left", "less than a minute left". */
export function timeLeft(expiresAt: number, nowMs: number): string {
  const min = Math.floor((expiresAt * 1000 - nowMs) / 60_000);
  if (min < 1) return "less than a minute left";
  return `${duration(min)} left`;
}

const ACTION_WORDS: Record<string, string> = {
  "support.requested": "Asked for the session",
  "support.approved": "Approved it",
  "support.denied": "Denied it",
  "support.ended": "Ended it",
  "support.withdrawn": "Withdrew the request",
  "patient.viewed": "Opened a patient's record",
  "patient.listed": "Saw a patient in a list or search",
  "patient.viewed_with_appointment": "Saw a patient with an appointment",
};

/** An audit row in words ("Opened a patient's record — patient 12"). */
export function eventWords(e: SupportEvent): string {
  const words = ACTION_WORDS[e.action] ?? e.action;
  return e.entity === "support_session" ? words : `${words} — ${e.entity.replace(/_/g, " ")} ${e.entity_id}`;
}
