// The audit desk's filter bar as typed, turned into the core's query (and what to fix when it
// cannot be): pure, so it is tested without a window.
import type { AuditQuery, Verification } from "../../bindings";

/** The filter bar's fields, as the inputs hold them (empty string: no filter). */
export type AuditFilterForm = {
  staffId: string;
  role: string;
  action: string;
  entity: string;
  entityId: string;
  from: string;
  to: string;
  supportSessionId: string;
};

export const EMPTY_FILTERS: AuditFilterForm = {
  staffId: "",
  role: "",
  action: "",
  entity: "",
  entityId: "",
  from: "",
  to: "",
  supportSessionId: "",
};

export type QueryResult = { query: AuditQuery } | { error: string; field: keyof AuditFilterForm };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The query for the filters, newest first from `beforeSeq` (null: the first page). */
export function toQuery(f: AuditFilterForm, beforeSeq: number | null = null, limit = 50): QueryResult {
  const text = (s: string) => (s.trim() === "" ? null : s.trim());
  const entity = text(f.entity);
  const entityId = text(f.entityId);
  if (entityId !== null && entity === null) {
    return { error: "Pick the kind of record as well as its number.", field: "entity" };
  }
  let session: number | null = null;
  if (text(f.supportSessionId) !== null) {
    session = Number(f.supportSessionId.trim().replace(/^#/, ""));
    if (!Number.isInteger(session) || session <= 0) {
      return { error: "A support session is a number, such as 12.", field: "supportSessionId" };
    }
  }
  const from = text(f.from);
  const to = text(f.to);
  for (const [field, v] of [["from", from], ["to", to]] as const) {
    if (v !== null && !DATE.test(v)) return { error: "Use a date such as 2026-05-04.", field };
  }
  if (from !== null && to !== null && to < from) {
    return { error: "The last day is before the first. Pick a last day on or after the first.", field: "to" };
  }
  const staff = text(f.staffId);
  return {
    query: {
      staff_id: staff === null ? null : Number(staff),
      role: text(f.role),
      action: text(f.action),
      entity,
      entity_id: entityId,
      from,
      to,
      support_session_id: session,
      before_seq: beforeSeq,
      limit,
    },
  };
}

/** Whether any filter is set (the empty state says "nothing matches" rather than "no events"). */
export function isFiltered(f: AuditFilterForm): boolean {
  return Object.values(f).some((v) => v.trim() !== "");
}

/** The verification's result in one plain line, and whether it is good news. */
export function verdict(v: Verification): { ok: boolean; text: string } {
  const n = v.rows_checked.toLocaleString("en");
  if (v.intact) return { ok: true, text: `Chain intact: all ${n} events verified.` };
  return { ok: false, text: `${v.summary} (${n} events checked)` };
}
