// Alerts: the bell's list, the in-app banners (the fallback when a desktop notification fails),
// and opening what an alert (or a desktop notification's "Open") points at.
import {
  alertPreferences,
  alerts as fetchAlerts,
  markAlertsSeen,
  setAlertPreferences,
  type Alert,
  type AlertList,
  type DesktopAlerts,
} from "../../bindings";
import { call, isAuthError, onCoreEvent, toApiError } from "../app/api";
import { closeBooking } from "../booking/booking.svelte";
import { app, onReset, ui, view } from "../app/state.svelte";
import { toast } from "../ui/toasts.svelte";

export const alertState = $state({
  list: null as AlertList | null,
  error: "",
  /**
   * Alerts that arrived while this window was up, newest first, until dismissed or opened. Only
   * their ids: the event names the alert, and what it says comes with the list (fetched on it).
   */
  banners: [] as number[],
  /** The signed-in person's desktop-alert setting (null until read). */
  desktop: null as DesktopAlerts | null,
});

function canWork(): boolean {
  return !!app.session?.permissions.includes("work_queues");
}

let seq = 0;
export async function loadAlerts(): Promise<void> {
  if (!canWork()) return;
  const my = ++seq;
  try {
    const l = await call(fetchAlerts());
    if (my !== seq) return;
    alertState.list = l;
    alertState.error = "";
  } catch (raw) {
    const e = toApiError(raw);
    if (!isAuthError(e) && my === seq) alertState.error = e.message;
  }
}

export function resetAlerts(): void {
  seq++;
  prefSeq++;
  alertState.list = null;
  alertState.error = "";
  alertState.banners = [];
  alertState.desktop = null;
}

let prefSeq = 0;
export async function loadPreferences(): Promise<void> {
  const my = ++prefSeq;
  try {
    const p = await call(alertPreferences());
    if (my === prefSeq) alertState.desktop = p.desktop_alerts;
  } catch {
    /* the menu says it could not be read and offers the choice anyway */
  }
}

export async function savePreferences(value: DesktopAlerts): Promise<boolean> {
  const before = alertState.desktop;
  const my = ++prefSeq;
  alertState.desktop = value;
  try {
    const p = await call(setAlertPreferences({ desktop_alerts: value }));
    if (my === prefSeq) alertState.desktop = p.desktop_alerts;
    return true;
  } catch (raw) {
    const e = toApiError(raw);
    if (my === prefSeq) alertState.desktop = before;
    if (!isAuthError(e)) toast(e.message, "error");
    return false;
  }
}

/** Whether and how the desktop notification for an alert was shown, in words. */
export function deliveryText(a: Alert): { ok: boolean; text: string } {
  if (a.delivered) return { ok: true, text: "Desktop notification shown" };
  if (a.delivery_error) return { ok: false, text: `Desktop notification failed: ${a.delivery_error}` };
  const d = alertState.desktop;
  if (d === "none") return { ok: true, text: "Not sent to the desktop (your setting: none)" };
  if (d === "urgent_only" && !a.urgent) return { ok: true, text: "Not sent to the desktop (your setting: urgent only)" };
  return { ok: true, text: "No desktop notification recorded" };
}

/** Marks alerts seen (all unseen ones when `ids` is empty). */
export async function markSeen(ids: number[]): Promise<void> {
  if (alertState.list) {
    // Say it at once; the refetch after alerts_changed confirms it.
    const set = new Set(ids);
    let n = 0;
    for (const a of alertState.list.alerts) {
      if (!a.seen && (!ids.length || set.has(a.id))) {
        a.seen = true;
        n++;
      }
    }
    alertState.list.unseen = ids.length ? Math.max(0, alertState.list.unseen - n) : 0;
  }
  try {
    await call(markAlertsSeen({ alert_ids: ids }));
  } catch (raw) {
    const e = toApiError(raw);
    if (!isAuthError(e)) toast(e.message, "error");
    loadAlerts();
  }
}

export function dismissBanner(id: number): void {
  alertState.banners = alertState.banners.filter((b) => b !== id);
  markSeen([id]);
}

/** Goes to the item an alert or a desktop notification points at, with its detail open. */
export function openItem(entity: string, id: number): void {
  // A desktop notification for an alert the desk could not read: the alerts list shows it.
  if (entity === "alert") {
    ui.search = false;
    ui.shortcuts = false;
    ui.alerts = true;
    return;
  }
  if (entity !== "escalation" && entity !== "callback_task") return;
  // The alert's item takes the right-hand side; a booking in progress keeps its draft.
  closeBooking();
  ui.alerts = false;
  ui.search = false;
  ui.shortcuts = false;
  if (entity === "escalation") {
    view.section = "escalations";
    view.escalationForm = false;
    view.escalationId = id;
  } else if (entity === "callback_task") {
    view.section = "callbacks";
    view.callbackId = id;
  }
}

export function openAlert(a: Alert): void {
  alertState.banners = alertState.banners.filter((b) => b !== a.id);
  if (!a.seen) markSeen([a.id]);
  openItem(a.entity, a.entity_id);
}

onCoreEvent((e) => {
  if (app.screen !== "frame" && app.screen !== "locked") return;
  if (!canWork()) return;
  if (e.kind === "alert_raised") {
    // Locked, the list cannot be read: the banner shows once the desk is unlocked (the frame
    // loads the list when it opens).
    if (!alertState.banners.includes(e.alert_id)) alertState.banners = [e.alert_id, ...alertState.banners];
    if (app.screen === "frame") loadAlerts();
  } else if ((e.kind === "alerts_changed" || e.kind === "escalations_changed") && app.screen === "frame") {
    loadAlerts();
  }
});

onReset(resetAlerts);
