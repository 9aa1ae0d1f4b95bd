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

/** Who a draft is for: the first name given, else its text quoted, else `fallback`. */
export function draftName(names: (string | null | undefined)[], text: string, fallback: string): string {
  const name = names.map((n) => (n ?? "").trim()).find(Boolean);
  if (name) return name;
  return text.trim() ? `“${text.trim().slice(0, 40)}”` : fallback;
}

export class Shelf<T> {
  items = $state<Shelved<T>[]>([]);
  /** Whether a draft holds anything typed, and who it is for (as the offer says it). */
  private dirty: (d: T) => boolean;
  private label: (d: T) => string;

  constructor(dirty: (d: T) => boolean, label: (d: T) => string) {
    this.dirty = dirty;
    this.label = label;
  }

  /** Sets a draft aside when anything was typed in it; the form then starts empty. */
  setAside(draft: T, now = Date.now()): void {
    if (this.dirty(draft)) this.put(draft, this.label(draft), now);
  }

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
