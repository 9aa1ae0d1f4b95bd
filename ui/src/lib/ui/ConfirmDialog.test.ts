// The window's one yes/no question (confirm.svelte.ts + ConfirmDialog): "No" has the focus, Esc
// and "No" answer no, the focus goes back where it was, a new question answers the old one no.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import { askConfirm, confirmState } from "./confirm.svelte";
import ConfirmDialog from "./ConfirmDialog.svelte";

afterEach(() => confirmState.ask?.answer(false));

/** A button outside the dialog that had the focus when the question was asked. */
function opener(): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = "Arrived";
  document.body.append(b);
  b.focus();
  return b;
}

describe("ConfirmDialog", () => {
  it("shows nothing until a question is asked", () => {
    render(ConfirmDialog);
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
  });

  it("asks the question with the safe answer focused, and resolves yes on the yes button", async () => {
    render(ConfirmDialog);
    const answer = askConfirm("This appointment is tomorrow. Mark the patient arrived anyway?", "Mark arrived");
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(screen.getByTestId("confirm-message").textContent).toBe("This appointment is tomorrow. Mark the patient arrived anyway?");
    expect(screen.getByTestId("confirm-yes").textContent).toBe("Mark arrived");
    expect(document.activeElement).toBe(screen.getByTestId("confirm-no"));
    await fireEvent.click(screen.getByTestId("confirm-yes"));
    await expect(answer).resolves.toBe(true);
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
  });

  it("answers no on Esc and on “No”, and gives the focus back to where it was", async () => {
    render(ConfirmDialog);
    const before = opener();
    const first = askConfirm("Mark arrived anyway?", "Mark arrived");
    await screen.findByTestId("confirm-dialog");
    await fireEvent.keyDown(window, { key: "Escape" });
    await expect(first).resolves.toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(before));

    const second = askConfirm("Mark arrived anyway?", "Mark arrived");
    await screen.findByTestId("confirm-dialog");
    expect(document.activeElement).not.toBe(before);
    await fireEvent.click(screen.getByTestId("confirm-no"));
    await expect(second).resolves.toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(before));
    before.remove();
  });

  it("keeps the Tab key inside the dialog", async () => {
    render(ConfirmDialog);
    askConfirm("Mark arrived anyway?", "Mark arrived");
    await screen.findByTestId("confirm-dialog");
    const yes = screen.getByTestId("confirm-yes");
    yes.focus();
    // From the last button, Tab goes round to the first (the dialog's close button).
    await fireEvent.keyDown(window, { key: "Tab" });
    expect(screen.getByTestId("confirm-dialog").contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(yes);
    await fireEvent.keyDown(window, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(yes);
  });

  it("answers an unanswered question no when another is asked", async () => {
    render(ConfirmDialog);
    const first = askConfirm("First?", "Yes");
    const second = askConfirm("Second?", "Yes");
    await expect(first).resolves.toBe(false);
    expect((await screen.findByTestId("confirm-message")).textContent).toBe("Second?");
    await fireEvent.click(screen.getByTestId("confirm-yes"));
    await expect(second).resolves.toBe(true);
  });
});
