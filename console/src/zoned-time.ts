/**
 * Wall-clock times in the tenant's time zone for `<input type="datetime-local">` ("2026-05-04T09:00"), and back to
 * an instant with its offset ("2026-05-04T09:00:00+08:00") as the API takes it. Pure: no DOM.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The zone's offset from UTC at `at`, in minutes (Shanghai: +480); the runtime's own zone when undefined. */
export function offsetMinutes(at: Date, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** `at` as the zone's wall clock, to the minute: the value a datetime-local input shows. */
export function toLocalInput(at: Date, timeZone: string | undefined): string {
  const shifted = new Date(at.getTime() + offsetMinutes(at, timeZone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * A datetime-local value read in the zone, as ISO 8601 with the zone's offset; null when it is no such value.
 * Around a DST change the offset of the wall time itself is used (the instant is corrected once).
 */
export function fromLocalInput(value: string, timeZone: string | undefined): string | null {
  const m = LOCAL.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== Number(d)) return null; // 2026-02-31
  let offset = offsetMinutes(new Date(wall), timeZone);
  offset = offsetMinutes(new Date(wall - offset * 60_000), timeZone);
  return `${y}-${mo}-${d}T${h}:${mi}:${s ?? "00"}${offsetText(offset)}`;
}
