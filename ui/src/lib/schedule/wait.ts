// How long an arrived patient has been waiting (or in the room), coloured against the clinic's
// thresholds: the card shows it instead of the service.
import type { AppointmentRow } from "../../bindings";
import { clockTime, duration, minutesSince } from "../app/time";

export type Wait = { minutes: number; level: "ok" | "amber" | "red"; title: string; label: string; what: string };

/**
 * The wait of an arrived or in-room appointment at `now` (ms), amber from `amber` minutes and red
 * from `red`; null for every other status. `tz` is the clinic's zone, for the tooltip's "since".
 */
export function waitOf(a: AppointmentRow, now: number, amber: number, red: number, tz: string): Wait | null {
  let since: number | null = null;
  let what = "";
  if (a.status === "arrived" && a.arrived_at) {
    since = a.arrived_at;
    what = "Waiting";
  } else if (a.status === "in_room" && (a.in_room_at ?? a.arrived_at)) {
    since = (a.in_room_at ?? a.arrived_at)!;
    what = "In room";
  }
  if (since === null) return null;
  const minutes = minutesSince(since, now);
  const level = minutes >= red ? "red" : minutes >= amber ? "amber" : "ok";
  const extra = level === "red" ? ` — past ${red} min` : level === "amber" ? ` — past ${amber} min` : "";
  return {
    minutes,
    level,
    label: duration(minutes),
    what: what === "Waiting" ? "waiting" : "in room",
    title: `${what} ${duration(minutes)} (since ${clockTime(since, tz)})${extra}`,
  };
}
