// Picking a time zone by city at first-run setup: matches by the city's name first, then anywhere
// in the zone's name; arrows and Enter pick, Esc closes, at most eight shown.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import ZonePicker from "./ZonePicker.svelte";

const ZONES = [
  "America/Toronto",
  "America/New_York",
  "America/Argentina/Buenos_Aires",
  "America/Vancouver",
  "Asia/Kolkata",
  "Europe/London",
  "Europe/Londonderry_Test",
  "Australia/Sydney",
  "UTC",
];

function picker(value = "") {
  const onpick = vi.fn();
  render(ZonePicker, { props: { id: "tz", zones: ZONES, value, onpick } });
  const input = screen.getByRole("combobox") as HTMLInputElement;
  return { input, onpick };
}

async function type(input: HTMLInputElement, text: string) {
  await fireEvent.focus(input);
  input.value = text;
  await fireEvent.input(input);
}

const shown = () => screen.queryAllByRole("option").map((o) => (o as HTMLElement).dataset.zone);

describe("ZonePicker", () => {
  it("shows a zone as its city, with the region after it", () => {
    const { input } = picker("America/Argentina/Buenos_Aires");
    expect(input.value).toBe("Buenos Aires (America/Argentina)");
  });

  it("finds zones by the start of the city's name, in any case", async () => {
    const { input } = picker();
    await type(input, "TORON");
    expect(shown()).toEqual(["America/Toronto"]);
    expect(screen.getByRole("option").textContent!.trim()).toBe("Toronto (America)");
    await type(input, "new york");
    expect(shown()).toEqual(["America/New_York"]);
  });

  it("lists cities that start with the text before zones that only contain it", async () => {
    const { input } = picker();
    await type(input, "lon");
    expect(shown()).toEqual(["Europe/London", "Europe/Londonderry_Test"]);
    await type(input, "america");
    // No city starts with "america"; every zone in the Americas contains it.
    expect(shown()).toEqual(["America/Toronto", "America/New_York", "America/Argentina/Buenos_Aires", "America/Vancouver"]);
  });

  it("shows eight matches at most", async () => {
    const many = Array.from({ length: 20 }, (_, i) => `Test/City_${i}`);
    render(ZonePicker, { props: { id: "many", zones: many, value: "" } });
    const input = screen.getByRole("combobox") as HTMLInputElement;
    await type(input, "city");
    expect(screen.getAllByRole("option")).toHaveLength(8);
  });

  it("picks with the arrows and Enter, and shows the city picked", async () => {
    const { input, onpick } = picker();
    await type(input, "a");
    const first = shown();
    expect(first.length).toBeGreaterThan(2);
    await fireEvent.keyDown(input, { key: "ArrowDown" });
    await fireEvent.keyDown(input, { key: "ArrowDown" });
    await fireEvent.keyDown(input, { key: "ArrowUp" });
    expect(screen.getAllByRole("option")[1].getAttribute("aria-selected")).toBe("true");
    expect(input.getAttribute("aria-activedescendant")).toBe("tz-list-1");
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onpick).toHaveBeenCalledWith(first[1]);
    expect(screen.queryAllByRole("option")).toHaveLength(0);
  });

  it("wraps round from the first match to the last", async () => {
    const { input, onpick } = picker();
    await type(input, "lon");
    await fireEvent.keyDown(input, { key: "ArrowUp" });
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onpick).toHaveBeenCalledWith("Europe/Londonderry_Test");
  });

  it("picks with the mouse", async () => {
    const { input, onpick } = picker();
    await type(input, "kol");
    await fireEvent.click(screen.getByRole("option"));
    expect(onpick).toHaveBeenCalledWith("Asia/Kolkata");
    expect(input.value).toBe("Kolkata (Asia)");
  });

  it("closes the list on Esc without picking", async () => {
    const { input, onpick } = picker();
    await type(input, "syd");
    expect(shown()).toEqual(["Australia/Sydney"]);
    await fireEvent.keyDown(input, { key: "Escape" });
    expect(shown()).toEqual([]);
    expect(onpick).not.toHaveBeenCalled();
  });

  it("shows nothing for text that matches no zone", async () => {
    const { input } = picker();
    await type(input, "atlantis");
    expect(shown()).toEqual([]);
    expect(input.getAttribute("aria-expanded")).toBe("false");
  });
});
