/** Available / away (PUT /agents/{id}/availability): the form's values to the API's body. Pure: no DOM. */

import type { MessageKey } from "./i18n/en.ts";
import { fromLocalInput } from "./zoned-time.ts";

export const MAX_AWAY_DAYS = 366; // the API refuses a later `until`

export interface AvailabilityBody {
  available: boolean;
  until?: string;
}

/** `until` (datetime-local in the tenant's zone, may be empty) only goes with away, in the future, within a year. */
export function availabilityBody(
  available: boolean,
  untilLocal: string,
  timeZone: string | undefined,
  now: Date,
): { body: AvailabilityBody } | { error: MessageKey } {
  if (available || untilLocal.trim() === "") return { body: { available } };
  const until = fromLocalInput(untilLocal, timeZone);
  if (until === null) return { error: "presence.errUntil" };
  const at = Date.parse(until);
  if (at <= now.getTime()) return { error: "presence.errPast" };
  if (at > now.getTime() + MAX_AWAY_DAYS * 86_400_000) return { error: "presence.errFar" };
  return { body: { available, until } };
}
