// The form a person with a temporary password fills before any work screen: what it checks before
// sending (the rule, the two copies), what it sends, and the core's refusal beside its field.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionInfo } from "../../bindings";
import ChangePassword from "./ChangePassword.svelte";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const ipc = vi.mocked(invoke);

const session = {
  staff_id: 7,
  display_name: "Priya Nair",
  username: "priya",
  role: "receptionist",
  clinic_name: "Lakeshore Clinic",
  must_change_password: true,
} as unknown as SessionInfo;

let onChanged: ReturnType<typeof vi.fn<(info: SessionInfo) => void>>;
let onSignOut: ReturnType<typeof vi.fn<() => void>>;

beforeEach(() => {
  ipc.mockReset();
  ipc.mockImplementation(async (cmd: string) => {
    if (cmd === "change_password") return { ...session, must_change_password: false };
    throw { code: "internal", message: `no answer for ${cmd} in this test`, field: null };
  });
  onChanged = vi.fn();
  onSignOut = vi.fn();
  render(ChangePassword, { props: { session, onChanged, onSignOut } });
});

function input(name: string): HTMLInputElement {
  return document.querySelector(`[data-testid="change-password-form"] input[name="${name}"]`) as HTMLInputElement;
}

async function fill(current: string, next: string, again: string) {
  await fireEvent.input(input("current_password"), { target: { value: current } });
  await fireEvent.input(input("new_password"), { target: { value: next } });
  await fireEvent.input(input("confirm_password"), { target: { value: again } });
}

const sent = () => ipc.mock.calls.filter(([c]) => c === "change_password").map(([, a]) => (a as { req: unknown }).req);

describe("ChangePassword", () => {
  it("refuses two different new passwords without asking the core", async () => {
    await fill("hxk4-m9pr-t7wc", "my own words here", "my own words hare");
    await fireEvent.click(screen.getByTestId("save-password"));
    expect(screen.getByTestId("field-error-confirm_password").textContent).toContain("The two passwords differ");
    await waitFor(() => expect(document.activeElement).toBe(input("confirm_password")));
    expect(sent()).toEqual([]);
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("states the rule before sending a short password", async () => {
    await fill("hxk4-m9pr-t7wc", "short", "short");
    await fireEvent.click(screen.getByTestId("save-password"));
    expect(screen.getByTestId("field-error-new_password").textContent).toContain("Use at least 10 characters for the password.");
    expect(screen.queryByTestId("field-error-confirm_password")).toBeNull();
    expect(sent()).toEqual([]);
  });

  it("sends the current and the new password, and carries on with the session the core answers", async () => {
    await fill("hxk4-m9pr-t7wc", "my own words here", "my own words here");
    await fireEvent.click(screen.getByTestId("save-password"));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(sent()).toEqual([{ current_password: "hxk4-m9pr-t7wc", new_password: "my own words here" }]);
    expect(onChanged.mock.calls[0][0].must_change_password).toBe(false);
    // Nothing typed stays in the form once it is done.
    expect(input("new_password").value).toBe("");
  });

  it("shows the core's refusal beside its field", async () => {
    ipc.mockImplementation(async () => {
      throw {
        code: "invalid_input",
        message: "That is not your current password. After 5 wrong passwords the account is locked for 15 minutes.",
        field: "current_password",
      };
    });
    await fill("wrong-one-here", "my own words here", "my own words here");
    await fireEvent.click(screen.getByTestId("save-password"));
    const err = await screen.findByTestId("field-error-current_password");
    expect(err.textContent).toContain("That is not your current password.");
    expect(input("current_password").getAttribute("aria-invalid")).toBe("true");
    expect(onChanged).not.toHaveBeenCalled();
    // Typing again takes the message away.
    await fireEvent.input(input("current_password"), { target: { value: "hxk4-m9pr-t7wc" } });
    expect(screen.queryByTestId("field-error-current_password")).toBeNull();
  });

  it("signs out from the link", async () => {
    await fireEvent.click(screen.getByTestId("change-password-sign-out"));
    expect(onSignOut).toHaveBeenCalledTimes(1);
  });
});
