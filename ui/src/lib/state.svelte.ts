// Shared state of the window: which screen is up, who is signed in, and the Today view's
// position (date, branch, selection, drawer) so it survives the lock screen.
import type { SessionInfo, SetupStatus } from "../bindings";

export type Screen = "boot" | "setup" | "signin" | "locked" | "frame";
export type Section = "today" | "settings";

export const app = $state({
  screen: "boot" as Screen,
  setup: null as SetupStatus | null,
  session: null as SessionInfo | null,
  /** Who the lock screen names (kept when the session itself is not readable while locked). */
  lockedName: "",
  /** Username to prefill on the sign-in form (after setup or "sign in as someone else"). */
  prefillUsername: "",
  bootError: "",
});

export const view = $state({
  section: "today" as Section,
  /** `YYYY-MM-DD`, or null for "today in the clinic's zone". */
  date: null as string | null,
  branchId: null as number | null,
  selectedId: null as number | null,
  drawerId: null as number | null,
  /** Whose view this is: a different person signing in starts fresh. */
  staffId: null as number | null,
});

export function resetView(): void {
  view.section = "today";
  view.date = null;
  view.branchId = null;
  view.selectedId = null;
  view.drawerId = null;
  view.staffId = null;
  ui.shortcuts = false;
  settingsDraft.idle_lock_minutes = null;
  settingsDraft.wait_amber_minutes = null;
  settingsDraft.wait_red_minutes = null;
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
export const rendered = { signin: false, today: false };

/** Overlays of the frame. */
export const ui = $state({ shortcuts: false });

/** The Settings form's unsaved values survive switching screens (null: not edited yet). */
export const settingsDraft = $state({
  idle_lock_minutes: null as string | null,
  wait_amber_minutes: null as string | null,
  wait_red_minutes: null as string | null,
});
