import { test } from "node:test";
import assert from "node:assert/strict";
import { codePointSpansToUtf16, findPhrase, splitHighlights } from "../src/highlight.ts";

test("no spans: one unmarked piece", () => {
  assert.deepEqual(splitHighlights("hello", []), [{ text: "hello", marked: false }]);
  assert.deepEqual(splitHighlights("", []), [{ text: "", marked: false }]);
});

test("a span in the middle, at the start and at the end", () => {
  assert.deepEqual(splitHighlights("we guarantee it", [[3, 12]]), [
    { text: "we ", marked: false },
    { text: "guarantee", marked: true },
    { text: " it", marked: false },
  ]);
  assert.deepEqual(splitHighlights("free money", [[0, 4]]), [
    { text: "free", marked: true },
    { text: " money", marked: false },
  ]);
  assert.deepEqual(splitHighlights("free money", [[5, 10]]), [
    { text: "free ", marked: false },
    { text: "money", marked: true },
  ]);
});

test("overlapping and unsorted spans merge; out-of-range spans are clamped or dropped", () => {
  assert.deepEqual(splitHighlights("abcdefgh", [[4, 6], [1, 3], [2, 5], [20, 30], [7, 99]]), [
    { text: "a", marked: false },
    { text: "bcdef", marked: true },
    { text: "g", marked: false },
    { text: "h", marked: true },
  ]);
});

test("markup in the text stays text (the pieces are rendered as text nodes)", () => {
  const pieces = splitHighlights("<b>保证退款</b>", [[3, 7]]);
  assert.deepEqual(pieces, [
    { text: "<b>", marked: false },
    { text: "保证退款", marked: true },
    { text: "</b>", marked: false },
  ]);
});

test("code-point spans from the server become UTF-16 spans after an emoji", () => {
  const text = "😀 保证退款";
  // code points: 😀=0, space=1, 保=2 … 款=5
  assert.deepEqual(codePointSpansToUtf16(text, [[2, 6]]), [[3, 7]]);
  assert.equal(text.slice(3, 7), "保证退款");
  assert.deepEqual(codePointSpansToUtf16("abc", [[0, 2], [1, 99]]), [[0, 2], [1, 3]]);
});

test("finding a phrase case-insensitively", () => {
  assert.deepEqual(findPhrase("Guaranteed! we GUARANTEE", "guarantee"), [[0, 9], [15, 24]]);
  assert.deepEqual(findPhrase("abc", ""), []);
  assert.deepEqual(findPhrase("我们保证退款，保证", "保证"), [[2, 4], [7, 9]]);
});
