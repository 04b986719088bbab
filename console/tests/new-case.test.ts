import { test } from "node:test";
import assert from "node:assert/strict";
import { refusedField } from "../src/field-errors.ts";
import {
  addressFieldOf,
  caseOpenedEarlier,
  emptyNewCase,
  NEW_CASE_RULES,
  newCaseBody,
  newIdempotencyKey,
  type NewCaseForm,
} from "../src/new-case.ts";
import { availabilityBody } from "../src/availability.ts";

const form = (over: Partial<NewCaseForm> = {}): NewCaseForm => ({
  ...emptyNewCase(), address: "+86 138 0013 8000", subject: " Printer jams ", text: "Called: it jams on every page.", ...over,
});

test("a phone case for an address: the phone field, trimmed subject and the customer's words", () => {
  assert.deepEqual(newCaseBody(form()), {
    body: { channel: "phone", phone: "+86 138 0013 8000", subject: "Printer jams", message: "Called: it jams on every page." },
  });
  assert.deepEqual(newCaseBody(form({ channel: "email", address: "a@b.example", textKind: "note" })), {
    body: { channel: "email", email: "a@b.example", subject: "Printer jams", note: "Called: it jams on every page." },
  });
  assert.deepEqual(newCaseBody(form({ who: "existing", customerId: "CU1", channel: "chat" })), {
    body: { channel: "chat", customer_id: "CU1", subject: "Printer jams", message: "Called: it jams on every page." },
  });
});

test("each channel's address field; chat takes an existing customer only", () => {
  assert.equal(addressFieldOf("email"), "email");
  assert.equal(addressFieldOf("sms"), "phone");
  assert.equal(addressFieldOf("phone"), "phone");
  assert.equal(addressFieldOf("wechat"), "wechat_openid");
  assert.equal(addressFieldOf("chat"), null);
  assert.deepEqual(newCaseBody(form({ channel: "chat" })), { errors: { address: "newCase.errChatNeedsCustomer" } });
});

test("what is missing or malformed is named per field", () => {
  assert.deepEqual(newCaseBody(form({ address: "", subject: " ", text: "" })), {
    errors: { address: "newCase.errAddress", subject: "newCase.errSubject", text: "newCase.errText" },
  });
  assert.deepEqual(newCaseBody(form({ channel: "email", address: "not an address" })), { errors: { address: "newCase.errEmail" } });
  assert.deepEqual(newCaseBody(form({ address: "call me" })), { errors: { address: "newCase.errPhone" } });
  assert.deepEqual(newCaseBody(form({ who: "existing" })), { errors: { customer: "newCase.errPickCustomer" } });
  assert.deepEqual(newCaseBody(form({ subject: "x".repeat(999) })), { errors: { subject: "newCase.errSubjectLong" } });
});

test("the API's 400 reasons (cases/open_case.py) land on their field; a 404 on the customer", () => {
  const r = (message: string, body: unknown = null, status = 400) => ({ status, code: "BadRequestError", message, body });
  assert.equal(refusedField(r("phone '+1' is no number in E.164 (+<country><number>)"), NEW_CASE_RULES), "address");
  assert.equal(refusedField(r("a sms case needs the customer's sms address, not email"), NEW_CASE_RULES), "address");
  assert.equal(refusedField(r("name the customer once: customer_id, email, phone or wechat_openid"), NEW_CASE_RULES), "customer");
  assert.equal(refusedField(r("CU1 was merged into CU2; use that one", null), NEW_CASE_RULES), "customer");
  assert.equal(refusedField(r("subject is required"), NEW_CASE_RULES), "subject");
  assert.equal(refusedField(r("subject: 1,000 characters; at most 998 characters", { field: "subject" }), NEW_CASE_RULES), "subject");
  assert.equal(refusedField(r("body: 20,001 characters; at most 20,000 characters", { field: "body" }), NEW_CASE_RULES), "text");
  assert.equal(refusedField(r("unknown channel 'fax': one of email, sms"), NEW_CASE_RULES), "channel");
  assert.equal(refusedField(r("customer CU9 not found", null, 404), NEW_CASE_RULES, "customer"), "customer");
  assert.equal(refusedField(r("conflict", null, 409), NEW_CASE_RULES, "customer"), null);
});

test("an idempotency key is a v4 UUID, new each time, with or without randomUUID", () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const a = newIdempotencyKey();
  assert.match(a, uuid);
  assert.notEqual(a, newIdempotencyKey());
  const fallback = newIdempotencyKey({ getRandomValues: (b) => b.fill(255) });
  assert.match(fallback, uuid);
});

test("availability: until only with away, in the tenant's zone, in the future, within a year", () => {
  const now = new Date("2026-12-04T10:00:00Z");
  assert.deepEqual(availabilityBody(true, "2026-12-05T09:00", "Asia/Shanghai", now), { body: { available: true } });
  assert.deepEqual(availabilityBody(false, "", "Asia/Shanghai", now), { body: { available: false } });
  assert.deepEqual(availabilityBody(false, "2026-12-05T09:00", "Asia/Shanghai", now), {
    body: { available: false, until: "2026-12-05T09:00:00+08:00" },
  });
  assert.deepEqual(availabilityBody(false, "2026-12-04T17:00", "Asia/Shanghai", now), { error: "presence.errPast" });
  assert.deepEqual(availabilityBody(false, "2028-01-01T09:00", "Asia/Shanghai", now), { error: "presence.errFar" });
  assert.deepEqual(availabilityBody(false, "soon", "Asia/Shanghai", now), { error: "presence.errUntil" });
});

test("a refused changed form names the case its key opened earlier; any other refusal names none", () => {
  assert.equal(caseOpenedEarlier({ code: "idempotency-key-reused", body: { case_id: "2R7KMQS19V", fields: ["subject"] } }), "2R7KMQS19V");
  assert.equal(caseOpenedEarlier({ code: "malformed", body: { case_id: "2R7KMQS19V" } }), null);
  assert.equal(caseOpenedEarlier({ code: "idempotency-key-reused", body: null }), null);
  assert.equal(caseOpenedEarlier({ code: "idempotency-key-reused", body: { case_id: 7 } }), null);
});
