import { test } from "node:test";
import assert from "node:assert/strict";
import { caseSlaStatus, clockStatus, deadlineStatus, formatDuration, soonestDue } from "../src/sla.ts";
import type { Service } from "../src/api-types.ts";

const NOW = Date.parse("2026-12-04T10:00:00Z");
const MIN = 60_000;
const iso = (ms: number) => new Date(NOW + ms).toISOString();

function service(over: Partial<Service> = {}): Service {
  return {
    routed_by: null, tier: null, key_account: null, deadlines: [], paused: false, breached: [],
    escalation_level: 0, next_deadline: null, ...over,
  };
}

test("no deadline: none", () => {
  assert.equal(deadlineStatus(null, NOW).state, "none");
  assert.equal(caseSlaStatus(service(), NOW).state, "none");
});

test("ok, then warning within the lead (15 min by default), then breached", () => {
  assert.equal(deadlineStatus(iso(60 * MIN), NOW).state, "ok");
  assert.equal(deadlineStatus(iso(15 * MIN + 1000), NOW).state, "ok");
  assert.equal(deadlineStatus(iso(15 * MIN), NOW).state, "warning");
  assert.equal(deadlineStatus(iso(1000), NOW).state, "warning");
  assert.equal(deadlineStatus(iso(0), NOW).state, "breached");
  const late = deadlineStatus(iso(-5 * MIN), NOW);
  assert.equal(late.state, "breached");
  assert.equal(late.remainingMs, -5 * MIN);
});

test("a custom warning lead", () => {
  assert.equal(deadlineStatus(iso(20 * MIN), NOW, 30 * MIN).state, "warning");
  assert.equal(deadlineStatus(iso(20 * MIN), NOW, 10 * MIN).state, "ok");
});

test("a case with any breached clock is breached even if the next deadline is ahead", () => {
  const s = caseSlaStatus(service({ breached: ["first_response"], next_deadline: iso(3 * 3600_000) }), NOW);
  assert.equal(s.state, "breached");
  assert.equal(s.remainingMs, 3 * 3600_000);
});

test("paused clocks show paused (unless already breached)", () => {
  assert.equal(caseSlaStatus(service({ paused: true, next_deadline: iso(5 * MIN) }), NOW).state, "paused");
  assert.equal(caseSlaStatus(service({ paused: true }), NOW).state, "paused");
  assert.equal(caseSlaStatus(service({ paused: true, breached: ["resolution"] }), NOW).state, "breached");
});

test("a stopped clock is met, or breached if it was", () => {
  const svc = service();
  const base = { clock: "first_response", started_at: iso(-60 * MIN), due_at: iso(-30 * MIN) };
  assert.equal(clockStatus({ ...base, stopped_at: iso(-40 * MIN), breached: false }, svc, NOW).state, "met");
  assert.equal(clockStatus({ ...base, stopped_at: iso(-20 * MIN), breached: true }, svc, NOW).state, "breached");
  assert.equal(clockStatus({ ...base, due_at: iso(10 * MIN), stopped_at: null, breached: false }, svc, NOW).state, "warning");
});

test("a case whose clocks all stopped in time is met, not without a deadline", () => {
  const stopped = (breached: boolean) => ({
    clock: "first_response", started_at: iso(-60 * MIN), due_at: iso(-30 * MIN), stopped_at: iso(-40 * MIN), breached,
  });
  assert.equal(caseSlaStatus(service({ deadlines: [stopped(false)] }), NOW).state, "met");
  assert.equal(caseSlaStatus(service({ deadlines: [stopped(true)], breached: ["first_response"] }), NOW).state, "breached");
  assert.equal(caseSlaStatus(service({ deadlines: [stopped(true)] }), NOW).state, "none"); // breached once, now stopped
});

test("durations: the two largest units", () => {
  const en = { d: "d", h: "h", m: "m", s: "s", sep: " " };
  const zh = { d: "天", h: "小时", m: "分", s: "秒", sep: "" };
  assert.equal(formatDuration(45_000, en), "45s");
  assert.equal(formatDuration(12 * MIN + 5000, en), "12m 05s");
  assert.equal(formatDuration(-(12 * MIN + 5000), en), "12m 05s");
  assert.equal(formatDuration(3 * 3600_000 + 12 * MIN + 59_000, en), "3h 12m");
  assert.equal(formatDuration(2 * 86400_000 + 4 * 3600_000, en), "2d 4h");
  assert.equal(formatDuration(2 * 86400_000 + 4 * 3600_000, zh), "2天4小时");
});

test("the row clock counts to the soonest running clock's due time, not to the escalation wake-up", () => {
  const clock = (name: string, dueMin: number, over: Partial<{ stopped_at: string | null; breached: boolean }> = {}) => ({
    clock: name, started_at: iso(-60 * MIN), due_at: iso(dueMin * MIN), stopped_at: null, breached: false, ...over,
  });
  // next_deadline is the warning timer, 15 minutes before first_response is due
  const svc = service({ next_deadline: iso(45 * MIN), deadlines: [clock("first_response", 60), clock("resolution", 600)] });
  assert.equal(soonestDue(svc), iso(60 * MIN));
  const s = caseSlaStatus(svc, NOW);
  assert.equal(s.state, "ok");
  assert.equal(s.remainingMs, 60 * MIN);
  // a stopped clock does not count; the next running one does
  const met = service({ deadlines: [clock("first_response", -10, { stopped_at: iso(-20 * MIN) }), clock("resolution", 10)] });
  assert.equal(caseSlaStatus(met, NOW).state, "warning");
  // a breached clock makes the row breached, with the next running clock still counted
  const late = service({ breached: ["first_response"], deadlines: [clock("first_response", -5, { breached: true }), clock("resolution", 120)] });
  const l = caseSlaStatus(late, NOW);
  assert.equal(l.state, "breached");
  assert.equal(l.remainingMs, 120 * MIN);
  // no clocks at all: next_deadline is all there is
  assert.equal(soonestDue(service({ next_deadline: iso(5 * MIN) })), iso(5 * MIN));
});
