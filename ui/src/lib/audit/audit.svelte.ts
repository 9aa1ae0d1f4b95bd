// The audit desk's state: the filters, the rows loaded so far (a page at a time, by cursor), the
// filter bar's choices, one record's history in the drawer, the last verification and export.
import {
  auditEntityHistory,
  auditFilters,
  auditPage,
  exportAuditCsv,
  verifyAudit,
  type AuditExport,
  type AuditFilters,
  type AuditRow,
  type Verification,
} from "../../bindings";
import { call, isAuthError, toApiError } from "../app/api";
import { onReset } from "../app/state.svelte";
import { EMPTY_FILTERS, toQuery, type AuditFilterForm } from "./query";

export const auditView = $state({
  filters: { ...EMPTY_FILTERS } as AuditFilterForm,
  rows: [] as AuditRow[],
  /** The cursor for "Load more"; null when the last page is shown. */
  next: null as number | null,
  /** A first page has arrived for the current filters. */
  loaded: false,
  loading: false,
  /** The first load is taking long enough to say so (a fast one never flashes "Loading…"). */
  slow: false,
  error: "",
  /** A filter that cannot be sent: the field and what to type. */
  fieldError: null as { field: keyof AuditFilterForm; message: string } | null,
  choices: null as AuditFilters | null,
  history: null as {
    entity: string;
    entityId: string;
    rows: AuditRow[];
    next: number | null;
    error: string;
    loading: boolean;
  } | null,
  verifying: false,
  verification: null as Verification | null,
  verifyError: "",
  exporting: false,
  exported: null as AuditExport | null,
  exportError: "",
});

let seq = 0;

/** The first page for the current filters (or, with `more`, the next page after what is shown). */
export async function loadAudit(more = false): Promise<void> {
  const q = toQuery(auditView.filters, more ? auditView.next : null);
  if ("error" in q) {
    auditView.fieldError = { field: q.field, message: q.error };
    return;
  }
  auditView.fieldError = null;
  const my = ++seq;
  auditView.loading = true;
  const timer = setTimeout(() => {
    if (my === seq && !auditView.loaded) auditView.slow = true;
  }, 200);
  try {
    const page = await call(auditPage(q.query));
    if (my !== seq) return;
    auditView.rows = more ? [...auditView.rows, ...page.rows] : page.rows;
    auditView.next = page.next_before_seq;
    auditView.loaded = true;
    auditView.error = "";
  } catch (raw) {
    const e = toApiError(raw);
    if (my !== seq || isAuthError(e)) return;
    if (e.code === "invalid_input" && e.field && e.field in EMPTY_FILTERS) {
      auditView.fieldError = { field: e.field as keyof AuditFilterForm, message: e.message };
    } else if (e.code === "invalid_input" && e.field === "entity_id") {
      auditView.fieldError = { field: "entityId", message: e.message };
    } else {
      auditView.error = e.message;
    }
  } finally {
    clearTimeout(timer);
    if (my === seq) {
      auditView.loading = false;
      auditView.slow = false;
    }
  }
}

export async function loadChoices(): Promise<void> {
  try {
    auditView.choices = await call(auditFilters());
  } catch (raw) {
    const e = toApiError(raw);
    // The filters still work typed in; the list only helps.
    if (!isAuthError(e)) auditView.error ||= e.message;
  }
}

/** Opens one record's history in the drawer (or its next page). */
export async function openHistory(entity: string, entityId: string, more = false): Promise<void> {
  const h = auditView.history;
  const before = more && h ? h.next : null;
  if (!more) auditView.history = { entity, entityId, rows: [], next: null, error: "", loading: true };
  else if (h) h.loading = true;
  try {
    const page = await call(auditEntityHistory({ entity, entity_id: entityId, before_seq: before }));
    const cur = auditView.history;
    if (!cur || cur.entity !== entity || cur.entityId !== entityId) return;
    cur.rows = more ? [...cur.rows, ...page.rows] : page.rows;
    cur.next = page.next_before_seq;
    cur.error = "";
  } catch (raw) {
    const e = toApiError(raw);
    const cur = auditView.history;
    if (cur && !isAuthError(e)) cur.error = e.message;
  } finally {
    if (auditView.history) auditView.history.loading = false;
  }
}

export async function verifyChain(): Promise<void> {
  auditView.verifying = true;
  auditView.verifyError = "";
  try {
    auditView.verification = await call(verifyAudit());
  } catch (raw) {
    const e = toApiError(raw);
    if (!isAuthError(e)) auditView.verifyError = e.message;
  } finally {
    auditView.verifying = false;
  }
}

/** Exports the chosen days; the export's own audit row appears at the top after. */
export async function exportCsv(): Promise<void> {
  const { from, to } = auditView.filters;
  if (!from.trim() || !to.trim()) {
    auditView.exportError = "Choose the first and last day to export (From and To).";
    return;
  }
  auditView.exporting = true;
  auditView.exportError = "";
  auditView.exported = null;
  try {
    auditView.exported = await call(exportAuditCsv({ from: from.trim(), to: to.trim() }));
    void loadAudit();
  } catch (raw) {
    const e = toApiError(raw);
    if (!isAuthError(e)) auditView.exportError = e.message;
  } finally {
    auditView.exporting = false;
  }
}

// What the log holds is for the person who was allowed to see it: it goes when they sign out.
onReset(() => {
  seq++;
  auditView.filters = { ...EMPTY_FILTERS };
  auditView.rows = [];
  auditView.next = null;
  auditView.loaded = false;
  auditView.loading = false;
  auditView.slow = false;
  auditView.error = "";
  auditView.fieldError = null;
  auditView.choices = null;
  auditView.history = null;
  auditView.verification = null;
  auditView.verifyError = "";
  auditView.exported = null;
  auditView.exportError = "";
});
