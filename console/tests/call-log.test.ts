import { test } from "node:test";
import assert from "node:assert/strict";
import { CALL_RULES, callBody, loggedCall, minutesSeconds, type CallForm } from "../src/call-log.ts";
import { refusedField } from "../src/field-errors.ts";

const NOW = new Date("2026-12-04T10:00:00Z"); // 18:00 in Shanghai
const form = (over: Partial<CallForm> = {}): CallForm => ({
  direction: "outbound", outcome: "reached", startedAt: "2026-12-04T17:30", minutes: "4", seconds: "5", note: "", ...over,
});

test("the form becomes the API's body: the start with its offset, the duration in seconds, no empty note", () => {
  assert.deepEqual(callBody(form(), "Asia/Shanghai", NOW), {
    body: { direction: "outbound", outcome: "reached", started_at: "2026-12-04T17:30:00+08:00", duration_s: 245 },
  });
  const noted = callBody(form({ note: "  Replacement sent. ", minutes: "", seconds: "40", outcome: "voicemail" }), "Asia/Shanghai", NOW);
  assert.ok("body" in noted);
  assert.equal(noted.body.note, "Replacement sent.");
  assert.equal(noted.body.duration_s, 40);
  assert.equal(noted.body.outcome, "voicemail");
});

test("a start in the future, a bad duration or a day-long call name their field", () => {
  const r = callBody(form({ startedAt: "2026-12-04T18:30", minutes: "x" }), "Asia/Shanghai", NOW);
  assert.deepEqual(r, { errors: { started_at: "call.errFuture", duration: "call.errDuration" } });
  assert.deepEqual(callBody(form({ minutes: "1441", seconds: "0" }), "Asia/Shanghai", NOW), { errors: { duration: "call.errTooLong" } });
  assert.deepEqual(callBody(form({ minutes: "2", seconds: "75" }), "Asia/Shanghai", NOW), { errors: { duration: "call.errDuration" } });
  assert.deepEqual(callBody(form({ startedAt: "" }), "Asia/Shanghai", NOW), { errors: { started_at: "call.errStart" } });
  // within the API's five minutes of clock skew
  assert.ok("body" in callBody(form({ startedAt: "2026-12-04T18:04" }), "Asia/Shanghai", NOW));
});

test("the API's 400 reasons land on their field; other answers do not", () => {
  const refusal = (message: string, body: unknown = null, status = 400) => ({ status, code: "BadRequestError", message, body });
  assert.equal(refusedField(refusal("started_at is in the future"), CALL_RULES), "started_at");
  assert.equal(refusedField(refusal("duration_s must be whole seconds from 0 to 86400"), CALL_RULES), "duration");
  assert.equal(refusedField(refusal("body: 20,001 characters; at most 20,000 characters", { field: "body" }), CALL_RULES), "note");
  assert.equal(refusedField(refusal("unknown fields: x"), CALL_RULES), null);
  assert.equal(refusedField(refusal("started_at is in the future", null, 409), CALL_RULES), null);
});

test("a call_logged event's detail is read back; others are not calls", () => {
  const detail = { direction: "outbound", outcome: "no_answer", started_at: "2026-12-04T09:30:00+00:00", duration_s: 0, agent_id: "li.na" };
  assert.deepEqual(loggedCall(detail), { direction: "outbound", outcome: "no_answer", startedAt: "2026-12-04T09:30:00+00:00", durationS: 0 });
  assert.equal(loggedCall({ queue: "general" }), null);
  assert.equal(loggedCall(null), null);
  assert.deepEqual(minutesSeconds(245), [4, 5]);
  assert.deepEqual(minutesSeconds(59), [0, 59]);
});
