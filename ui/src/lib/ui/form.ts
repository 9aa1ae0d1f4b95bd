// What forms share: turning a refusal into the message beside its field.
import { isAuthError, toApiError } from "../app/api";
import { toast } from "./toasts.svelte";

/**
 * Shows a refusal: beside its field when it names one (and focuses it), otherwise at the form's
 * top. Returns the errors to show; empty when the refusal took the person to another screen
 * (sign-in, the lock screen, choosing their own password). Fields have ids `${idPrefix}-${field}`.
 */
export function refusal(raw: unknown, idPrefix: string): Record<string, string> {
  const e = toApiError(raw);
  if (isAuthError(e)) return {};
  if (e.field) {
    queueMicrotask(() => document.getElementById(`${idPrefix}-${e.field}`)?.focus());
    return { [e.field]: e.message };
  }
  toast(e.message, "error");
  return { _form: e.message };
}
