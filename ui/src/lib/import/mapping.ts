// The import screen's pure logic: the fields a column can be mapped to, what a mapping still
// lacks, moving a column from one field to another, the sample values shown beside each choice,
// which step the screen is on, and the file's bytes as the base64 the core expects.
import type { ColumnMapping, Preview, Upload } from "../../bindings";

export type Field = keyof ColumnMapping;

/** The fields in the order the form shows them, with what each means. */
export const FIELDS: ReadonlyArray<{ field: Field; label: string; hint: string }> = [
  { field: "given_name", label: "Given name", hint: "First name" },
  { field: "family_name", label: "Family name", hint: "Surname, last name" },
  { field: "full_name", label: "Full name", hint: "Only if the file has one name column (\"Priya Sharma\" or \"Sharma, Priya\")" },
  { field: "date_of_birth", label: "Date of birth", hint: "" },
  { field: "sex", label: "Sex", hint: "F / M / female / male / other" },
  { field: "phone", label: "Phone", hint: "Required: mobile, any format" },
  { field: "email", label: "Email", hint: "" },
  { field: "mrn", label: "MRN / chart number", hint: "Kept as the MRN; a second import of the same file skips these rows" },
  { field: "health_card", label: "Health card", hint: "" },
  { field: "preferred_language", label: "Language", hint: "A code (en, fr, hi) or its English name" },
];

export function emptyMapping(): ColumnMapping {
  return {
    full_name: null,
    given_name: null,
    family_name: null,
    date_of_birth: null,
    sex: null,
    phone: null,
    email: null,
    mrn: null,
    health_card: null,
    preferred_language: null,
  };
}

/** What the mapping still lacks before a preview can run, in words; null when it is enough. */
export function mappingProblem(m: ColumnMapping): string | null {
  const name = m.full_name !== null || (m.given_name !== null && m.family_name !== null);
  if (!name) return "Map the patient's name: a Full name column, or both Given name and Family name.";
  if (m.phone === null) return "Map the phone column: every patient needs a phone number.";
  return null;
}

/** The mapping with `field` read from `column` (null: not in the file). A column feeds one field:
 * the field that had it before lets it go. */
export function setColumn(m: ColumnMapping, field: Field, column: number | null): ColumnMapping {
  const next = { ...m };
  if (column !== null) {
    for (const f of Object.keys(next) as Field[]) if (next[f] === column) next[f] = null;
  }
  next[field] = column;
  return next;
}

/** The first few values of a column, for the choice beside each field. */
export function samples(upload: Upload, column: number | null): string[] {
  if (column === null) return [];
  return upload.sample_rows
    .map((r) => (r[column] ?? "").replace(/\s+/g, " ").trim())
    .filter((v) => v !== "")
    .slice(0, 3);
}

export type Step = "choose" | "map" | "preview" | "done";

/** Where the screen is: a file is chosen, then mapped, then previewed, then imported. */
export function stepOf(s: { upload: Upload | null; preview: Preview | null; imported: boolean }): Step {
  if (!s.upload) return "choose";
  if (s.imported) return "done";
  if (!s.preview) return "map";
  return "preview";
}

/** 0–100 for the progress bar. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** A file's bytes as base64, in chunks (a 10 MB file as one spread would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
