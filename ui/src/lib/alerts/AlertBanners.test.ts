// The alert strip: one line whatever the number of new alerts (urgent first, then newest) with
// "+N more" opening the list; routine alerts leave the line after a minute unless their desktop
// notification failed; dismissing marks the alert seen in the core.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Alert } from "../../bindings";
import { app, clock, ui } from "../app/state.svelte";
import { alert } from "../test/fixtures";
import AlertBanners from "./AlertBanners.svelte";
import { alertState, resetAlerts } from "./alerts.svelte";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn(async () => null) }));
const ipc = vi.mocked(invoke);

const NOW = Date.UTC(2026, 11, 8, 10, 0);
const secondsAgo = (s: number) => NOW / 1000 - s;

/** The alerts as the list has them, and the ones that arrived while the window was up (newest first). */
function given(alerts: Alert[], banners = alerts.map((a) => a.id)) {
  alertState.list = { alerts, unseen: alerts.filter((a) => !a.seen).length, urgent_open: 0 };
  alertState.banners = banners;
}

const strip = () => screen.queryByTestId("alert-banner");

beforeEach(() => {
  resetAlerts();
  clock.now = NOW;
  ui.alerts = false;
  app.screen = "frame";
  ipc.mockClear();
});

describe("AlertBanners", () => {
  it("shows nothing when no alert is new", () => {
    given([]);
    render(AlertBanners);
    expect(strip()).toBeNull();
  });

  it("keeps many alerts to one line: the urgent one, and how many more", async () => {
    const urgent = alert({ id: 2, urgent: true, title: "Urgent escalation", body: "Chest pain", created_at: secondsAgo(300) });
    given([alert({ id: 3, created_at: secondsAgo(5) }), urgent, alert({ id: 1, created_at: secondsAgo(10) })], [3, 2, 1]);
    render(AlertBanners);
    const line = strip()!;
    expect(screen.getAllByTestId("alert-banner")).toHaveLength(1);
    expect(line.dataset.alertId).toBe("2");
    expect(line.dataset.urgent).toBe("true");
    expect(line.dataset.count).toBe("3");
    expect(line.textContent).toContain("Urgent escalation");
    expect(screen.getByTestId("alert-banner-more").textContent!.trim()).toBe("+2 more");
    await fireEvent.click(screen.getByTestId("alert-banner-more"));
    expect(ui.alerts).toBe(true);
  });

  it("shows the newest when none is urgent, with no “more” for a single alert", () => {
    given([alert({ id: 5, title: "Callback past its SLA", created_at: secondsAgo(20) })]);
    render(AlertBanners);
    expect(strip()!.dataset.alertId).toBe("5");
    expect(strip()!.dataset.count).toBe("1");
    expect(screen.queryByTestId("alert-banner-more")).toBeNull();
  });

  it("leaves out alerts already seen, and routine ones older than a minute", () => {
    given([
      alert({ id: 1, created_at: secondsAgo(30) }),
      alert({ id: 2, created_at: secondsAgo(30), seen: true }),
      alert({ id: 3, created_at: secondsAgo(120) }),
      alert({ id: 4, created_at: secondsAgo(3600), urgent: true }),
    ]);
    render(AlertBanners);
    expect(strip()!.dataset.count).toBe("2");
    expect(strip()!.dataset.alertId).toBe("4");
  });

  it("keeps a routine alert whose desktop notification failed, and says so", () => {
    given([alert({ id: 1, created_at: secondsAgo(600), delivered: false, delivery_error: "no notification daemon" })]);
    render(AlertBanners);
    expect(strip()!.dataset.alertId).toBe("1");
    expect(strip()!.textContent).toContain("desktop alert failed");
  });

  it("ignores an alert the list does not hold yet", () => {
    given([alert({ id: 1, created_at: secondsAgo(5) })], [9, 1]);
    render(AlertBanners);
    expect(strip()!.dataset.count).toBe("1");
  });

  it("dismissing takes the alert off the line and marks it seen in the core", async () => {
    given([alert({ id: 1, created_at: secondsAgo(5) }), alert({ id: 2, created_at: secondsAgo(8) })], [1, 2]);
    render(AlertBanners);
    expect(strip()!.dataset.alertId).toBe("1");
    await fireEvent.click(screen.getByTestId("alert-banner-dismiss"));
    expect(strip()!.dataset.alertId).toBe("2");
    expect(strip()!.dataset.count).toBe("1");
    expect(ipc).toHaveBeenCalledWith("mark_alerts_seen", { req: { alert_ids: [1] } });
    expect(alertState.list!.alerts.find((a) => a.id === 1)!.seen).toBe(true);
  });
});
