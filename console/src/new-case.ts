/**
 * "New case" (POST /cases): the form's values to the API's body, and the Idempotency-Key that makes a double
 * submit one case. The key is made once when the form opens and kept with its draft until the case is opened, so a
 * retry after a lost answer gets the case the first request made. Pure: no DOM.
 */

import type { Channel } from "./api-types.ts";
import type { FieldRules } from "./field-errors.ts";
import type { MessageKey } from "./i18n/en.ts";

export const NEW_CASE_CHANNELS: readonly Channel[] = ["phone", "email", "sms", "wechat", "chat"];
export const MAX_SUBJECT = 998;
export const MAX_TEXT = 20_000;

export type AddressField = "email" | "phone" | "wechat_openid";
export type CustomerMode = "existing" | "address";
export type TextKind = "message" | "note";

/** Which address names a new customer on a channel; null: the channel takes an existing customer only (chat). */
export function addressFieldOf(channel: Channel): AddressField | null {
  switch (channel) {
    case "email":
      return "email";
    case "sms":
    case "phone":
      return "phone";
    case "wechat":
      return "wechat_openid";
    default:
      return null;
  }
}

export interface NewCaseForm {
  channel: Channel;
  who: CustomerMode;
  customerId: string;
  address: string;
  subject: string;
  text: string;
  textKind: TextKind;
}

export interface OpenCaseBody {
  channel: Channel;
  customer_id?: string;
  email?: string;
  phone?: string;
  wechat_openid?: string;
  subject: string;
  message?: string;
  note?: string;
}

export type NewCaseField = "channel" | "customer" | "address" | "subject" | "text";
export type NewCaseErrors = Partial<Record<NewCaseField, MessageKey>>;

/** The API's 400 reasons by field (cases/open_case.py); a 404 is an unknown customer id. */
export const NEW_CASE_RULES: FieldRules<NewCaseField> = [
  ["address", /^(a \w+ case needs|phone |email |wechat_openid )/],
  ["customer", /^(name the customer|customer_id)|was merged into/],
  ["text", /^(send the first|body\b)/],
  ["subject", /^subject/],
  ["channel", /^(channel|unknown channel)/],
];

export function emptyNewCase(): NewCaseForm {
  return { channel: "phone", who: "address", customerId: "", address: "", subject: "", text: "", textKind: "message" };
}

/** The body to send, or what to fix first (one message per field). */
export function newCaseBody(form: NewCaseForm): { body: OpenCaseBody } | { errors: NewCaseErrors } {
  const errors: NewCaseErrors = {};
  const addressField = addressFieldOf(form.channel);
  const subject = form.subject.trim();
  const text = form.text.trim();
  let who: Partial<OpenCaseBody> = {};
  if (form.who === "existing") {
    if (form.customerId.trim()) who = { customer_id: form.customerId.trim() };
    else errors.customer = "newCase.errPickCustomer";
  } else if (addressField === null) {
    errors.address = "newCase.errChatNeedsCustomer";
  } else if (!form.address.trim()) {
    errors.address = "newCase.errAddress";
  } else if (addressField === "email" && !/^[^@\s]+@[^@\s]+$/.test(form.address.trim())) {
    errors.address = "newCase.errEmail";
  } else if (addressField === "phone" && !/^\+?[\d\s().-]{3,}$/.test(form.address.trim())) {
    errors.address = "newCase.errPhone";
  } else {
    who = { [addressField]: form.address.trim() };
  }
  if (!subject) errors.subject = "newCase.errSubject";
  else if (subject.length > MAX_SUBJECT) errors.subject = "newCase.errSubjectLong";
  if (!text) errors.text = "newCase.errText";
  else if (text.length > MAX_TEXT) errors.text = "newCase.errTextLong";
  if (Object.keys(errors).length > 0) return { errors };
  return { body: { channel: form.channel, ...who, subject, [form.textKind]: text } };
}

/** A random UUID (v4): crypto.randomUUID where there is one (secure contexts), else from getRandomValues. */
interface RandomSource {
  getRandomValues(array: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
  randomUUID?: () => string;
}

export function newIdempotencyKey(crypto: RandomSource = globalThis.crypto): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The API's code for a changed request under a key that already opened a case (422, with that case's id). */
export const KEY_REUSED = "idempotency-key-reused";

/**
 * The case an earlier submit of this form opened, when the API refused the changed form under the same key: the
 * first answer was lost (a dropped connection) and the agent edited the form before trying again. Null otherwise.
 */
export function caseOpenedEarlier(refusal: { code: string; body: unknown }): string | null {
  if (refusal.code !== KEY_REUSED || typeof refusal.body !== "object" || refusal.body === null) return null;
  const id = (refusal.body as { case_id?: unknown }).case_id;
  return typeof id === "string" && id ? id : null;
}
