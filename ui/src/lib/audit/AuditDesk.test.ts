// The audit desk as an operations person uses it: the newest page, "Load more" by cursor, a
// record's history in the drawer, and the chain's verification said plainly.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditRow, SessionInfo } from "../../bindings";
import AuditDesk from "./AuditDesk.svelte";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const ipc = vi.mocked(invoke);

const session = {
  staff_id: 1,
  role: "operations",
  timezone: "America/Toronto",
  clinic_name: "Lakeshore",
  permissions: ["view_audit"],
} as unknown as SessionInfo;

function row(seq: number): AuditRow {
  return {
    seq,
    at: 1_795_446_000 - seq,
    when: "Mon Nov 23, 2026 10:00",
    actor_staff_id: 2,
    actor_name: "Rita",
    actor_role: "receptionist",
    action: "appointment.booked",
    entity: "appointment",
    entity_id: String(seq),
    summary: `booked appointment ${seq}`,
    support_session_id: null,
  };
}

beforeEach(() => {
  ipc.mockReset();
  ipc.mockImplementation(async (cmd: string, args?: unknown) => {
    const req = (args as { req?: Record<string, unknown> } | undefined)?.req;
    switch (cmd) {
      case "audit_filters":
        return { people: [], roles: ["owner", "system"], actions: ["appointment.booked"], entities: ["appointment"] };
      case "audit_page":
        return req!.before_seq === null
          ? { rows: [row(100), row(99)], next_before_seq: 99 }
          : { rows: [row(98)], next_before_seq: null };
      case "audit_entity_history":
        return { rows: [row(Number(req!.entity_id))], next_before_seq: null };
      case "verify_audit":
        return {
          rows_checked: 100,
          first_broken_seq: 40,
          first_missing_seq: null,
          missing_tail: null,
          head_mismatch: false,
          intact: false,
          summary: "Row 40 of the audit log was changed after it was written.",
        };
      default:
        throw { code: "internal", message: `no answer for ${cmd} in this test`, field: null };
    }
  });
});

describe("AuditDesk", () => {
  it("pages by cursor, opens a record's history and says what verification found", async () => {
    render(AuditDesk, { props: { session } });
    await waitFor(() => expect(screen.getAllByTestId("audit-row").length).toBe(2));
    await fireEvent.click(screen.getByTestId("audit-more"));
    await waitFor(() => expect(screen.getAllByTestId("audit-row").map((r) => r.dataset.seq)).toEqual(["100", "99", "98"]));
    const more = ipc.mock.calls.filter(([c]) => c === "audit_page").map(([, a]) => (a as { req: { before_seq: number | null } }).req.before_seq);
    expect(more).toEqual([null, 99]);
    expect(screen.queryByTestId("audit-more")).toBeNull();

    await fireEvent.click(screen.getAllByTestId("audit-entity")[1]);
    const drawer = await screen.findByTestId("audit-history");
    await waitFor(() => expect(drawer.querySelectorAll("[data-testid=audit-history-row]").length).toBe(1));

    await fireEvent.click(screen.getByTestId("audit-verify"));
    const verdict = await screen.findByTestId("audit-verify-result");
    expect(verdict.textContent).toContain("Row 40 of the audit log was changed");
    expect(verdict.dataset.intact).toBe("false");
  });
});
