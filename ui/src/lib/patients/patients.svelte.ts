// Patients across screens: opening a record or an appointment found by search, the create-patient
// dialog, and the search-as-you-type helper shared by the overlay and the pickers.
import { search, type AppointmentHit, type PatientHit, type SearchResults } from "../../bindings";
import { call, isAuthError, toApiError } from "../app/api";
import { drafts, freshPatient, ui, view, type PatientRef } from "../app/state.svelte";

export function hitRef(h: PatientHit): PatientRef {
  return {
    id: h.id,
    name: h.name,
    detail: [h.age !== null ? `${h.age} y` : "", h.phone ?? "", h.mrn ? mrnLabel(h.mrn) : ""].filter(Boolean).join(" · "),
  };
}

export function openPatient(id: number): void {
  ui.search = false;
  view.patientId = id;
  view.section = "patients";
}

/** An appointment hit opens Today on its date with the drawer open. */
export function openAppointment(a: Pick<AppointmentHit, "id" | "date">, today: string): void {
  ui.search = false;
  view.section = "today";
  view.date = a.date === today ? null : a.date;
  view.selectedId = a.id;
  view.drawerId = a.id;
  view.revealId = a.id;
}

/** The create-patient dialog: open, with what to prefill and what to do with the new patient. */
export const creating = $state({
  open: false,
  /** Called with the new patient (e.g. a picker uses it); otherwise the record opens. */
  then: null as ((p: PatientRef) => void) | null,
});

/**
 * Opens the create-patient form empty, prefilled from a search ("Asha Rao" or "98450 12345"). An
 * unfinished registration is set aside and offered, never mixed into the new one.
 */
export function createFromQuery(q: string, then: ((p: PatientRef) => void) | null = null): void {
  if (!creating.open) freshPatient();
  const f = drafts.patient;
  const t = q.trim();
  if (t) {
    const digits = t.replace(/\D/g, "");
    if (/^[\d\s+\-().]+$/.test(t) && digits.length >= 6) {
      f.phone = t;
    } else if (/[a-zA-Z\u00C0-\u024F]/.test(t)) {
      const words = t.split(/\s+/);
      f.given_name = words[0];
      f.family_name = words.slice(1).join(" ");
    }
  }
  creating.then = then;
  creating.open = true;
  ui.search = false;
}

/**
 * Search as you type, with no fixed delay: the first key asks at once; while an answer is on its
 * way, later keys only update what to ask next, and the newest text is asked as soon as that answer
 * is back (at most one request in flight, so a fast typist never queues a backlog). An answer for
 * older text is dropped, and the last results stay on screen until the new ones arrive, so the list
 * never flashes empty.
 */
export class LiveSearch {
  results = $state<SearchResults | null>(null);
  error = $state("");
  pending = $state(false);
  private latest = "";
  private inFlight = false;
  private limit: number;

  constructor(limit = 20) {
    this.limit = limit;
  }

  set(q: string): void {
    this.latest = q;
    // An error belongs to the text it was for.
    this.error = "";
    if (!q.trim()) {
      this.results = null;
      this.pending = false;
      return;
    }
    this.pending = true;
    if (!this.inFlight) void this.run(q);
  }

  async run(q: string): Promise<void> {
    this.inFlight = true;
    try {
      const r = await call(search({ query: q, limit: this.limit }));
      if (q === this.latest) {
        this.results = r;
        this.error = "";
      }
    } catch (raw) {
      if (q === this.latest) {
        const e = toApiError(raw);
        if (!isAuthError(e)) this.error = e.message;
      }
    } finally {
      this.inFlight = false;
      if (q === this.latest) this.pending = false;
      else if (this.latest.trim()) void this.run(this.latest);
    }
  }

  /** The answer for the text as typed now (null while it loads). */
  current(q: string): SearchResults | null {
    return this.results && this.results.query === q ? this.results : null;
  }
}

/** "MRN0100443" already says MRN; a bare "100443" gets the label. */
export function mrnLabel(m: string): string {
  return /^mrn/i.test(m) ? m : `MRN ${m}`;
}
