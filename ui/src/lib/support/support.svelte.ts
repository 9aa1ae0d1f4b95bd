// The support sessions running now, for the banner every signed-in person sees: read when the
// frame opens, again on every `support_session_changed`, and again when the first one expires
// (a timer: the core needs no job to expire a session, and neither does the window). A support
// person's own permissions change with their session, so their session is read again too.
import { activeSupportSessions, currentSession, type SupportBanner } from "../../bindings";
import { call, isAuthError, onCoreEvent, setSupportSessionEndedHandler, toApiError } from "../app/api";
import { app, onReset } from "../app/state.svelte";
import { msUntilNextExpiry } from "./sessions";

export const supportState = $state({
  banners: [] as SupportBanner[],
});

let seq = 0;
let expiryTimer: ReturnType<typeof setTimeout> | null = null;

onReset(() => {
  seq++;
  supportState.banners = [];
  if (expiryTimer) clearTimeout(expiryTimer);
  expiryTimer = null;
});

/** Reads the running sessions and sets the timer for the first expiry. */
export async function loadBanners(): Promise<void> {
  const my = ++seq;
  try {
    const list = await call(activeSupportSessions());
    if (my !== seq) return;
    supportState.banners = list;
    if (expiryTimer) clearTimeout(expiryTimer);
    const wait = msUntilNextExpiry(list, Date.now());
    // A second past the end, so the core agrees it has ended.
    expiryTimer = wait === null ? null : setTimeout(onExpiry, wait + 1000);
  } catch (raw) {
    const e = toApiError(raw);
    if (my === seq && !isAuthError(e)) supportState.banners = [];
  }
}

function onExpiry() {
  expiryTimer = null;
  rereadSessions();
}

/**
 * Reads again what a session changes: the banner, and a support person's own permissions. On
 * expiry, on `support_session_changed`, when a command was refused for want of a session, and
 * when the Support screen opens.
 */
export function rereadSessions(): void {
  void loadBanners();
  refreshOwnSession();
}

/** A support person's permissions follow their session: read the session again. */
export function refreshOwnSession(): void {
  if (app.session?.role !== "support") return;
  const staffId = app.session.staff_id;
  call(currentSession())
    .then((info) => {
      if (app.session?.staff_id === staffId) app.session = info;
    })
    .catch(() => {});
}

/** Keeps the banner current while the frame is up. Returns the unsubscribe. */
export function followSupportSessions(): () => void {
  void loadBanners();
  setSupportSessionEndedHandler(rereadSessions);
  const off = onCoreEvent((e) => {
    if (e.kind === "support_session_changed") rereadSessions();
  });
  return () => {
    off();
    setSupportSessionEndedHandler(() => {});
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = null;
  };
}
