/** "Log a call" (POST /cases/{id}/calls): the form's values to the API's body, and a call_logged event read back. */

import type { MessageKey } from "./i18n/en.ts";
import type { FieldRules } from "./field-errors.ts";
import { fromLocalInput } from "./zoned-time.ts";

export const CALL_DIRECTIONS = ["outbound", "inbound"] as const;
export const CALL_OUTCOMES = ["reached", "no_answer", "voicemail"] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const MAX_CALL_S = 86_400; // the API's limit: a day
const CLOCK_SKEW_MS = 5 * 60_000; // the API forgives a clock this far ahead
export const MAX_NOTE = 20_000;

export interface CallForm {
  direction: CallDirection;
  outcome: CallOutcome;
  /** datetime-local, in the tenant's time zone */
  startedAt: string;
  minutes: string;
  seconds: string;
  note: string;
}

export interface LogCallBody {
  direction: CallDirection;
  outcome: CallOutcome;
  started_at: string;
  duration_s: number;
  note?: string;
}

export type CallField = "direction" | "outcome" | "started_at" | "duration" | "note";
export type CallErrors = Partial<Record<CallField, MessageKey>>;

/** The API's 400 reasons by field (api/call_actions.py; a too-long note is the `body` field). */
export const CALL_RULES: FieldRules<CallField> = [
  ["direction", /^direction/],
  ["outcome", /^outcome/],
  ["started_at", /^started_at/],
  ["duration", /^duration_s/],
  ["note", /^(note|body)\b/],
];

function wholeNumber(text: string): number | null {
  const t = text.trim();
  if (t === "") return 0;
  return /^\d{1,6}$/.test(t) ? Number(t) : null;
}

/** The body to send, or what to fix first (one message per field). */
export function callBody(form: CallForm, timeZone: string | undefined, now: Date): { body: LogCallBody } | { errors: CallErrors } {
  const errors: CallErrors = {};
  if (!CALL_DIRECTIONS.includes(form.direction)) errors.direction = "call.errDirection";
  if (!CALL_OUTCOMES.includes(form.outcome)) errors.outcome = "call.errOutcome";
  const started = fromLocalInput(form.startedAt, timeZone);
  if (started === null) errors.started_at = "call.errStart";
  else if (Date.parse(started) > now.getTime() + CLOCK_SKEW_MS) errors.started_at = "call.errFuture";
  const minutes = wholeNumber(form.minutes);
  const seconds = wholeNumber(form.seconds);
  const duration = minutes === null || seconds === null ? null : minutes * 60 + seconds;
  if (duration === null || (seconds !== null && seconds > 59 && minutes !== null && minutes > 0)) errors.duration = "call.errDuration";
  else if (duration > MAX_CALL_S) errors.duration = "call.errTooLong";
  const note = form.note.trim();
  if (note.length > MAX_NOTE) errors.note = "call.errNote";
  if (Object.keys(errors).length > 0 || started === null || duration === null) return { errors };
  const body: LogCallBody = { direction: form.direction, outcome: form.outcome, started_at: started, duration_s: duration };
  return { body: note ? { ...body, note } : body };
}

export interface LoggedCall {
  direction: string;
  outcome: string;
  startedAt: string | null;
  durationS: number | null;
}

/** A call_logged event's detail ({direction, outcome, started_at, duration_s, agent_id}); null when it is not one. */
export function loggedCall(detail: Record<string, unknown> | null | undefined): LoggedCall | null {
  if (!detail || typeof detail["direction"] !== "string" || typeof detail["outcome"] !== "string") return null;
  const started = detail["started_at"];
  const duration = detail["duration_s"];
  return {
    direction: detail["direction"],
    outcome: detail["outcome"],
    startedAt: typeof started === "string" ? started : null,
    durationS: typeof duration === "number" && Number.isFinite(duration) ? duration : null,
  };
}

/** Minutes and seconds of a call (245 → [4, 5]). */
export function minutesSeconds(durationS: number): [number, number] {
  const s = Math.max(0, Math.floor(durationS));
  return [Math.floor(s / 60), s % 60];
}
