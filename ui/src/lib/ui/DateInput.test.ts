// The date field: shows dates the clinic's way, reads them typed any common way, ↑/↓ move a day,
// and text that is not a date says so without changing the value.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setDateOrder } from "../app/time";
import DateInput from "./DateInput.svelte";

const today = "2026-12-03";

function field(props: Record<string, unknown> = {}) {
  const onchange = vi.fn();
  render(DateInput, { props: { value: "2026-12-08", today, testid: "date", label: "Date", onchange, ...props } });
  return { input: screen.getByTestId("date") as HTMLInputElement, onchange };
}

async function type(input: HTMLInputElement, text: string) {
  await fireEvent.focus(input);
  input.value = text;
  await fireEvent.input(input);
  await fireEvent.keyDown(input, { key: "Enter" });
}

afterEach(() => setDateOrder("day_first"));

describe("DateInput", () => {
  it("shows the value the clinic's way and keeps the ISO date in data-value", () => {
    const { input } = field();
    expect(input.value).toBe("Tue 8 Dec 2026");
    expect(input.dataset.value).toBe("2026-12-08");
    expect(input.placeholder).toBe("Thu 3 Dec 2026");
    expect(input.getAttribute("aria-label")).toBe("Date");
  });

  it("shows a date of birth without the weekday, in the month-first order when the clinic uses it", () => {
    setDateOrder("month_first");
    const { input } = field({ value: "1984-01-31", birth: true });
    expect(input.value).toBe("Jan 31, 1984");
  });

  it("reads “tomorrow” and a typed date on Enter, and says so once", async () => {
    const { input, onchange } = field();
    await type(input, "tomorrow");
    expect(input.dataset.value).toBe("2026-12-04");
    expect(input.value).toBe("Fri 4 Dec 2026");
    expect(onchange).toHaveBeenLastCalledWith("2026-12-04");
    await type(input, "25 dec");
    expect(input.dataset.value).toBe("2026-12-25");
    // The same date again changes nothing.
    await type(input, "2026-12-25");
    expect(onchange).toHaveBeenCalledTimes(2);
  });

  it("moves a day with ↑ and ↓", async () => {
    const { input, onchange } = field();
    await fireEvent.keyDown(input, { key: "ArrowUp" });
    expect(input.dataset.value).toBe("2026-12-09");
    await fireEvent.keyDown(input, { key: "ArrowDown" });
    await fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(input.dataset.value).toBe("2026-12-07");
    expect(input.value).toBe("Mon 7 Dec 2026");
    expect(onchange.mock.calls.map((c) => c[0])).toEqual(["2026-12-09", "2026-12-08", "2026-12-07"]);
  });

  it("says what to type for text that is not a date, and keeps the value", async () => {
    const { input, onchange } = field();
    await type(input, "next thursday");
    const error = screen.getByRole("alert");
    expect(error.textContent).toBe("“next thursday” is not a date. Type it like Thu 3 Dec 2026, or “tomorrow”.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.dataset.value).toBe("2026-12-08");
    expect(onchange).not.toHaveBeenCalled();
    // Typing again clears the message.
    input.value = "8 Dec";
    await fireEvent.input(input);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("keeps a date within min and max", async () => {
    const { input } = field({ min: "2026-12-05", max: "2026-12-20" });
    await type(input, "yesterday");
    expect(input.dataset.value).toBe("2026-12-05");
    await type(input, "31 Dec 2026");
    expect(input.dataset.value).toBe("2026-12-20");
  });

  it("empties the value when the text is cleared", async () => {
    const { input, onchange } = field();
    await type(input, "   ");
    expect(input.dataset.value).toBe("");
    expect(onchange).toHaveBeenCalledWith("");
  });

  it("reads what was typed when the field is left", async () => {
    const { input } = field();
    await fireEvent.focus(input);
    input.value = "10/12/2026";
    await fireEvent.input(input);
    await fireEvent.blur(input);
    expect(input.dataset.value).toBe("2026-12-10");
  });
});
