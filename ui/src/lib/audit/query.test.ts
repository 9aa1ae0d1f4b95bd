// The filter bar → the core's query: blank fields are no filter, and what cannot be sent says
// which field to fix.
import { describe, expect, it } from "vitest";
import type { Verification } from "../../bindings";
import { EMPTY_FILTERS, isFiltered, toQuery, verdict } from "./query";

describe("toQuery", () => {
  it("sends no filter for blank fields, the first page of 50", () => {
    expect(toQuery(EMPTY_FILTERS)).toEqual({
      query: {
        staff_id: null,
        role: null,
        action: null,
        entity: null,
        entity_id: null,
        from: null,
        to: null,
        support_session_id: null,
        before_seq: null,
        limit: 50,
      },
    });
    expect(isFiltered(EMPTY_FILTERS)).toBe(false);
  });

  it("maps every field, trimmed, with the cursor", () => {
    const f = {
      staffId: "3",
      role: "operations",
      action: " appointment. ",
      entity: "patient",
      entityId: " 42 ",
      from: "2026-11-01",
      to: "2026-11-23",
      supportSessionId: "#7",
    };
    const r = toQuery(f, 900, 100);
    expect(r).toEqual({
      query: {
        staff_id: 3,
        role: "operations",
        action: "appointment.",
        entity: "patient",
        entity_id: "42",
        from: "2026-11-01",
        to: "2026-11-23",
        support_session_id: 7,
        before_seq: 900,
        limit: 100,
      },
    });
    expect(isFiltered(f)).toBe(true);
  });

  it("names the field to fix", () => {
    expect(toQuery({ ...EMPTY_FILTERS, entityId: "5" })).toMatchObject({ field: "entity" });
    expect(toQuery({ ...EMPTY_FILTERS, supportSessionId: "abc" })).toMatchObject({ field: "supportSessionId" });
    expect(toQuery({ ...EMPTY_FILTERS, from: "23/11/2026" })).toMatchObject({ field: "from" });
    expect(toQuery({ ...EMPTY_FILTERS, from: "2026-11-23", to: "2026-11-01" })).toMatchObject({ field: "to" });
  });
});

describe("verdict", () => {
  const base: Verification = {
    rows_checked: 1200,
    first_broken_seq: null,
    first_missing_seq: null,
    missing_tail: null,
    head_mismatch: false,
    intact: true,
    summary: "All 1200 rows of the audit log are intact.",
  };
  it("says plainly that the chain is intact, with the count", () => {
    expect(verdict(base)).toEqual({ ok: true, text: "Chain intact: all 1,200 events verified." });
  });
  it("gives the core's sentence for a broken chain", () => {
    const v = { ...base, intact: false, first_broken_seq: 40, summary: "Row 40 of the audit log was changed after it was written." };
    expect(verdict(v)).toEqual({ ok: false, text: "Row 40 of the audit log was changed after it was written. (1,200 events checked)" });
  });
});
