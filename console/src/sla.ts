/** SLA countdown states for the inbox and the case view. Pure: the caller passes `now`. */

import type { Deadline, Service } from "./api-types.ts";

export const DEFAULT_WARNING_LEAD_MS = 15 * 60 * 1000;

export type SlaState = "none" | "ok" | "warning" | "breached" | "paused" | "met";

export interface SlaStatus {
  state: SlaState;
  /** ms until the deadline (negative: overdue); null without a deadline */
  remainingMs: number | null;
  dueAt: number | null;
}

function parse(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** The state of one deadline at `now`: breached when past due (or flagged), warning within `leadMs`. */
export function deadlineStatus(
  dueAtIso: string | null | undefined,
  now: number,
  leadMs: number = DEFAULT_WARNING_LEAD_MS,
  flags: { breached?: boolean; paused?: boolean; stoppedAt?: string | null } = {},
): SlaStatus {
  const dueAt = parse(dueAtIso);
  const remainingMs = dueAt === null ? null : dueAt - now;
  if (flags.stoppedAt) return { state: flags.breached ? "breached" : "met", remainingMs, dueAt };
  if (flags.breached || (remainingMs !== null && remainingMs <= 0)) return { state: "breached", remainingMs, dueAt };
  if (flags.paused) return { state: "paused", remainingMs, dueAt };
  if (remainingMs === null) return { state: "none", remainingMs, dueAt };
  if (remainingMs <= leadMs) return { state: "warning", remainingMs, dueAt };
  return { state: "ok", remainingMs, dueAt };
}

/**
 * When the case's soonest running, not yet breached SLA clock is due. `service.next_deadline` is the escalation
 * flow's next wake-up, which includes the pre-breach warning timer (it comes a warning lead before the clock's
 * due time); the clocks themselves say when the SLA is due, so they are used when the row has them.
 */
export function soonestDue(service: Service): string | null {
  if (service.deadlines.length === 0) return service.next_deadline ?? null;
  let best: string | null = null;
  let bestAt = Infinity;
  for (const d of service.deadlines) {
    if (d.stopped_at || d.breached || !d.due_at) continue;
    const at = Date.parse(d.due_at);
    if (!Number.isNaN(at) && at < bestAt) {
      bestAt = at;
      best = d.due_at;
    }
  }
  return best;
}

/**
 * An inbox row's clock: its soonest running deadline; breached as soon as any clock is; met when every clock
 * stopped in time (a solved case), not "no deadline".
 */
export function caseSlaStatus(service: Service, now: number, leadMs: number = DEFAULT_WARNING_LEAD_MS): SlaStatus {
  const due = soonestDue(service);
  const breached = service.breached.length > 0 || service.deadlines.some((d) => d.breached);
  if (due === null && !breached && service.deadlines.length > 0 && service.deadlines.every((d) => d.stopped_at))
    return { state: "met", remainingMs: null, dueAt: null };
  return deadlineStatus(due, now, leadMs, {
    breached: service.breached.length > 0 || service.deadlines.some((d) => d.breached && !d.stopped_at),
    paused: service.paused,
  });
}

/** One clock of the case view. */
export function clockStatus(
  deadline: Deadline,
  service: Service,
  now: number,
  leadMs: number = DEFAULT_WARNING_LEAD_MS,
): SlaStatus {
  return deadlineStatus(deadline.due_at, now, leadMs, {
    breached: deadline.breached,
    paused: service.paused && !deadline.stopped_at,
    stoppedAt: deadline.stopped_at,
  });
}

export interface DurationUnits {
  d: string;
  h: string;
  m: string;
  s: string;
  /** between two parts: " " in English, "" in Chinese */
  sep: string;
}

/** "2d 4h", "3h 12m", "12m 05s", "45s": the two largest units, always of the absolute value. */
export function formatDuration(ms: number, u: DurationUnits): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}${u.d}${u.sep}${h}${u.h}`;
  if (h > 0) return `${h}${u.h}${u.sep}${m}${u.m}`;
  if (m > 0) return `${m}${u.m}${u.sep}${String(s).padStart(2, "0")}${u.s}`;
  return `${s}${u.s}`;
}
