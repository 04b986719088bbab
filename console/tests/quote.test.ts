import { test } from "node:test";
import assert from "node:assert/strict";
import { splitQuoted } from "../src/quote.ts";

test("a body without quotes is one text segment", () => {
  assert.deepEqual(splitQuoted("Hello,\n\nmy order is late.\n"), [{ kind: "text", text: "Hello,\n\nmy order is late." }]);
});

test("top-posted reply: the On … wrote: header and the > block are quoted", () => {
  const body = [
    "Still nothing arrived.",
    "",
    "On Tue, 3 Dec 2026 at 10:00, Acme Support <support@acme.example> wrote:",
    "> We have shipped it.",
    ">",
    "> > Where is my order?",
  ].join("\n");
  const segs = splitQuoted(body);
  assert.equal(segs.length, 2);
  assert.deepEqual(segs[0], { kind: "text", text: "Still nothing arrived." });
  assert.equal(segs[1]?.kind, "quote");
  assert.match(segs[1]?.text ?? "", /^On Tue.*wrote:\n> We have shipped it\.\n>\n> > Where is my order\?$/);
});

test("a header wrapped over two lines", () => {
  const body = "Thanks!\nOn Tue, 3 Dec 2026 at 10:00 Acme Support\n<support@acme.example> wrote:\n> ok";
  const segs = splitQuoted(body);
  assert.deepEqual(segs.map((s) => s.kind), ["text", "quote"]);
  assert.equal(segs[0]?.text, "Thanks!");
});

test("Chinese header: 在…写道：", () => {
  const body = "还没有收到货。\n\n在 2026年12月3日 10:00，Acme Support <support@acme.example> 写道：\n> 已经发货了。";
  const segs = splitQuoted(body);
  assert.deepEqual(segs.map((s) => s.kind), ["text", "quote"]);
  assert.equal(segs[0]?.text, "还没有收到货。");
  assert.match(segs[1]?.text ?? "", /^在 2026年12月3日.*写道：\n> 已经发货了。$/);
});

test("Outlook style: everything from the Original Message rule on is history, without >", () => {
  const body = "See below.\n\n-----Original Message-----\nFrom: Ann\nSent: Monday\n\nHello";
  const segs = splitQuoted(body);
  assert.deepEqual(segs.map((s) => s.kind), ["text", "quote"]);
  assert.equal(segs[1]?.text, "-----Original Message-----\nFrom: Ann\nSent: Monday\n\nHello");
});

test("inline replies keep their order: text, quote, text, quote", () => {
  const body = "> Which order?\n100-5561\n> And the address?\n> (street)\nMain St 1";
  assert.deepEqual(splitQuoted(body), [
    { kind: "quote", text: "> Which order?" },
    { kind: "text", text: "100-5561" },
    { kind: "quote", text: "> And the address?\n> (street)" },
    { kind: "text", text: "Main St 1" },
  ]);
});

test("a line that merely mentions wrote: mid-text is not a header unless > follows or it ends the mail", () => {
  const segs = splitQuoted("On reflection I wrote:\nthe order number is 5561");
  assert.equal(segs[0]?.kind, "quote"); // a header with no > after it: history by convention
  const plain = splitQuoted("I wrote to you yesterday.\nStill waiting.");
  assert.deepEqual(plain.map((s) => s.kind), ["text"]);
});

test("CRLF bodies", () => {
  const segs = splitQuoted("Hi\r\n> quoted\r\n");
  assert.deepEqual(segs, [{ kind: "text", text: "Hi" }, { kind: "quote", text: "> quoted" }]);
});
