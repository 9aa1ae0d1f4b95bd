// Toasts: confirmations and errors, dismissed after ~5 s (errors linger a little longer).
export type ToastKind = "info" | "success" | "error";
export type Toast = { id: number; kind: ToastKind; text: string };

export const toasts: Toast[] = $state([]);
let nextId = 1;

export function dismiss(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

export function toast(text: string, kind: ToastKind = "info"): void {
  // The same message twice in a row (e.g. a key held down) is shown once.
  const last = toasts[toasts.length - 1];
  if (last && last.text === text && last.kind === kind) {
    dismiss(last.id);
  }
  const id = nextId++;
  toasts.push({ id, kind, text });
  while (toasts.length > 3) toasts.shift();
  setTimeout(() => dismiss(id), kind === "error" ? 7000 : 5000);
}

/** Toasts can name patients: they go when the desk locks or the person signs out. */
export function clearToasts(): void {
  toasts.splice(0, toasts.length);
}
