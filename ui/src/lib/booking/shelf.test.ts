// Unfinished drafts set aside and offered by name, never silently reused (booking.svelte.ts).
import { beforeEach, describe, expect, it } from "vitest";
import { blankDraft, booking, bookShelf, draftLabel, openBooking, resetBooking, resumeBooking } from "./booking.svelte";
import { SHELF_SIZE, Shelf } from "../ui/shelf.svelte";

const asha = { id: 7, name: "Asha Rao", detail: "" };
const ravi = { id: 9, name: "Ravi Kumar", detail: "" };

beforeEach(() => resetBooking());

describe("openBooking", () => {
  it("starts empty and shelves the unfinished booking by name, without its error", () => {
    openBooking({ patient: asha });
    booking.book.reason = "sore throat";
    booking.book.error = "Pick a time.";
    booking.open = false; // Esc: the panel closes, the draft is kept

    openBooking({ branch_id: 2, date: "2026-12-04" });
    expect(booking.book.patient).toBeNull();
    expect(booking.book.reason).toBe("");
    expect(booking.book.branch_id).toBe("2");
    expect(bookShelf.items.map((s) => s.label)).toEqual(["Asha Rao"]);
    expect(bookShelf.items[0].draft.error).toBe("");
    expect(bookShelf.items[0].draft.reason).toBe("sore throat");
  });

  it("keeps the form on screen for the same patient, and shelves it for another", () => {
    openBooking({ patient: asha });
    booking.book.reason = "cough";
    openBooking({ patient: asha });
    expect(booking.book.reason).toBe("cough");
    expect(bookShelf.items).toHaveLength(0);
    openBooking({ patient: ravi });
    expect(booking.book.patient?.name).toBe("Ravi Kumar");
    expect(booking.book.reason).toBe("");
    expect(bookShelf.items.map((s) => s.label)).toEqual(["Asha Rao"]);
  });

  it("does not shelve an untouched form", () => {
    openBooking({ date: "2026-12-04" });
    booking.open = false;
    openBooking({});
    expect(bookShelf.items).toHaveLength(0);
  });

  it("resuming swaps the form's draft onto the shelf", () => {
    openBooking({ patient: asha });
    booking.book.reason = "cough";
    booking.open = false;
    openBooking({ patient: ravi });
    booking.book.reason = "fever";
    const shelved = bookShelf.take(bookShelf.items[0].id)!;
    resumeBooking(shelved);
    expect(booking.book.patient?.name).toBe("Asha Rao");
    expect(booking.book.reason).toBe("cough");
    expect(bookShelf.items.map((s) => s.label)).toEqual(["Ravi Kumar"]);
  });
});

describe("Shelf", () => {
  it("keeps the newest few, newest first", () => {
    const shelf = new Shelf<number>(() => true, (n) => `#${n}`);
    for (let i = 0; i < SHELF_SIZE + 2; i++) shelf.put(i, `#${i}`);
    expect(shelf.items).toHaveLength(SHELF_SIZE);
    expect(shelf.items[0].draft).toBe(SHELF_SIZE + 1);
    expect(shelf.take(12345)).toBeNull();
  });

  it("names a draft by its patient, else its caller, else its complaint", () => {
    const d = blankDraft();
    expect(draftLabel(d)).toBe("a caller not named yet");
    d.reason = "rash on both arms";
    expect(draftLabel(d)).toBe("“rash on both arms”");
    d.caller_name = "Meena";
    expect(draftLabel(d)).toBe("Meena");
    d.patient = asha;
    expect(draftLabel(d)).toBe("Asha Rao");
  });
});
