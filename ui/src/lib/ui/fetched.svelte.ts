// A list read from the core for one screen, loaded so that it never flashes or goes stale: `slow`
// turns on only once a read has taken 200 ms (a fast load shows no loading state), the answer of
// a read that a newer one overtook is dropped, and the last good data stays while an error shows.
// Sign-in errors are left to the shell, which changes screen.
import type { ApiError } from "../../bindings";
import { call, isAuthError, toApiError } from "../app/api";

export class Fetched<T> {
  data = $state<T | null>(null);
  error = $state<ApiError | null>(null);
  slow = $state(false);
  #seq = 0;
  #read: () => Promise<T>;

  /** `read` starts one read (reading the screen's filters when it is called). */
  constructor(read: () => Promise<T>) {
    this.#read = read;
  }

  /** Reads again; safe to call from event handlers (bound). */
  load = async (): Promise<void> => {
    const my = ++this.#seq;
    const timer = setTimeout(() => {
      if (my === this.#seq) this.slow = true;
    }, 200);
    try {
      const data = await call(this.#read());
      if (my !== this.#seq) return;
      this.data = data;
      this.error = null;
    } catch (raw) {
      if (my !== this.#seq) return;
      const e = toApiError(raw);
      if (!isAuthError(e)) this.error = e;
    } finally {
      clearTimeout(timer);
      if (my === this.#seq) this.slow = false;
    }
  };
}
