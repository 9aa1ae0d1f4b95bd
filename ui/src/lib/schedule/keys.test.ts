// What Today's keys mean (keys.ts), and that they agree with the status shortcuts (status.ts).
import { describe, expect, it } from "vitest";
import { todayCommand } from "./keys";
import { KEY_STATUS, STATUS_KEY } from "./status";

describe("todayCommand", () => {
  it("maps each documented key to its command", () => {
    const cases: [string, ReturnType<typeof todayCommand>][] = [
      ["ArrowUp", { kind: "row", delta: -1 }],
      ["ArrowDown", { kind: "row", delta: 1 }],
      ["ArrowLeft", { kind: "column", delta: -1 }],
      ["ArrowRight", { kind: "column", delta: 1 }],
      ["Enter", { kind: "open" }],
      ["Escape", { kind: "close" }],
      ["t", { kind: "today" }],
      ["T", { kind: "today" }],
      ["[", { kind: "day", delta: -1 }],
      ["]", { kind: "day", delta: 1 }],
      ["b", { kind: "book" }],
      ["W", { kind: "walk-in" }],
      ["s", { kind: "reschedule" }],
      ["X", { kind: "cancel" }],
      ["a", { kind: "status", status: "arrived" }],
      ["R", { kind: "status", status: "in_room" }],
      ["c", { kind: "status", status: "completed" }],
      ["N", { kind: "status", status: "no_show" }],
    ];
    for (const [key, cmd] of cases) expect(todayCommand(key), key).toEqual(cmd);
  });

  it("leaves every other key alone (typing, Tab, function keys)", () => {
    for (const key of ["q", "1", " ", "Tab", "F5", "Delete", "Alt"]) expect(todayCommand(key), key).toBeNull();
  });

  it("agrees with the shortcuts the drawer and tooltips show", () => {
    for (const [key, status] of Object.entries(KEY_STATUS)) {
      expect(STATUS_KEY[status]).toBe(key.toUpperCase());
      expect(todayCommand(key)).toEqual({ kind: "status", status });
    }
  });
});
