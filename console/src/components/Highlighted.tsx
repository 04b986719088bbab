/** A text with marked spans, rendered as text nodes inside <mark>: never as HTML. */

import { splitHighlights, type Span } from "../highlight.ts";

export function Highlighted({ text, spans }: { text: string; spans: readonly Span[] }) {
  return (
    <>
      {splitHighlights(text, spans).map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : p.text))}
    </>
  );
}
