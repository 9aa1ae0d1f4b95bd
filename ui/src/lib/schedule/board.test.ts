// Today's board: its arithmetic (board.ts — columns per doctor, the windowed board's rows and
// columns, scrolling a card into view, the keyboard's moves), then the board drawn in a window
// (jsdom): a big day draws only the cards in view, and the cards say what the end-to-end tests
// and the keyboard rely on.
import { fireEvent, render } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../app/state.svelte";
import { appt, dayOf } from "../test/fixtures";
import Board from "./Board.svelte";
import {
  COL_W,
  GAP,
  HEAD,
  PAD,
  ROW,
  WINDOWED_ABOVE,
  colWindow,
  columnMove,
  firstAppt,
  groupByDoctor,
  isWindowed,
  laneHeight,
  locate,
  rowMove,
  rowWindow,
  scrollToCard,
  type Column,
} from "./board";

const at = (h: number, m = 0) => Date.UTC(2026, 11, 8, h, m) / 1000;

/** Columns of `counts[i]` appointments each, 15 minutes apart from 09:00, ids col*100 + row. */
function board(...counts: number[]): Column[] {
  const appointments = counts.flatMap((n, c) =>
    Array.from({ length: n }, (_, r) =>
      appt({ id: (c + 1) * 100 + r, doctor_id: c + 1, starts_at: at(9, 15 * r), ends_at: at(9, 15 * r + 15) }),
    ),
  );
  return groupByDoctor(dayOf(appointments, counts.length));
}

describe("groupByDoctor", () => {
  it("gives every doctor of the day a column, in the day's order, appointments by start then id", () => {
    const day = dayOf(
      [
        appt({ id: 3, doctor_id: 2, starts_at: at(10) }),
        appt({ id: 2, doctor_id: 1, starts_at: at(11) }),
        appt({ id: 9, doctor_id: 1, starts_at: at(9) }),
        appt({ id: 1, doctor_id: 1, starts_at: at(9) }),
      ],
      3,
    );
    const cols = groupByDoctor(day);
    expect(cols.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(cols[0].appts.map((a) => a.id)).toEqual([1, 9, 2]);
    expect(cols[1].appts.map((a) => a.id)).toEqual([3]);
    expect(cols[2].appts).toEqual([]);
    expect(cols[0].name).toBe("Dr. A");
  });

  it("has no columns before a day is loaded", () => {
    expect(groupByDoctor(null)).toEqual([]);
  });
});

describe("the windowed board", () => {
  it("windows only days of more than 300 appointments", () => {
    expect(WINDOWED_ABOVE).toBe(300);
    expect(isWindowed(300)).toBe(false);
    expect(isWindowed(301)).toBe(true);
  });

  it("draws every card of a day that is not windowed", () => {
    expect(rowWindow(40, false, 5000, 300)).toEqual({ from: 0, to: 40, above: 0, below: 0 });
    expect(colWindow(30, false, 4000, 800)).toEqual({ from: 0, to: 30 });
  });

  it("draws the cards in view and a few around, with spacers standing in for the rest", () => {
    // At the top: the rows in 800 px plus six below.
    const top = rowWindow(500, true, 0, 800);
    expect(top.from).toBe(0);
    expect(top.above).toBe(0);
    expect(top.to).toBe(Math.ceil((800 - HEAD - PAD) / ROW) + 6);
    // Scrolled to row 200: six rows above it are drawn too.
    const mid = rowWindow(500, true, HEAD + PAD + 200 * ROW, 800);
    expect(mid.from).toBe(194);
    expect(mid.to).toBe(200 + Math.ceil(800 / ROW) + 6);
    // The spacers and the cards drawn fill exactly the height of all the cards.
    const cardsH = (n: number) => n * ROW - GAP;
    expect(mid.above + GAP + cardsH(mid.to - mid.from) + GAP + mid.below).toBe(cardsH(500));
  });

  it("never draws past the end of a short column", () => {
    const w = rowWindow(3, true, HEAD + PAD + 100 * ROW, 800);
    expect(w).toEqual({ from: 3, to: 3, above: 3 * ROW - GAP, below: 0 });
  });

  it("draws the columns in view and two either side", () => {
    expect(colWindow(150, true, 0, 1000)).toEqual({ from: 0, to: 1000 / COL_W + 2 });
    expect(colWindow(150, true, 50 * COL_W, 1000)).toEqual({ from: 48, to: 57 });
    expect(colWindow(150, true, 149 * COL_W, 1000)).toEqual({ from: 147, to: 150 });
  });

  it("makes the board as tall as its longest column", () => {
    expect(laneHeight(board(3, 10, 0))).toBe(HEAD + PAD + 10 * ROW + 24);
    expect(laneHeight([])).toBe(HEAD + PAD + 24);
  });

  it("scrolls the least needed to show a card, and not at all when it is in view", () => {
    const view = { scrollLeft: 0, scrollTop: 0, width: 1000, height: 600 };
    expect(scrollToCard(2, 3, view)).toEqual({ scrollLeft: 0, scrollTop: 0 });
    // Below the view: its bottom (and 8 px) at the bottom edge.
    expect(scrollToCard(0, 40, view).scrollTop).toBe(HEAD + PAD + 40 * ROW + 64 + 8 - 600);
    // Above the view: at the top, under the sticky head.
    expect(scrollToCard(0, 2, { ...view, scrollTop: 5000 }).scrollTop).toBe(2 * ROW);
    // Right of the view: its right edge at the right edge; left of it: at the left edge.
    expect(scrollToCard(9, 0, view).scrollLeft).toBe(10 * COL_W - 1000);
    expect(scrollToCard(1, 0, { ...view, scrollLeft: 3000 }).scrollLeft).toBe(COL_W);
  });
});

describe("the keyboard's moves", () => {
  it("finds an appointment's column and row", () => {
    const cols = board(2, 3);
    expect(locate(cols, 202)).toEqual([1, 2]);
    expect(locate(cols, 999)).toBeNull();
  });

  it("starts from the first appointment of the day, or today the first not yet over", () => {
    const cols = board(0, 4);
    expect(firstAppt(cols, false, at(12))?.id).toBe(200);
    expect(firstAppt(cols, true, at(9, 20))?.id).toBe(201);
    // Everything is over: the last one.
    expect(firstAppt(cols, true, at(18))?.id).toBe(203);
    expect(firstAppt(board(0, 0), true, at(9))).toBeNull();
  });

  it("moves up and down a column and stops at its ends", () => {
    const cols = board(5);
    expect(rowMove(cols, [0, 2], 1).id).toBe(103);
    expect(rowMove(cols, [0, 2], -1).id).toBe(101);
    expect(rowMove(cols, [0, 4], 1).id).toBe(104);
    expect(rowMove(cols, [0, 0], -1).id).toBe(100);
  });

  it("moves sideways to the nearest time in the next doctor's column, skipping empty ones", () => {
    const cols = board(6, 0, 4);
    // Row 3 of column 1 starts 09:45; column 3's nearest is its row 3 (09:45).
    expect(columnMove(cols, 0, at(9, 45), 1)?.id).toBe(303);
    // Past the end of column 3 (10:45): its last.
    expect(columnMove(cols, 0, at(10, 45), 1)?.id).toBe(303);
    expect(columnMove(cols, 2, at(9), -1)?.id).toBe(100);
    // At the edge of the board: nowhere to go.
    expect(columnMove(cols, 2, at(9), 1)).toBeNull();
    expect(columnMove(cols, 0, at(9), -1)).toBeNull();
  });
});

// jsdom lays nothing out: the board is never measured and keeps its first guess (800 px high).
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

function columnsOf(n: number, doctors = 1) {
  const appointments = Array.from({ length: n }, (_, i) =>
    appt({ id: i + 1, doctor_id: (i % doctors) + 1, starts_at: 1_796_720_400 + i * 60 }),
  );
  return groupByDoctor(dayOf(appointments, doctors));
}

function renderBoard(n: number, doctors = 1, over: Record<string, unknown> = {}) {
  return renderColumns(columnsOf(n, doctors), over);
}

function renderColumns(columns: Column[], over: Record<string, unknown> = {}) {
  const onfocus = vi.fn();
  const onopen = vi.fn();
  const r = render(Board, {
    props: {
      columns,
      windowed: isWindowed(columns.reduce((n, c) => n + c.appts.length, 0)),
      waitAmber: 15,
      waitRed: 30,
      timezone: "UTC",
      selectedId: null,
      drawerId: null,
      busyId: null,
      tabStop: columns[0]?.appts[0]?.id ?? null,
      onfocus,
      onopen,
      ...over,
    },
  });
  return { ...r, onfocus, onopen };
}

describe("Board", () => {
  it("draws every card of a day of 300 or fewer", () => {
    const { container } = renderBoard(300, 3);
    const grid = container.querySelector(".grid") as HTMLElement;
    expect(grid.dataset.windowed).toBe("false");
    expect(container.querySelectorAll("[data-testid=doctor-column]")).toHaveLength(3);
    expect(container.querySelectorAll("[data-testid=appt]")).toHaveLength(300);
    expect(container.querySelectorAll(".spacer")).toHaveLength(0);
  });

  it("draws only the cards in view on a bigger day, with a spacer for the rest", async () => {
    const { container } = renderBoard(2000, 1);
    const grid = container.querySelector<HTMLElement>(".grid")!;
    expect(grid.dataset.windowed).toBe("true");
    const ids = () => [...container.querySelectorAll<HTMLElement>("[data-testid=appt]")].map((e) => Number(e.dataset.apptId));
    // The rows in view (none: jsdom's board has no height) and the overscan.
    const top = rowWindow(2000, true, 0, grid.clientHeight);
    expect(ids()).toEqual(Array.from({ length: top.to }, (_, i) => i + 1));
    expect(top.to).toBeLessThan(20);
    const spacer = () => [...container.querySelectorAll<HTMLElement>(".spacer")].map((e) => parseInt(e.style.height));
    expect(spacer()).toEqual([(2000 - top.to) * ROW - 4]);

    // Scrolled down to row 1000: the cards around it, with spacers above and below.
    Object.defineProperty(grid, "scrollTop", { configurable: true, value: HEAD + PAD + 1000 * ROW });
    await fireEvent.scroll(grid);
    const mid = rowWindow(2000, true, HEAD + PAD + 1000 * ROW, grid.clientHeight);
    expect(ids()[0]).toBe(mid.from + 1);
    expect(ids()).toHaveLength(mid.to - mid.from);
    expect(ids()).toContain(1001);
    expect(spacer()).toEqual([mid.above, mid.below]);
  });

  it("marks the selected, open and busy cards and keeps one card in the tab order", () => {
    const { container } = renderBoard(5, 1, { selectedId: 2, drawerId: 3, busyId: 4, tabStop: 2 });
    const card = (id: number) => container.querySelector<HTMLElement>(`[data-testid=appt][data-appt-id="${id}"]`)!;
    expect(card(2).classList.contains("selected")).toBe(true);
    expect(card(2).getAttribute("aria-current")).toBe("true");
    expect(card(3).classList.contains("open")).toBe(true);
    expect(card(4).classList.contains("busy")).toBe(true);
    expect([...container.querySelectorAll("[data-testid=appt]")].map((e) => e.getAttribute("tabindex"))).toEqual([
      "-1",
      "0",
      "-1",
      "-1",
      "-1",
    ]);
  });

  it("says each card's status and start for the keyboard and the tests", () => {
    const { container } = renderBoard(2);
    const first = container.querySelector<HTMLElement>("[data-testid=appt]")!;
    expect(first.dataset.status).toBe("booked");
    expect(first.dataset.startsAt).toBe("1796720400");
    expect(first.querySelector(".pname")!.textContent).toBe("Patient 1");
  });

  it("opens a card on click and selects it on focus", async () => {
    const { container, onopen, onfocus } = renderBoard(3);
    const card = container.querySelector<HTMLElement>('[data-testid=appt][data-appt-id="2"]')!;
    await fireEvent.focus(card);
    expect(onfocus).toHaveBeenCalledWith(2);
    await fireEvent.click(card);
    expect(onopen).toHaveBeenCalledWith(2);
  });

  it("shows an arrived patient's wait instead of the service", () => {
    clock.now = Date.UTC(2026, 11, 8, 10, 0);
    const arrivedAt = Date.UTC(2026, 11, 8, 9, 20) / 1000;
    const columns = groupByDoctor(dayOf([appt({ id: 1, status: "arrived", arrived_at: arrivedAt })], 1));
    const { container } = renderColumns(columns);
    const wait = container.querySelector<HTMLElement>("[data-testid=wait]")!;
    expect(wait.dataset.level).toBe("red");
    expect(wait.textContent).toContain("waiting 40 min");
    expect(container.querySelector(".svc")).toBeNull();
  });

  it("says so in a doctor's column with nothing booked", () => {
    const columns = groupByDoctor(dayOf([appt({ id: 1, doctor_id: 1 })], 2));
    const { container } = renderColumns(columns);
    const cols = container.querySelectorAll("[data-testid=doctor-column]");
    expect(cols[1].textContent).toContain("No appointments");
    expect(cols[1].getAttribute("aria-label")).toBe("Dr. B");
  });
});
