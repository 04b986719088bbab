import { test } from "node:test";
import assert from "node:assert/strict";
import { countSms, isGsm7 } from "../src/sms.ts";

test("empty text is no segment", () => {
  assert.deepEqual(
    { ...countSms(""), nonGsm: [] },
    { encoding: "GSM-7", units: 0, segments: 0, perSegment: 160, remaining: 160, nonGsm: [] },
  );
});

test("GSM-7: 160 characters fit one segment, 161 need two of 153", () => {
  assert.equal(countSms("a".repeat(160)).segments, 1);
  assert.equal(countSms("a".repeat(160)).remaining, 0);
  const two = countSms("a".repeat(161));
  assert.equal(two.encoding, "GSM-7");
  assert.equal(two.segments, 2);
  assert.equal(two.perSegment, 153);
  assert.equal(countSms("a".repeat(306)).segments, 2);
  assert.equal(countSms("a".repeat(307)).segments, 3);
});

test("GSM-7 extension characters cost two septets and are not split across segments", () => {
  assert.equal(countSms("€".repeat(80)).units, 160);
  assert.equal(countSms("€".repeat(80)).segments, 1);
  assert.equal(countSms("€".repeat(81)).segments, 2);
  // 152 plain + one escape pair: 154 septets > 153, the pair moves to segment 2
  const pair = countSms("a".repeat(152) + "{" + "a".repeat(10));
  assert.equal(pair.units, 164);
  assert.equal(pair.segments, 2);
  assert.equal(pair.remaining, 153 - 12);
  assert.ok(isGsm7("Hello @ £5 {ok} ÄÖÜ"));
});

test("Chinese text is UCS-2: 70 per single segment, 67 per part", () => {
  const c = countSms("您好".repeat(35));
  assert.equal(c.encoding, "UCS-2");
  assert.equal(c.units, 70);
  assert.equal(c.segments, 1);
  assert.equal(countSms("好".repeat(71)).segments, 2);
  assert.equal(countSms("好".repeat(134)).segments, 2);
  assert.equal(countSms("好".repeat(135)).segments, 3);
});

test("one non-GSM character switches the whole message to UCS-2", () => {
  const c = countSms("a".repeat(100) + "你");
  assert.equal(c.encoding, "UCS-2");
  assert.equal(c.units, 101);
  assert.equal(c.segments, 2);
  assert.deepEqual(c.nonGsm, ["你"]);
  assert.equal(countSms("curly ’quote’").encoding, "UCS-2");
});

test("UCS-2 counts UTF-16 code units: an emoji is two and is never split", () => {
  const emoji = countSms("😀");
  assert.equal(emoji.units, 2);
  assert.equal(countSms("😀".repeat(35)).segments, 1); // 70 units
  // 66 units + an emoji (2) = 68 > 67 → the emoji opens part 2
  const c = countSms("好".repeat(66) + "😀" + "好".repeat(10));
  assert.equal(c.units, 78);
  assert.equal(c.segments, 2);
  assert.equal(c.remaining, 67 - 12);
});
