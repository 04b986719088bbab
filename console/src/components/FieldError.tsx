/** A field's own error, under it: the field points at it with aria-describedby and is aria-invalid. */

export function FieldError({ id, text }: { id: string; text: string | null | undefined }) {
  if (!text) return null;
  return (
    <p class="field-error" id={id}>
      {text}
    </p>
  );
}

/** aria-invalid / aria-describedby for a field with (maybe) an error and (maybe) a hint. */
export function described(errorId: string, error: string | null | undefined, hintId?: string) {
  const ids = [error ? errorId : null, hintId ?? null].filter(Boolean).join(" ");
  return { "aria-invalid": error ? true : undefined, "aria-describedby": ids || undefined };
}
