// The slots one booking form has on screen: the chosen day's free slots, and the answer of "Find
// earliest". One per open form (it goes when the panel closes); a stale answer is dropped.
import { findEarliest, freeSlots, type ApiError, type Slot, type SlotQuery } from "../../bindings";
import { call, isAuthError, toApiError } from "../app/api";
import { dateLabel } from "../app/time";

export class SlotSearch {
  /** The day's free slots, for the query `key` ("" when none was asked). */
  slots = $state<Slot[]>([]);
  key = $state("");
  error = $state("");
  /** Only after 200 ms, so a fast answer never flashes "Finding…". */
  loading = $state(false);
  #seq = 0;

  earliest = $state<Slot[]>([]);
  /** Find earliest has answered (its list shows, even when empty). */
  earliestRan = $state(false);
  earliestBusy = $state(false);
  earliestError = $state("");
  /** The dates it searched, for "Nothing free Tue 8 Dec – …". */
  earliestRange = $state("");

  /** Asks for the day's free slots under `key` (nothing and no slots when the key is ""). */
  async loadDay(key: string, query: () => SlotQuery): Promise<void> {
    const my = ++this.#seq;
    if (!key) {
      this.slots = [];
      this.key = "";
      this.error = "";
      return;
    }
    const q = query();
    const timer = setTimeout(() => {
      if (my === this.#seq) this.loading = true;
    }, 200);
    try {
      const r = await call(freeSlots(q));
      if (my !== this.#seq) return;
      this.slots = r.slots;
      this.key = key;
      this.error = "";
    } catch (raw) {
      if (my !== this.#seq) return;
      const e = toApiError(raw);
      if (isAuthError(e)) return;
      this.slots = [];
      this.key = key;
      this.error = e.message;
    } finally {
      clearTimeout(timer);
      if (my === this.#seq) this.loading = false;
    }
  }

  /**
   * Finds the earliest free slots. A refusal about a field goes to `onFieldError` (the form puts
   * it under the field and focuses it) while the search still counts as busy; any other refusal
   * is shown under the button.
   */
  async findEarliest(q: SlotQuery, onFieldError: (e: ApiError) => Promise<void>): Promise<void> {
    this.earliestBusy = true;
    this.earliestError = "";
    try {
      const r = await call(findEarliest(q));
      this.earliest = r.slots;
      this.earliestRan = true;
      this.earliestRange = `${dateLabel(r.searched_from)} – ${dateLabel(r.searched_to)}`;
    } catch (raw) {
      const e = toApiError(raw);
      if (isAuthError(e)) return;
      this.earliest = [];
      this.earliestRan = false;
      if (e.field) await onFieldError(e);
      else this.earliestError = e.message;
    } finally {
      this.earliestBusy = false;
    }
  }

  /** The earliest slots are stale (an appointment changed): they go until asked again. */
  forgetEarliest(): void {
    if (this.earliest.length) this.earliest = [];
  }

  /** The slots on screen, the day's first: what a picked slot is checked against. */
  shown(): Slot[][] {
    return [this.slots, this.earliest];
  }
}
