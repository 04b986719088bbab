/** Which inbox rows belong to a view, in what order, and merging the changes feed into a loaded view. Pure. */

import type { Channel, InboxRow, InboxView, Priority } from "./api-types.ts";
import { soonestDue } from "./sla.ts";

export interface ViewFilters {
  channel?: Channel | "";
  priority?: Priority | "";
  tag?: string;
}

export interface ViewContext {
  view: InboxView;
  queue?: string | null;
  /** the signed-in agent (null: a tenant-wide token) */
  agentId: string | null;
  /** the agent's queues; empty or null: every queue */
  myQueues: readonly string[] | null;
  filters: ViewFilters;
  now: number;
  leadMs: number;
}

const FINISHED = new Set(["solved", "closed"]);
const PAUSED = new Set(["pending", "on_hold"]);

function time(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function passesFilters(row: InboxRow, f: ViewFilters): boolean {
  if (f.channel && row.channel !== f.channel) return false;
  if (f.priority && row.priority !== f.priority) return false;
  const tag = (f.tag ?? "").trim().toLowerCase();
  if (tag && !row.tags.some((t) => t.toLowerCase() === tag)) return false;
  return true;
}

/** Whether the row is one of the view's cases now (the same rules as GET /inbox). */
export function belongsToView(row: InboxRow, ctx: ViewContext): boolean {
  if (!passesFilters(row, ctx.filters)) return false;
  const open = !FINISHED.has(row.status);
  switch (ctx.view) {
    case "mine":
      return open && ctx.agentId !== null && row.assignee === ctx.agentId;
    case "unassigned":
      return open && !row.assignee && (!ctx.myQueues || ctx.myQueues.length === 0 || ctx.myQueues.includes(row.queue));
    case "queue":
      return open && row.queue === ctx.queue;
    case "breached":
      return open && row.service.breached.length > 0;
    case "pending":
      return row.status === "pending";
    case "solved":
      return row.status === "solved";
    case "at_risk": {
      if (!open || PAUSED.has(row.status) || row.service.paused || row.service.breached.length > 0) return false;
      const due = time(soonestDue(row.service));
      return due !== null && due > ctx.now && due <= ctx.now + ctx.leadMs;
    }
  }
}

/** Open views: soonest next deadline first, none last, then case id; recently solved: last change first. */
export function compareRows(view: InboxView): (a: InboxRow, b: InboxRow) => number {
  if (view === "solved") {
    return (a, b) => (time(b.updated_at) ?? 0) - (time(a.updated_at) ?? 0) || a.case_id.localeCompare(b.case_id);
  }
  return (a, b) => {
    const da = time(a.service.next_deadline);
    const db = time(b.service.next_deadline);
    if (da !== db) {
      if (da === null) return 1;
      if (db === null) return -1;
      return da - db;
    }
    return a.case_id.localeCompare(b.case_id);
  };
}

/** A change older than the row shown (a feed batch read before the page that brought the row): ignored. */
function isOlder(change: InboxRow, row: InboxRow): boolean {
  return change.version !== null && row.version !== null && change.version < row.version;
}

export interface MergeResult {
  rows: InboxRow[];
  /** rows new to the view (for the polite announcement) */
  added: InboxRow[];
  /** ids of rows that left it */
  removed: string[];
  updated: number;
  /** rows new to the view that sort after the last loaded row while more pages are unloaded (not in `rows`) */
  heldBack: InboxRow[];
}

/**
 * Merges changed rows into a loaded view: a changed case that still belongs replaces its row, one that no
 * longer belongs leaves, one new to the view comes in at its place (a change older than its row, by `version`, is
 * ignored). While more pages are still unloaded
 * (`hasMore`), a new row that sorts after the last loaded one is left for those pages to bring (`heldBack`: the
 * screen says how many wait further down).
 */
export function mergeChanges(
  rows: readonly InboxRow[],
  changed: readonly InboxRow[],
  ctx: ViewContext,
  hasMore: boolean,
): MergeResult {
  const latest = new Map<string, InboxRow>();
  for (const row of changed) latest.set(row.case_id, row); // oldest first: the last one wins
  if (latest.size === 0) return { rows: [...rows], added: [], removed: [], updated: 0, heldBack: [] };
  const compare = compareRows(ctx.view);
  const last = rows[rows.length - 1];
  const known = new Set(rows.map((r) => r.case_id));
  const kept: InboxRow[] = [];
  const removed: string[] = [];
  let updated = 0;
  for (const row of rows) {
    const change = latest.get(row.case_id);
    if (!change || isOlder(change, row)) kept.push(row);
    else if (belongsToView(change, ctx)) {
      kept.push(change);
      updated += 1;
    } else removed.push(row.case_id);
  }
  const added: InboxRow[] = [];
  const heldBack: InboxRow[] = [];
  for (const row of latest.values()) {
    if (known.has(row.case_id) || !belongsToView(row, ctx)) continue;
    if (hasMore && last && compare(row, last) > 0) heldBack.push(row);
    else added.push(row);
  }
  return { rows: [...kept, ...added].sort(compare), added, removed, updated, heldBack };
}
