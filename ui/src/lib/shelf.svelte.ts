// Unfinished drafts set aside. Opening a form always starts it empty; what was typed into it before
// (another caller's booking, a half-written escalation) is put on the form's shelf and offered
// explicitly — "Resume the booking for Asha Rao?" — never silently reused. A shelf is per form and
// per person: signing out or a different person signing in clears it with the drafts.

export type Shelved<T> = {
  /** Stable within the run, for keyed lists and tests. */
  id: number;
  /** Who or what the draft is for, as the offer says it ("Asha Rao", "a caller on 416-555-0100"). */
  label: string;
  /** When it was set aside (ms since the epoch). */
  at: number;
  draft: T;
};

/** At most this many drafts wait on one shelf; the oldest goes first beyond it. */
export const SHELF_SIZE = 5;

let nextId = 1;

export class Shelf<T> {
  items = $state<Shelved<T>[]>([]);

  /** Sets a draft aside, newest first. */
  put(draft: T, label: string, now = Date.now()): void {
    this.items = [{ id: nextId++, label, at: now, draft }, ...this.items].slice(0, SHELF_SIZE);
  }

  /** Takes a draft off the shelf to resume it (null when it is no longer there). */
  take(id: number): T | null {
    const found = this.items.find((s) => s.id === id);
    if (!found) return null;
    this.items = this.items.filter((s) => s.id !== id);
    return found.draft;
  }

  drop(id: number): void {
    this.items = this.items.filter((s) => s.id !== id);
  }

  clear(): void {
    this.items = [];
  }
}
