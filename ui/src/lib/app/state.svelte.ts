// Shared state of the window: which screen is up, who is signed in, and the Today view's
// position (date, branch, selection, drawer) so it survives the lock screen.
import type {
  AppointmentRow,
  Category,
  EscalationSource,
  SessionInfo,
  SetupStatus,
  Severity,
  Slot,
  TimeOfDay,
  WaitlistOffer,
} from "../../bindings";
import { resetBooking } from "../booking/booking.svelte";
import { creating } from "../patients/patients.svelte";
import { draftName, Shelf } from "../ui/shelf.svelte";

/** "password": signed in with a temporary password, choosing their own before any work screen. */
export type Screen = "boot" | "setup" | "signin" | "locked" | "password" | "frame";
export type Section =
  | "work"
  | "today"
  | "callbacks"
  | "escalations"
  | "settings"
  | "waitlist"
  | "patients"
  | "reviews"
  | "practice"
  | "staff"
  | "support"
  | "import"
  | "audit";

export const app = $state({
  screen: "boot" as Screen,
  setup: null as SetupStatus | null,
  session: null as SessionInfo | null,
  /** Who the lock screen names (kept when the session itself is not readable while locked). */
  lockedName: "",
  /** This window is creating the clinic: its owner is signed in right after (no sign-in form). */
  settingUp: false,
  /** Username to prefill on the sign-in form (after setup or "sign in as someone else"). */
  prefillUsername: "",
  bootError: "",
});

export const view = $state({
  /** "work" (Work waiting) is home; roles without the work queues land on Today instead. */
  section: "work" as Section,
  /** `YYYY-MM-DD`, or null for "today in the clinic's zone". */
  date: null as string | null,
  branchId: null as number | null,
  selectedId: null as number | null,
  drawerId: null as number | null,
  /** An appointment to scroll to and focus once it is on screen (after booking it). */
  revealId: null as number | null,
  /** The patient record open under "Patients" (null: the search prompt). */
  patientId: null as number | null,
  /** Whose view this is: a different person signing in starts fresh. */
  staffId: null as number | null,
  /** The callback task open in the Callbacks screen's drawer. */
  callbackId: null as number | null,
  /** The escalation open in the Escalations screen's drawer. */
  escalationId: null as number | null,
  /** What is open in the drawer on Work waiting. */
  workOpen: null as { kind: "escalation" | "callback"; id: number } | null,
  /** The registration review to scroll to on the Registrations screen. */
  reviewId: null as number | null,
  /** Callbacks: show the last week's closed tasks too. */
  showClosed: false,
  /** Escalations: show the last week's resolved ones too. */
  showResolved: false,
  /** Escalations: the "New escalation" form is open (its draft lives in drafts.escalation). */
  escalationForm: false,
});

const resetHooks: (() => void)[] = [];

/** Stores that hold one person's data (work queues, alerts) clear themselves with the view. */
export function onReset(fn: () => void): void {
  resetHooks.push(fn);
}

export function resetView(): void {
  for (const fn of resetHooks) fn();
  view.section = "work";
  view.date = null;
  view.branchId = null;
  view.selectedId = null;
  view.drawerId = null;
  view.revealId = null;
  view.patientId = null;
  view.staffId = null;
  view.callbackId = null;
  view.escalationId = null;
  view.workOpen = null;
  view.reviewId = null;
  view.showClosed = false;
  view.showResolved = false;
  view.escalationForm = false;
  ui.shortcuts = false;
  ui.alerts = false;
  ui.search = false;
  ui.walkIn = false;
  ui.offers = null;
  ui.cancel = null;
  creating.open = false;
  creating.then = null;
  resetBooking();
  resetDrafts();
  for (const k of Object.keys(settingsDraft) as (keyof typeof settingsDraft)[]) settingsDraft[k] = null;
}

/** A clock for live ages ("12 min"), ticking every 30 s without refetching anything. */
export const clock = $state({ now: Date.now() });
setInterval(() => (clock.now = Date.now()), 30_000);

const NAME_KEY = "frontdesk.lockedName";

export function rememberName(name: string): void {
  app.lockedName = name;
  try {
    sessionStorage.setItem(NAME_KEY, name);
  } catch {
    /* storage unavailable: the lock screen then says "Locked" only */
  }
}

export function recallName(): string {
  if (app.lockedName) return app.lockedName;
  try {
    return sessionStorage.getItem(NAME_KEY) ?? "";
  } catch {
    return "";
  }
}

export function forgetName(): void {
  app.lockedName = "";
  try {
    sessionStorage.removeItem(NAME_KEY);
  } catch {
    /* ignore */
  }
}

/** Once-per-run markers for screenRendered. */
export const rendered = { signin: false, today: false, work: false };

/** Overlays of the frame. */
export const ui = $state({
  shortcuts: false,
  /** The search overlay (Ctrl+K). */
  search: false,
  /** The walk-in dialog (W). */
  walkIn: false,
  /** Wait-listed patients offered a freed slot (after a cancel, reschedule or no-show). */
  offers: null as OffersState | null,
  /** The cancel dialog (a reason is required). */
  cancel: null as { appt: AppointmentRow; dateLabel: string } | null,
  /** The alerts list under the bell. */
  alerts: false,
});

export type OffersState = {
  /** The freed slot, in the shape the wait list books into. */
  slot: Slot;
  /** The service to book (the freed appointment's), by id. */
  serviceId: number | null;
  offers: WaitlistOffer[];
  /** What freed it, e.g. "Cancelled: Asha Rao 10:30". */
  why: string;
};

/** Unsaved text of the smaller forms (walk-in, wait list, notes), kept across screens. */
export const drafts = $state({
  walkIn: { patient: null as PatientRef | null, branch_id: "", doctor_id: "", service_id: "", reason: "" },
  waitlist: {
    patient: null as PatientRef | null,
    doctor_id: "",
    branch_id: "",
    service_id: "",
    weekdays: [] as number[],
    time_of_day: "any" as TimeOfDay,
    urgent: false,
    note: "",
  },
  /** Create-patient form values by field name. */
  patient: {} as Record<string, string | boolean>,
  /** Note boxes by patient id. */
  notes: {} as Record<number, string>,
  /** The search box text. */
  query: "",
  /** The "Add missed call" form on Callbacks. */
  missedCall: { caller_number: "", line: "", time: "", branch_id: "" },
  /** The "New escalation" form. */
  escalation: blankEscalation(),
  /** Callback attempt notes by task id. */
  attemptNotes: {} as Record<number, string>,
  /** Escalation notes and resolve outcomes by escalation id. */
  escalationNotes: {} as Record<number, string>,
  outcomes: {} as Record<number, string>,
});

export type EscalationDraft = {
  category: Category | "";
  severity: Severity;
  source: EscalationSource;
  summary: string;
  caller_name: string;
  caller_number: string;
  patient: PatientRef | null;
  call_ref: string;
};

export function blankEscalation(): EscalationDraft {
  return {
    category: "",
    severity: "normal",
    source: "staff",
    summary: "",
    caller_name: "",
    caller_number: "",
    patient: null,
    call_ref: "",
  };
}

/** Unfinished escalations, registrations and walk-ins set aside when their form was opened afresh. */
export const escalationShelf = new Shelf<EscalationDraft>(
  (d) => !!(d.category || d.summary.trim() || d.caller_name.trim() || d.caller_number.trim() || d.patient || d.call_ref.trim()),
  (d) => draftName([d.patient?.name, d.caller_name, d.caller_number], d.summary, "a caller not named yet"),
);

type PatientDraft = Record<string, string | boolean>;
const field = (d: PatientDraft, k: string) => (typeof d[k] === "string" ? (d[k] as string).trim() : "");
export const patientShelf = new Shelf<PatientDraft>(
  (d) => Object.values(d).some((v) => (typeof v === "string" ? v.trim() !== "" : v === true)),
  (d) => draftName([`${field(d, "given_name")} ${field(d, "family_name")}`, field(d, "phone")], "", "a patient not named yet"),
);

export type WalkInDraft = typeof drafts.walkIn;
export const walkInShelf = new Shelf<WalkInDraft>(
  (w) => !!(w.patient || w.reason.trim() || w.doctor_id || w.service_id),
  (w) => draftName([w.patient?.name], w.reason, "a walk-in not named yet"),
);

/** Starts the "New escalation" form empty; an unfinished one goes on the shelf. */
export function freshEscalation(): void {
  escalationShelf.setAside(drafts.escalation);
  drafts.escalation = blankEscalation();
}

/** Resumes an escalation from the shelf (what is in the form, if anything, takes its place). */
export function resumeEscalation(d: EscalationDraft): void {
  freshEscalation();
  drafts.escalation = d;
}

/** Starts the registration form empty; an unfinished one goes on the shelf. */
export function freshPatient(): void {
  patientShelf.setAside(drafts.patient);
  drafts.patient = {};
}

export function resumePatient(d: PatientDraft): void {
  freshPatient();
  drafts.patient = d;
}

/** Opens the walk-in dialog empty (the branch kept); an unfinished walk-in goes on the shelf. */
export function freshWalkIn(): void {
  const w = drafts.walkIn;
  walkInShelf.setAside(w);
  drafts.walkIn = { patient: null, branch_id: w.branch_id, doctor_id: "", service_id: "", reason: "" };
}

export function resumeWalkIn(d: WalkInDraft): void {
  freshWalkIn();
  drafts.walkIn = d;
}

export function resetDrafts(): void {
  walkInShelf.clear();
  escalationShelf.clear();
  patientShelf.clear();
  drafts.walkIn = { patient: null, branch_id: "", doctor_id: "", service_id: "", reason: "" };
  drafts.waitlist = {
    patient: null,
    doctor_id: "",
    branch_id: "",
    service_id: "",
    weekdays: [],
    time_of_day: "any",
    urgent: false,
    note: "",
  };
  drafts.patient = {};
  drafts.notes = {};
  drafts.query = "";
  drafts.missedCall = { caller_number: "", line: "", time: "", branch_id: "" };
  drafts.escalation = blankEscalation();
  drafts.attemptNotes = {};
  drafts.escalationNotes = {};
  drafts.outcomes = {};
}

/** A patient picked into a form: enough to show who it is. */
export type PatientRef = { id: number; name: string; detail: string };

/** The Settings form's unsaved values survive switching screens (null: not edited yet). */
export const settingsDraft = $state({
  idle_lock_minutes: null as string | null,
  wait_amber_minutes: null as string | null,
  wait_red_minutes: null as string | null,
  callback_sla_minutes: null as string | null,
  escalation_sla_urgent_minutes: null as string | null,
  escalation_sla_high_minutes: null as string | null,
  escalation_sla_normal_minutes: null as string | null,
  /** The clinic's languages, the default for new patients first. */
  languages: null as string[] | null,
  /** Whether desktop notifications may show first names (owner only). */
  desktop_alert_names: null as boolean | null,
});
