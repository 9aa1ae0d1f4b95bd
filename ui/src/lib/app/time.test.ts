// One way to write a date, and dates typed every common way (time.ts).
import { afterEach, describe, expect, it } from "vitest";
import { birthDate, dateLabel, parseDate, setDateOrder } from "./time";

afterEach(() => setDateOrder("day_first"));

describe("dateLabel and birthDate", () => {
  it("write the clinic's order, as the core's clock::date_label does", () => {
    setDateOrder("day_first");
    expect(dateLabel("2026-12-08")).toBe("Tue 8 Dec 2026");
    expect(birthDate("1984-01-31")).toBe("31 Jan 1984");
    setDateOrder("month_first");
    expect(dateLabel("2026-12-08")).toBe("Tue Dec 8, 2026");
    expect(birthDate("1984-01-31")).toBe("Jan 31, 1984");
  });

  it("leave text that is not a date alone", () => {
    expect(dateLabel("soon")).toBe("soon");
  });
});

describe("parseDate", () => {
  const today = "2026-12-03";

  it("reads ISO dates, words and relative days", () => {
    expect(parseDate("2026-12-08", today)).toBe("2026-12-08");
    expect(parseDate("today", today)).toBe(today);
    expect(parseDate("Tomorrow", today)).toBe("2026-12-04");
    expect(parseDate("yesterday", today)).toBe("2026-12-02");
    expect(parseDate("8 Dec 2026", today)).toBe("2026-12-08");
    expect(parseDate("Dec 8, 2026", today)).toBe("2026-12-08");
    expect(parseDate("Tue 8 Dec 2026", today)).toBe("2026-12-08");
    expect(parseDate("8 december", today)).toBe("2026-12-08");
  });

  it("reads numeric dates in the clinic's order", () => {
    setDateOrder("day_first");
    expect(parseDate("8/12/2026", today)).toBe("2026-12-08");
    setDateOrder("month_first");
    expect(parseDate("12/8/2026", today)).toBe("2026-12-08");
    expect(parseDate("12/8/26", today)).toBe("2026-12-08");
  });

  it("refuses what is not a real date", () => {
    expect(parseDate("31 Feb 2026", today)).toBeNull();
    expect(parseDate("2026-13-01", today)).toBeNull();
    expect(parseDate("next week", today)).toBeNull();
    expect(parseDate("", today)).toBeNull();
  });

  it("reads back every date it writes", () => {
    for (const order of ["day_first", "month_first"] as const) {
      setDateOrder(order);
      for (const d of ["2026-01-01", "2026-02-28", "2027-07-15", "1984-12-31"]) {
        expect(parseDate(dateLabel(d), today)).toBe(d);
        expect(parseDate(birthDate(d), today)).toBe(d);
      }
    }
  });
});
