import { test } from "node:test";
import assert from "node:assert/strict";
import { belongsToView, mergeChanges, type ViewContext } from "../src/inbox-merge.ts";
import type { InboxRow } from "../src/api-types.ts";

const NOW = Date.parse("2026-12-04T10:00:00Z");
const MIN = 60_000;

function row(id: string, over: Partial<InboxRow> = {}, dueInMin: number | null = 60): InboxRow {
  return {
    case_id: id, status: "open", channel: "email", subject: `s ${id}`, customer_id: null, priority: "normal",
    queue: "general", assignee: "li.na", created_at: null, updated_at: "2026-12-04T09:00:00Z", message_count: 1,
    tags: [], version: 1, customer: null, first_line: "x",
    service: {
      routed_by: null, tier: null, key_account: null, deadlines: [], paused: false, breached: [], escalation_level: 0,
      next_deadline: dueInMin === null ? null : new Date(NOW + dueInMin * MIN).toISOString(),
    },
    ...over,
  };
}

const mine: ViewContext = {
  view: "mine", agentId: "li.na", myQueues: ["general"], filters: {}, now: NOW, leadMs: 15 * MIN,
};

test("membership per view", () => {
  assert.ok(belongsToView(row("A"), mine));
  assert.ok(!belongsToView(row("A", { assignee: "wang" }), mine));
  assert.ok(!belongsToView(row("A", { status: "solved" }), mine));
  const unassigned = { ...mine, view: "unassigned" as const };
  assert.ok(belongsToView(row("A", { assignee: null }), unassigned));
  assert.ok(!belongsToView(row("A", { assignee: null, queue: "billing" }), unassigned));
  assert.ok(belongsToView(row("A", { assignee: null, queue: "billing" }), { ...unassigned, myQueues: [] }));
  const risk = { ...mine, view: "at_risk" as const };
  assert.ok(belongsToView(row("A", {}, 10), risk));
  assert.ok(!belongsToView(row("A", {}, 20), risk));
  assert.ok(!belongsToView(row("A", { status: "pending" }, 10), risk));
  // at risk by the clock's due time when the row has clocks
  const clocked = row("A", {}, 5);
  clocked.service.deadlines = [
    { clock: "first_response", started_at: null, due_at: new Date(NOW + 40 * MIN).toISOString(), stopped_at: null, breached: false },
  ];
  assert.ok(!belongsToView(clocked, risk));
  assert.ok(belongsToView(row("A", { status: "pending" }), { ...mine, view: "pending" }));
  const q = { ...mine, view: "queue" as const, queue: "billing" };
  assert.ok(belongsToView(row("A", { queue: "billing" }), q));
  assert.ok(!belongsToView(row("A"), q));
});

test("filters apply to membership", () => {
  const ctx = { ...mine, filters: { channel: "sms" as const, tag: "VIP" } };
  assert.ok(!belongsToView(row("A"), ctx));
  assert.ok(belongsToView(row("A", { channel: "sms", tags: ["vip"] }), ctx));
});

test("merge: update in place, drop what left, insert what came, keep the deadline order", () => {
  const rows = [row("A", {}, 10), row("B", {}, 20), row("C", {}, 30)];
  const changed = [
    row("B", { priority: "urgent", version: 2 }, 20), // updated
    row("C", { assignee: "wang" }, 30), // reassigned: leaves "mine"
    row("D", {}, 15), // new, between A and B
    row("E", { assignee: "wang" }, 5), // not mine: ignored
  ];
  const r = mergeChanges(rows, changed, mine, false);
  assert.deepEqual(r.rows.map((x) => x.case_id), ["A", "D", "B"]);
  assert.equal(r.rows[2]?.priority, "urgent");
  assert.deepEqual(r.added.map((x) => x.case_id), ["D"]);
  assert.deepEqual(r.removed, ["C"]);
  assert.equal(r.updated, 1);
});

test("merge: the last change of a case wins; nothing changed is a no-op", () => {
  const rows = [row("A")];
  const r = mergeChanges(rows, [row("A", { version: 2 }), row("A", { version: 3 })], mine, false);
  assert.equal(r.rows[0]?.version, 3);
  // a change older than the row on screen (buffered before the page was read) does not roll it back
  const stale = mergeChanges([row("A", { version: 5, priority: "urgent" })], [row("A", { version: 4, assignee: "wang" })], mine, false);
  assert.deepEqual(stale.rows.map((x) => [x.case_id, x.version, x.priority]), [["A", 5, "urgent"]]);
  assert.deepEqual(stale.removed, []);
  assert.deepEqual(mergeChanges(rows, [], mine, false).rows, rows);
});

test("merge: with more pages to load, a new row past the loaded range waits for its page", () => {
  const rows = [row("A", {}, 10), row("B", {}, 20)];
  const r = mergeChanges(rows, [row("Z", {}, 500), row("C", {}, 15), row("Y", { assignee: "wang" }, 600)], mine, true);
  assert.deepEqual(r.rows.map((x) => x.case_id), ["A", "C", "B"]);
  assert.deepEqual(r.heldBack.map((x) => x.case_id), ["Z"]); // counted for the "further down" notice; Y is not mine
  const all = mergeChanges(rows, [row("Z", {}, 500)], mine, false);
  assert.deepEqual(all.rows.map((x) => x.case_id), ["A", "B", "Z"]);
  assert.deepEqual(all.heldBack, []);
});

test("merge: rows without a deadline sort last; solved view sorts by last change", () => {
  const r = mergeChanges([row("A", {}, null)], [row("B", {}, 5)], mine, false);
  assert.deepEqual(r.rows.map((x) => x.case_id), ["B", "A"]);
  const solved = { ...mine, view: "solved" as const };
  const s = mergeChanges(
    [row("A", { status: "solved", updated_at: "2026-12-04T08:00:00Z" })],
    [row("B", { status: "solved", updated_at: "2026-12-04T09:30:00Z" }), row("C", { status: "open" })],
    solved,
    false,
  );
  assert.deepEqual(s.rows.map((x) => x.case_id), ["B", "A"]);
});
