/**
 * A refused form as the agent fixes it: which field the API's 400 (or 404) reason names, so the reason shows next
 * to that field. The API words its reasons after its JSON fields ("subject is required", "duration_s must be …");
 * a `too-long` answer names the field in `field`. Pure: no DOM.
 */

/** The parts of an ApiError this needs (api.ts's class has them). */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  body: unknown;
}

export type FieldRules<F extends string> = readonly (readonly [F, RegExp])[];

/** The field a 400 / 404 reason belongs to, or null (shown above the form). */
export function refusedField<F extends string>(refusal: Refusal, rules: FieldRules<F>, notFoundField?: F): F | null {
  if (refusal.status === 404) return notFoundField ?? null;
  if (refusal.status !== 400) return null;
  const named = (refusal.body as { field?: unknown } | null)?.field;
  for (const [field, pattern] of rules) {
    if (typeof named === "string" && pattern.test(named)) return field;
  }
  for (const [field, pattern] of rules) {
    if (pattern.test(refusal.message)) return field;
  }
  return null;
}
