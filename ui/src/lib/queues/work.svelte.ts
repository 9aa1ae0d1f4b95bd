// "Work waiting": one fetch feeds the home screen and the rail's counts (Work waiting, Callbacks,
// Escalations). Frame loads it on sign-in and whenever a queue changes; screens only read it.
import { workWaiting, type ApiError, type WorkWaiting } from "../../bindings";
import { call, isAuthError, toApiError } from "../app/api";
import { onReset } from "../app/state.svelte";

export const work = $state({
  data: null as WorkWaiting | null,
  error: null as ApiError | null,
  /** True once a load has taken longer than 200 ms (a skeleton only then, no flash). */
  slow: false,
});

let seq = 0;

export async function loadWork(): Promise<void> {
  const my = ++seq;
  const timer = setTimeout(() => {
    if (my === seq) work.slow = true;
  }, 200);
  try {
    const d = await call(workWaiting());
    if (my !== seq) return;
    work.data = d;
    work.error = null;
  } catch (raw) {
    if (my !== seq) return;
    const e = toApiError(raw);
    if (!isAuthError(e)) work.error = e;
  } finally {
    clearTimeout(timer);
    if (my === seq) work.slow = false;
  }
}

export function resetWork(): void {
  seq++;
  work.data = null;
  work.error = null;
  work.slow = false;
}

// ---- Sections: open or minimised, remembered per person on this desk ---------------------------

export type WorkSection = "escalations" | "callbacks" | "reviews" | "unconfirmed";
export const WORK_SECTIONS: WorkSection[] = ["escalations", "callbacks", "reviews", "unconfirmed"];

export const sections = $state({
  staffId: null as number | null,
  minimised: {} as Partial<Record<WorkSection, boolean>>,
});

const KEY = "frontdesk.work.minimised.";

/** Loads the person's minimised sections (kept in this desk's local storage). */
export function useSectionsOf(staffId: number): void {
  if (sections.staffId === staffId) return;
  sections.staffId = staffId;
  let m: Partial<Record<WorkSection, boolean>> = {};
  try {
    const raw = localStorage.getItem(KEY + staffId);
    if (raw) {
      const parsed = JSON.parse(raw);
      if (parsed && typeof parsed === "object") {
        for (const s of WORK_SECTIONS) if (parsed[s] === true) m[s] = true;
      }
    }
  } catch {
    m = {};
  }
  sections.minimised = m;
}

export function setMinimised(s: WorkSection, value: boolean): void {
  sections.minimised = { ...sections.minimised, [s]: value };
  if (sections.staffId === null) return;
  try {
    localStorage.setItem(KEY + sections.staffId, JSON.stringify(sections.minimised));
  } catch {
    /* storage unavailable: the choice lasts until the window closes */
  }
}

onReset(resetWork);
