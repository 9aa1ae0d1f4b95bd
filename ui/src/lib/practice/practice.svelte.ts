// The practice screens' state: one answer for branches, doctors, services, exceptions, what to
// rebook and the setup checklist, reloaded when anyone changes the practice; and the one way a
// change that strands booked appointments is asked about before it is saved.
import { practice as fetchPractice, type AffectedAppointment, type ChangeOutcome, type Practice } from "../../bindings";
import { call, isAuthError, onCoreEvent, toApiError } from "../app/api";

export const practiceView = $state({
  data: null as Practice | null,
  error: "",
  loading: false,
  tab: "branches" as "branches" | "doctors" | "services" | "exceptions" | "rebook",
});

let seq = 0;

export async function loadPractice(): Promise<void> {
  const my = ++seq;
  practiceView.loading = true;
  try {
    const d = await call(fetchPractice());
    if (my !== seq) return;
    practiceView.data = d;
    practiceView.error = "";
  } catch (raw) {
    const e = toApiError(raw);
    if (my === seq && !isAuthError(e)) practiceView.error = e.message;
  } finally {
    if (my === seq) practiceView.loading = false;
  }
}

/** Keeps the practice answer current while a practice screen is open. Returns the unsubscribe. */
export function followPractice(): () => void {
  return onCoreEvent((e) => {
    if (["practice_changed", "staff_changed", "appointment_changed", "clinic_changed"].includes(e.kind)) void loadPractice();
  });
}

/** The question shown when a change would strand booked appointments. */
export const stranded = $state({
  open: false,
  what: "",
  list: [] as AffectedAppointment[],
  answer: null as ((go: boolean) => void) | null,
});

function ask(what: string, list: AffectedAppointment[]): Promise<boolean> {
  return new Promise((resolve) => {
    stranded.what = what;
    stranded.list = list;
    stranded.answer = (go) => {
      stranded.open = false;
      stranded.answer = null;
      resolve(go);
    };
    stranded.open = true;
  });
}

/**
 * Sends a change that can strand booked appointments. When the core answers "not saved" with the
 * appointments it would strand, they are shown; "Save anyway" sends it again confirmed. Resolves
 * to the saved outcome, or null when the person went back.
 */
export async function saveAsking(
  what: string,
  send: (confirmed: boolean) => Promise<ChangeOutcome>,
): Promise<ChangeOutcome | null> {
  const first = await call(send(false));
  if (first.saved) return first;
  if (!(await ask(what, first.affected))) return null;
  return await call(send(true));
}

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const WEEKDAYS_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
