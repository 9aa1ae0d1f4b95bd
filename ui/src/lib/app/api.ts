// Error helpers and the fan-out of core events to the screens that care.
import type { ApiError, ErrorCode, Event as CoreEvent } from "../../bindings";

// Every code, as an object TypeScript checks for completeness: a code added in the core and not
// listed here fails the type check instead of turning into "Something went wrong".
const ALL_CODES: Record<ErrorCode, true> = {
  not_signed_in: true,
  session_locked: true,
  forbidden: true,
  // A support account with no approved session: the window shows the Support screen instead.
  support_session_required: true,
  // Signed in with a temporary password: only changing it (or signing out) works until then.
  password_change_required: true,
  invalid_input: true,
  not_found: true,
  conflict: true,
  needs_confirmation: true,
  bad_credentials: true,
  already_set_up: true,
  not_set_up: true,
  storage: true,
  tampered: true,
  internal: true,
};
const CODES: ReadonlySet<string> = new Set(Object.keys(ALL_CODES));

export function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as ApiError).code === "string" &&
    CODES.has((e as ApiError).code) &&
    typeof (e as ApiError).message === "string"
  );
}

/** Whatever was thrown, as an ApiError (a bug or a broken IPC becomes `internal`). */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return { code: e.code, message: e.message, field: e.field ?? null };
  const message =
    typeof e === "string" ? e : e instanceof Error ? e.message : "Something went wrong. Try again, and restart Frontdesk if it repeats.";
  return { code: "internal", message, field: null };
}

/** The codes the shell answers by changing screen: the lock screen, sign-in, or choosing a password. */
export type AuthCode = "session_locked" | "not_signed_in" | "password_change_required";

/** Errors that the shell handles by changing screen (see `AuthCode`); screens stay quiet. */
export function isAuthError(e: ApiError): e is ApiError & { code: AuthCode } {
  return e.code === "session_locked" || e.code === "not_signed_in" || e.code === "password_change_required";
}

type AuthHandler = (code: AuthCode) => void;
let authHandler: AuthHandler = () => {};

/** App.svelte registers how to show the lock screen / sign-in / the password form when a command says so. */
export function setAuthHandler(h: AuthHandler): void {
  authHandler = h;
}

/**
 * Awaits a command. On rejection, returns the error as an ApiError; `session_locked`,
 * `not_signed_in` and `password_change_required` also switch to the lock screen, sign-in, or the
 * form where a person with a temporary password chooses their own.
 */
export async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (raw) {
    const e = toApiError(raw);
    if (isAuthError(e)) authHandler(e.code);
    else if (e.code === "support_session_required") sessionEndedHandler();
    throw e;
  }
}

let sessionEndedHandler: () => void = () => {};

/**
 * What to do when a support person's command is refused for want of a session: it ended (expired,
 * or an owner ended it) since the window last looked. The support feature registers it (read the
 * banner and the person's permissions again), so no screen shows stale access.
 */
export function setSupportSessionEndedHandler(h: () => void): void {
  sessionEndedHandler = h;
}

/** Maps `field` errors of a form: field name → message. */
export function fieldErrors(e: ApiError): Record<string, string> {
  return e.field ? { [e.field]: e.message } : {};
}

type Listener = (e: CoreEvent) => void;
const listeners = new Set<Listener>();

/** Subscribe to core events (forwarded by App.svelte). Returns the unsubscribe function. */
export function onCoreEvent(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function emitCoreEvent(e: CoreEvent): void {
  for (const l of [...listeners]) {
    try {
      l(e);
    } catch (err) {
      console.error("frontdesk: event handler failed", err);
    }
  }
}
