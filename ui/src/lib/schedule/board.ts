// Today's board as arithmetic: the day's appointments grouped into one column per doctor, which
// part of a big day to draw (the windowed board), and how the keyboard moves the selection. Pure
// functions of their arguments, so the board's rules are tested without a window.
import type { AppointmentRow, DayView } from "../../bindings";

export type Column = { id: number; name: string; department: string; hours: string; appts: AppointmentRow[] };

/** One column per doctor of the day, in the day's order, each doctor's appointments by start. */
export function groupByDoctor(day: DayView | null): Column[] {
  if (!day) return [];
  const by = new Map<number, AppointmentRow[]>();
  for (const a of day.appointments) {
    const list = by.get(a.doctor_id);
    if (list) list.push(a);
    else by.set(a.doctor_id, [a]);
  }
  for (const list of by.values()) list.sort((x, y) => x.starts_at - y.starts_at || x.id - y.id);
  return day.doctors.map((d) => ({ ...d, appts: by.get(d.id) ?? [] }));
}

// ---- A big day is drawn a window at a time ----------------------------------------------------
// Every card has one height, so a column's layout is arithmetic: on a day with hundreds of
// appointments only the cards in (and a little around) the visible part of the board exist, and
// switching the day costs a screenful of cards, not thousands.

/** A card's height (px); `AppointmentCard`'s CSS says the same. */
export const CARD_H = 64;
export const GAP = 4;
export const ROW = CARD_H + GAP;
/** The sticky column head and the cards' top padding. */
export const HEAD = 50;
export const PAD = 5;
/** Above this many appointments the board is windowed (the demo's days draw every card). */
export const WINDOWED_ABOVE = 300;
export const OVERSCAN = 6;
/** A column's width on a windowed board (a clinic with many doctors scrolls sideways too). */
export const COL_W = 200;
export const COL_OVERSCAN = 2;

/** Whether a day of `count` appointments is drawn a window at a time. */
export function isWindowed(count: number): boolean {
  return count > WINDOWED_ABOVE;
}

export type RowWindow = { from: number; to: number; above: number; below: number };

/**
 * The cards of a column of `n` to draw now: [from, to), and the space (px) standing in for the
 * cards above and below. Not windowed: all of them.
 */
export function rowWindow(n: number, windowed: boolean, scrollTop: number, viewH: number): RowWindow {
  if (!windowed) return { from: 0, to: n, above: 0, below: 0 };
  const y = scrollTop - HEAD - PAD;
  const from = Math.min(n, Math.max(0, Math.floor(y / ROW) - OVERSCAN));
  const to = Math.min(n, Math.max(from, Math.ceil((y + viewH) / ROW) + OVERSCAN));
  return { from, to, above: from > 0 ? from * ROW - GAP : 0, below: to < n ? (n - to) * ROW - GAP : 0 };
}

/** The columns (of `n`) to draw now: [from, to). */
export function colWindow(n: number, windowed: boolean, scrollLeft: number, viewW: number): { from: number; to: number } {
  if (!windowed) return { from: 0, to: n };
  const from = Math.min(n, Math.max(0, Math.floor(scrollLeft / COL_W) - COL_OVERSCAN));
  return { from, to: Math.min(n, Math.max(from, Math.ceil((scrollLeft + viewW) / COL_W) + COL_OVERSCAN)) };
}

/** The board's full height (px), whichever columns are drawn. */
export function laneHeight(columns: Column[]): number {
  return HEAD + PAD + Math.max(0, ...columns.map((c) => c.appts.length)) * ROW + 24;
}

export type Viewport = { scrollLeft: number; scrollTop: number; width: number; height: number };

/**
 * Where a windowed board must scroll so the card at column `col`, row `row` is drawn and fully
 * visible: the least movement from `v` (unchanged when it already is).
 */
export function scrollToCard(col: number, row: number, v: Viewport): { scrollLeft: number; scrollTop: number } {
  let { scrollLeft, scrollTop } = v;
  const left = col * COL_W;
  if (left < scrollLeft) scrollLeft = left;
  else if (left + COL_W > scrollLeft + v.width) scrollLeft = left + COL_W - v.width;
  const top = HEAD + PAD + row * ROW;
  if (top - HEAD - PAD < scrollTop) scrollTop = top - HEAD - PAD;
  else if (top + CARD_H + 8 > scrollTop + v.height) scrollTop = top + CARD_H + 8 - v.height;
  return { scrollLeft, scrollTop };
}

// ---- The keyboard's moves ---------------------------------------------------------------------

/** [column, row] of an appointment on the board, or null when it is not on it. */
export function locate(columns: Column[], id: number): [number, number] | null {
  for (let c = 0; c < columns.length; c++) {
    const r = columns[c].appts.findIndex((a) => a.id === id);
    if (r >= 0) return [c, r];
  }
  return null;
}

/**
 * Where the selection starts when nothing is selected: in the first column with appointments, the
 * first of the day, or — today — the first not yet over (the last when all are).
 */
export function firstAppt(columns: Column[], isToday: boolean, nowSec: number): AppointmentRow | null {
  const col = columns.find((c) => c.appts.length);
  if (!col) return null;
  if (!isToday) return col.appts[0];
  return col.appts.find((a) => a.ends_at > nowSec) ?? col.appts[col.appts.length - 1];
}

/** ↑/↓: the appointment `delta` rows away in the same column, stopping at its ends. */
export function rowMove(columns: Column[], from: [number, number], delta: number): AppointmentRow {
  const list = columns[from[0]].appts;
  return list[Math.min(list.length - 1, Math.max(0, from[1] + delta))];
}

/**
 * ←/→: in the next column that has appointments (skipping empty ones), the appointment closest in
 * time to `startsAt`; null at the board's edge.
 */
export function columnMove(columns: Column[], fromCol: number, startsAt: number, delta: number): AppointmentRow | null {
  for (let c = fromCol + delta; c >= 0 && c < columns.length; c += delta) {
    const list = columns[c].appts;
    if (!list.length) continue;
    let best = list[0];
    for (const a of list) {
      if (Math.abs(a.starts_at - startsAt) < Math.abs(best.starts_at - startsAt)) best = a;
    }
    return best;
  }
  return null;
}
