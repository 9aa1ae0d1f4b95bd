// The import screen's logic: what a mapping still needs, a column feeding one field only, the
// sample values beside each choice, the steps in order, and the file's bytes as base64.
import { describe, expect, it } from "vitest";
import type { Preview, Upload } from "../../bindings";
import { emptyMapping, mappingProblem, percent, samples, setColumn, stepOf, toBase64 } from "./mapping";

const upload: Upload = {
  upload_id: 4,
  file_name: "legacy.csv",
  delimiter: ",",
  header: ["Chart No", "First Name", "Last Name", "Mobile"],
  sample_rows: [
    ["A-1", "Émilie", "Côté", "(416) 555-0101"],
    ["A-2", "प्रिया", "शर्मा", ""],
    ["A-3", "Jean", "O'Brien\r\nJr", "416-555-0103"],
  ],
  row_count: 3,
  suggested: emptyMapping(),
  date_format: "iso",
  from_saved_mapping: false,
};

const preview = { upload_id: 4, total: 3, clean: 3, review: 0, refused: 0, already_imported: 0, refused_rows: [], review_rows: [] } as Preview;

describe("mapping", () => {
  it("needs a name (full, or given and family) and a phone before a preview", () => {
    const m = emptyMapping();
    expect(mappingProblem(m)).toMatch(/name/);
    expect(mappingProblem({ ...m, given_name: 1, phone: 3 })).toMatch(/Family name/);
    expect(mappingProblem({ ...m, given_name: 1, family_name: 2 })).toMatch(/phone/);
    expect(mappingProblem({ ...m, given_name: 1, family_name: 2, phone: 3 })).toBeNull();
    expect(mappingProblem({ ...m, full_name: 1, phone: 3 })).toBeNull();
  });

  it("gives a column to one field only: the field that had it lets it go", () => {
    let m = setColumn(emptyMapping(), "given_name", 1);
    m = setColumn(m, "full_name", 1);
    expect(m.full_name).toBe(1);
    expect(m.given_name).toBeNull();
    m = setColumn(m, "full_name", null);
    expect(m.full_name).toBeNull();
  });

  it("shows a column's first values, blanks left out and line breaks flattened", () => {
    expect(samples(upload, 1)).toEqual(["Émilie", "प्रिया", "Jean"]);
    expect(samples(upload, 3)).toEqual(["(416) 555-0101", "416-555-0103"]);
    expect(samples(upload, 2)[2]).toBe("O'Brien Jr");
    expect(samples(upload, null)).toEqual([]);
  });
});

describe("steps", () => {
  it("go choose → map → preview → done", () => {
    expect(stepOf({ upload: null, preview: null, imported: false })).toBe("choose");
    expect(stepOf({ upload, preview: null, imported: false })).toBe("map");
    expect(stepOf({ upload, preview, imported: false })).toBe("preview");
    expect(stepOf({ upload, preview, imported: true })).toBe("done");
  });

  it("report progress as a bounded percentage", () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(50_000, 100_000)).toBe(50);
    expect(percent(120, 100)).toBe(100);
  });
});

describe("the file's bytes", () => {
  it("travel as base64, whatever they are (a Latin-1 byte included) and however large", () => {
    expect(toBase64(new TextEncoder().encode("Côté"))).toBe(btoa("C\xc3\xb4t\xc3\xa9"));
    expect(toBase64(new Uint8Array([0xc9, 0x41]))).toBe("yUE=");
    const big = new Uint8Array(200_000).fill(65);
    expect(atob(toBase64(big)).length).toBe(200_000);
  });
});
