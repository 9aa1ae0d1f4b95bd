// Today's single keys, as commands: what a key means on the board, apart from when it applies
// (Today decides that: not while typing, not under a dialog or the booking panel).
import type { Status } from "../../bindings";
import { KEY_STATUS } from "./status";

export type TodayCommand =
  /** ↑/↓: the previous or next appointment in the column. */
  | { kind: "row"; delta: -1 | 1 }
  /** ←/→: the nearest appointment in time in the previous or next doctor's column. */
  | { kind: "column"; delta: -1 | 1 }
  /** Enter: open the selected appointment's drawer. */
  | { kind: "open" }
  /** Esc: close the drawer. */
  | { kind: "close" }
  /** T: back to today. */
  | { kind: "today" }
  /** [ and ]: the previous or next day. */
  | { kind: "day"; delta: -1 | 1 }
  /** B: book; W: a walk-in. */
  | { kind: "book" }
  | { kind: "walk-in" }
  /** S: reschedule; X: cancel (the drawer's appointment, else the selected one). */
  | { kind: "reschedule" }
  | { kind: "cancel" }
  /** A, R, C, N: mark the selected appointment. */
  | { kind: "status"; status: Status };

/** What `key` (a KeyboardEvent's `key`, modifiers already excluded) does on Today, or null. */
export function todayCommand(key: string): TodayCommand | null {
  switch (key) {
    case "ArrowUp":
      return { kind: "row", delta: -1 };
    case "ArrowDown":
      return { kind: "row", delta: 1 };
    case "ArrowLeft":
      return { kind: "column", delta: -1 };
    case "ArrowRight":
      return { kind: "column", delta: 1 };
    case "Enter":
      return { kind: "open" };
    case "Escape":
      return { kind: "close" };
    case "t":
    case "T":
      return { kind: "today" };
    case "[":
      return { kind: "day", delta: -1 };
    case "]":
      return { kind: "day", delta: 1 };
    case "b":
    case "B":
      return { kind: "book" };
    case "w":
    case "W":
      return { kind: "walk-in" };
    case "s":
    case "S":
      return { kind: "reschedule" };
    case "x":
    case "X":
      return { kind: "cancel" };
  }
  const status = KEY_STATUS[key.toLowerCase()];
  return status && key.length === 1 ? { kind: "status", status } : null;
}
