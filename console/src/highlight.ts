/** Marking spans (blocked phrases) in a text, as pieces to render as text nodes: never as HTML. Pure. */

export type Span = readonly [number, number];

export interface Piece {
  text: string;
  marked: boolean;
}

/** The text cut into unmarked and marked pieces; spans are clamped, sorted and merged when they overlap. */
export function splitHighlights(text: string, spans: readonly Span[]): Piece[] {
  const clean = spans
    .map(([a, b]) => [Math.max(0, Math.min(a, text.length)), Math.max(0, Math.min(b, text.length))] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of clean) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  const pieces: Piece[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) pieces.push({ text: text.slice(at, a), marked: false });
    pieces.push({ text: text.slice(a, b), marked: true });
    at = b;
  }
  if (at < text.length || pieces.length === 0) pieces.push({ text: text.slice(at), marked: false });
  return pieces;
}

/**
 * The server counts characters as Unicode code points (Python); a JS string indexes UTF-16 code units. Converts
 * code-point spans to UTF-16 spans (they differ once an emoji or other astral character comes before the span).
 */
export function codePointSpansToUtf16(text: string, spans: readonly Span[]): [number, number][] {
  const offsets: number[] = [0]; // offsets[k] = UTF-16 index of code point k
  let unit = 0;
  for (const ch of text) {
    unit += ch.length;
    offsets.push(unit);
  }
  const at = (cp: number) => offsets[Math.max(0, Math.min(cp, offsets.length - 1))] ?? text.length;
  return spans.map(([a, b]) => [at(a), at(b)]);
}

/** Every occurrence of `phrase` in `text`, case-insensitively (UTF-16 spans). */
export function findPhrase(text: string, phrase: string): [number, number][] {
  const needle = phrase.trim().toLowerCase();
  if (!needle) return [];
  const hay = text.toLowerCase();
  // toLowerCase can change lengths for a few characters; only trust it when it did not.
  if (hay.length !== text.length) return [];
  const spans: [number, number][] = [];
  let from = 0;
  for (;;) {
    const i = hay.indexOf(needle, from);
    if (i < 0) break;
    spans.push([i, i + needle.length]);
    from = i + needle.length;
  }
  return spans;
}
