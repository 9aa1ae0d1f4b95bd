import type { DateOrder } from "../../bindings";
// Dates and times. Calendar dates (`YYYY-MM-DD`) are handled as UTC midnights so the
// browser's own zone never shifts them; instants are formatted in the clinic's zone.

function parts(d: string): [number, number, number] {
  const [y, m, day] = d.split("-").map(Number);
  return [y, m, day];
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

// ---- One way to write a date: the clinic's (core: clock::date_label) ------------------------------

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The signed-in clinic's date order (set from the session; the core writes refusals the same way). */
export const dates = { order: "day_first" as DateOrder };

export function setDateOrder(order: DateOrder): void {
  dates.order = order;
}

/** "8 Dec 1984" / "Dec 8, 1984": dates of birth. */
export function birthDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const [y, m, d] = parts(date);
  const month = MONTHS[m - 1];
  return dates.order === "month_first" ? `${month} ${d}, ${y}` : `${d} ${month} ${y}`;
}

/** "Tue 8 Dec 2026" / "Tue Dec 8, 2026": every other calendar date, in forms, lists and messages. */
export function dateLabel(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return `${WEEKDAYS[weekdayOf(date)]} ${birthDate(date)}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string): Intl.DateTimeFormat {
  const key = tz;
  let f = timeFormats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", {
        timeZone: tz,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      });
    } catch {
      f = new Intl.DateTimeFormat("en-GB", {
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      });
    }
    timeFormats.set(key, f);
  }
  return f;
}

/** "10:42" in the clinic's zone. */
export function clockTime(unix: number, tz: string): string {
  return fmt(tz).format(new Date(unix * 1000));
}

/** "Tue 8 Dec 2026 10:42" in the clinic's zone. */
export function dateTime(unix: number, tz: string): string {
  return `${dateLabel(todayIn(tz, unix * 1000))} ${clockTime(unix, tz)}`;
}

/** Today's date (`YYYY-MM-DD`) in a zone. Built from parts: some WebViews lack the en-CA format. */
export function todayIn(tz: string, nowMs: number = Date.now()): string {
  try {
    const p: Record<string, string> = {};
    for (const part of new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).formatToParts(new Date(nowMs))) {
      p[part.type] = part.value;
    }
    if (p.year && p.month && p.day) return `${p.year}-${p.month}-${p.day}`;
  } catch {
    /* an unknown zone: fall back to UTC below */
  }
  return new Date(nowMs).toISOString().slice(0, 10);
}

export function minutesSince(unix: number, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs / 1000 - unix) / 60));
}

/** "just now", "4 min ago", "2 h 05 min ago", for alerts and notes. */
export function ago(unix: number, nowMs: number): string {
  const m = minutesSince(unix, nowMs);
  if (m < 1) return "just now";
  return `${duration(m)} ago`;
}

/** "12 min", "1 h 05 min" */
export function duration(min: number): string {
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  return `${h} h ${String(m).padStart(2, "0")} min`;
}

// ---- Wall clock in the clinic's zone → instant ----------------------------------------------------

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of an instant in `tz`, as if it were UTC (ms). */
function wallMs(ms: number, tz: string): number {
  let f = wallFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallFormats.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
}

/**
 * Unix seconds of `date` (`YYYY-MM-DD`) at `time` (`HH:MM`) on the clinic's wall clock in `tz`.
 * An hour that happens twice (clocks going back) gives the earlier instant, like the core; a time
 * that does not exist that day (clocks going forward) gives null.
 */
export function zonedToUnix(date: string, time: string, tz: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const wanted = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // The zone's offset somewhere around that moment: before, at and after any clock change.
  const offsets = new Set<number>();
  // (Offsets reach ±14 h, so probes a day or two away see both sides of a change.)
  for (const probe of [wanted - 48 * 3600_000, wanted - 24 * 3600_000, wanted, wanted + 24 * 3600_000, wanted + 48 * 3600_000]) {
    try {
      offsets.add(wallMs(probe, tz) - probe);
    } catch {
      return null;
    }
  }
  let best: number | null = null;
  for (const off of offsets) {
    const ms = wanted - off;
    if (wallMs(ms, tz) === wanted && (best === null || ms < best)) best = ms;
  }
  return best === null ? null : Math.round(best / 1000);
}

/**
 * What a person typed as a time of day, as `HH:MM` (24 h), or null when it is not one:
 * "9:30", "09.30", "930", "0930", "14", "2:15 pm", "2pm".
 */
export function normalizeTime(raw: string): string | null {
  const s = raw.trim().toLowerCase().replace(/\s+/g, "");
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?(am|pm|a|p)?$/.exec(s);
  if (!m) return null;
  let h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  // "930" reads as 9:30, not 93 h.
  if (!m[2] && m[1].length === 2 && h > 24) return null;
  const ampm = m[3];
  if (ampm) {
    if (h < 1 || h > 12) return null;
    if (ampm.startsWith("p") && h !== 12) h += 12;
    if (ampm.startsWith("a") && h === 12) h = 0;
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
}

/** Weekday of a calendar date, 0 = Monday … 6 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = parts(date);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** "3 days", "5 weeks", "today" since an instant. */
export function ageOf(unix: number, nowMs: number): string {
  const days = Math.floor((nowMs / 1000 - unix) / 86_400);
  if (days < 1) {
    const h = Math.floor((nowMs / 1000 - unix) / 3600);
    return h < 1 ? "under an hour" : `${h} h`;
  }
  if (days < 14) return `${days} day${days === 1 ? "" : "s"}`;
  if (days < 70) return `${Math.floor(days / 7)} weeks`;
  return `${Math.floor(days / 30)} months`;
}

/** The zone's abbreviation at an instant ("EST", "IST", or "GMT+5:30" where there is none). */
export function zoneAbbr(tz: string, unix: number): string {
  try {
    const p = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "short" })
      .formatToParts(new Date(unix * 1000))
      .find((x) => x.type === "timeZoneName");
    return p?.value ?? "";
  } catch {
    return "";
  }
}

/** `HH:MM` plus some minutes, on a 24-hour clock. */
export function endOf(hhmm: string, minutes: number): string {
  const [h, m] = hhmm.split(":").map(Number);
  const t = (((h * 60 + m + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(t / 60)).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
}

/**
 * A date as a person types it, in the clinic's order: "2026-12-08", "8 Dec 2026", "Dec 8 2026",
 * "8/12/2026" (day first) or "12/8/2026" (month first), "8 Dec" (this year), "today", "tomorrow",
 * "yesterday". Null when it is not a real date.
 */
export function parseDate(raw: string, today: string): string | null {
  const s = raw.trim().toLowerCase().replace(/,/g, " ").replace(/\s+/g, " ");
  if (!s) return null;
  if (s === "today") return today;
  if (s === "tomorrow") return addDays(today, 1);
  if (s === "yesterday") return addDays(today, -1);
  const ymd = (y: number, m: number, d: number): string | null => {
    if (y < 100) y += 2000;
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2100) return null;
    const iso = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    return addDays(iso, 0) === iso ? iso : null;
  };
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return ymd(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(s);
  if (m) return dates.order === "month_first" ? ymd(+m[3], +m[1], +m[2]) : ymd(+m[3], +m[2], +m[1]);
  // Words: drop a weekday, find the month name, the day and the year around it.
  const words = s.split(/[\s/.-]+/).filter((w) => !/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$/.test(w));
  const mi = words.findIndex((w) => /^[a-z]{3,}$/.test(w) && MONTHS.some((x) => w.startsWith(x.toLowerCase())));
  if (mi < 0) return null;
  const month = MONTHS.findIndex((x) => words[mi].startsWith(x.toLowerCase())) + 1;
  const nums = words.filter((_, i) => i !== mi).map(Number);
  if (nums.some(Number.isNaN) || nums.length < 1 || nums.length > 2) return null;
  const year = nums.length === 2 ? nums[1] : Number(today.slice(0, 4));
  return ymd(year, month, nums[0]);
}
