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

function pick(date: string, opts: Intl.DateTimeFormatOptions): Record<string, string> {
  const [y, m, d] = parts(date);
  const out: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat("en-GB", { ...opts, timeZone: "UTC" }).formatToParts(
    new Date(Date.UTC(y, m - 1, d)),
  )) {
    out[p.type] = p.value;
  }
  return out;
}

/** "Sunday 22 Nov" */
export function shortDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const p = pick(date, { weekday: "long", day: "numeric", month: "short" });
  return `${p.weekday} ${p.day} ${p.month}`;
}

/** "Sunday 22 November 2026" */
export function longDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const p = pick(date, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "22 Nov 1984" for dates of birth. */
export function plainDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const p = pick(date, { day: "numeric", month: "short", year: "numeric" });
  return `${p.day} ${p.month} ${p.year}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${tz}|${withDate}`;
  let f = timeFormats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", {
        timeZone: tz,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        ...(withDate ? { day: "numeric", month: "short" } : {}),
      });
    } catch {
      f = new Intl.DateTimeFormat("en-GB", {
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        ...(withDate ? { day: "numeric", month: "short" } : {}),
      });
    }
    timeFormats.set(key, f);
  }
  return f;
}

/** "10:42" in the clinic's zone. */
export function clockTime(unix: number, tz: string): string {
  return fmt(tz, false).format(new Date(unix * 1000));
}

/** "22 Nov, 10:42" in the clinic's zone. */
export function dateTime(unix: number, tz: string): string {
  return fmt(tz, true).format(new Date(unix * 1000));
}

/** Today's date (`YYYY-MM-DD`) in a zone. */
export function todayIn(tz: string, nowMs: number = Date.now()): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      new Date(nowMs),
    );
  } catch {
    return new Date(nowMs).toISOString().slice(0, 10);
  }
}

export function minutesSince(unix: number, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs / 1000 - unix) / 60));
}

/** "12 min", "1 h 05 min" */
export function duration(min: number): string {
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  return `${h} h ${String(m).padStart(2, "0")} min`;
}
