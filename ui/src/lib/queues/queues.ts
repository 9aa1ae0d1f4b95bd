// Words, glyphs and SLA colours for the work queues: callbacks, escalations and alerts.
import type {
  CallbackStatus,
  CallOutcome,
  Category,
  DesktopAlerts,
  EscalationSource,
  Severity,
} from "../../bindings";
import { duration, minutesSince } from "../app/time";

/** The core's words for each category (Escalation.category_label says the same). */
export const CATEGORY_LABEL: Record<Category, string> = {
  urgent_symptoms: "Urgent symptoms",
  angry_caller: "Angry caller",
  billing_dispute: "Billing dispute",
  unknown_question: "Unknown question",
  low_confidence: "Low-confidence call",
  tool_failure: "Tool failure",
  report_review: "Report review",
  registration_help: "Registration help",
};

/** When to pick each category, for the form. */
export const CATEGORY_HINT: Record<Category, string> = {
  urgent_symptoms: "Chest pain, breathing trouble, bleeding, fainting… always urgent.",
  angry_caller: "Upset or abusive caller who wants a person or a manager.",
  billing_dispute: "Disputes a charge, refund or insurance question.",
  unknown_question: "A question the desk has no approved answer for.",
  low_confidence: "The call was unclear; someone should call back to check.",
  tool_failure: "Booking, phone or another system failed during the call.",
  report_review: "Asks about a report or results: clinical staff must answer.",
  registration_help: "Needs help registering or fixing their details.",
};

export const CATEGORY_ORDER: Category[] = [
  "urgent_symptoms",
  "angry_caller",
  "billing_dispute",
  "unknown_question",
  "low_confidence",
  "tool_failure",
  "report_review",
  "registration_help",
];

export const SEVERITY_LABEL: Record<Severity, string> = { urgent: "Urgent", high: "High", normal: "Normal" };
export const SEVERITY_ICON: Record<Severity, string> = { urgent: "alert", high: "warn", normal: "info" };
export const SEVERITY_ORDER: Severity[] = ["urgent", "high", "normal"];

export const ESC_SOURCE_LABEL: Record<EscalationSource, string> = {
  staff: "Staff (this desk)",
  voice_agent: "Voice agent",
  message: "Message",
};

export const OUTCOME_LABEL: Record<CallOutcome, string> = {
  reached: "Reached",
  no_answer: "No answer",
  busy: "Busy",
  voicemail: "Voicemail",
  wrong_number: "Wrong number",
  invalid: "Invalid number",
};

export const OUTCOME_ICON: Record<CallOutcome, string> = {
  reached: "check",
  no_answer: "phone",
  busy: "phone",
  voicemail: "note",
  wrong_number: "no_show",
  invalid: "cancelled",
};

/** What each outcome does to the task (the core's rule, said in words). */
export const OUTCOME_EFFECT: Record<CallOutcome, string> = {
  reached: "closes the task",
  no_answer: "stays open",
  busy: "stays open",
  voicemail: "stays open",
  wrong_number: "closes the task",
  invalid: "closes the task",
};

export const OUTCOMES: CallOutcome[] = ["reached", "no_answer", "busy", "voicemail", "wrong_number", "invalid"];

export const CALLBACK_STATUS_LABEL: Record<CallbackStatus, string> = {
  pending: "To call",
  attempted: "Tried",
  completed: "Done",
  unreachable: "Unreachable",
  wrong_number: "Wrong number",
};

export const CALLBACK_STATUS_ICON: Record<CallbackStatus, string> = {
  pending: "phone",
  attempted: "rescheduled",
  completed: "check",
  unreachable: "cancelled",
  wrong_number: "no_show",
};

export function callbackOpen(s: CallbackStatus): boolean {
  return s === "pending" || s === "attempted";
}

export const DESKTOP_ALERTS_LABEL: Record<DesktopAlerts, string> = {
  all: "All alerts",
  urgent_only: "Urgent only",
  none: "None",
};

export type SlaLevel = "ok" | "amber" | "red";

export type Sla = {
  level: SlaLevel;
  /** "12 min" since the start. */
  label: string;
  /** A sentence for the tooltip. */
  title: string;
  minutes: number;
};

/**
 * Age and SLA colour of an open item: amber past two thirds of the SLA, red once it has run out.
 * `start` and `due` are unix seconds; `what` names the clock ("Waiting", "Open").
 */
export function slaOf(start: number, due: number, nowMs: number, what: string): Sla {
  const minutes = minutesSince(start, nowMs);
  const now = nowMs / 1000;
  const window = Math.max(60, due - start);
  const level: SlaLevel = now >= due ? "red" : now >= start + (window * 2) / 3 ? "amber" : "ok";
  const slaMin = Math.round(window / 60);
  const left = Math.ceil((due - now) / 60);
  const title =
    level === "red"
      ? `${what} ${duration(minutes)} — past the ${slaMin}-minute SLA by ${duration(Math.max(0, -left))}`
      : `${what} ${duration(minutes)} — ${duration(Math.max(0, left))} left of the ${slaMin}-minute SLA`;
  return { level, label: duration(minutes), title, minutes };
}

export const SLA_ICON: Record<SlaLevel, string> = { ok: "clock", amber: "warn", red: "alert" };
