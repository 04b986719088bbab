import { test } from "node:test";
import assert from "node:assert/strict";
import { fromLocalInput, offsetMinutes, toLocalInput } from "../src/zoned-time.ts";

test("a wall time in Shanghai is sent with +08:00", () => {
  assert.equal(fromLocalInput("2026-05-04T09:00", "Asia/Shanghai"), "2026-05-04T09:00:00+08:00");
  assert.equal(Date.parse(fromLocalInput("2026-05-04T09:00", "Asia/Shanghai") ?? ""), Date.parse("2026-05-04T01:00:00Z"));
});

test("an instant shows as the zone's wall clock, and goes back to the same instant", () => {
  const at = new Date("2026-12-04T10:07:30Z");
  assert.equal(toLocalInput(at, "Asia/Shanghai"), "2026-12-04T18:07");
  assert.equal(toLocalInput(at, "UTC"), "2026-12-04T10:07");
  assert.equal(fromLocalInput(toLocalInput(at, "America/New_York"), "America/New_York"), "2026-12-04T05:07:00-05:00");
});

test("daylight saving time: the offset of the wall time itself", () => {
  assert.equal(offsetMinutes(new Date("2026-07-01T12:00:00Z"), "Europe/Berlin"), 120);
  assert.equal(offsetMinutes(new Date("2026-01-01T12:00:00Z"), "Europe/Berlin"), 60);
  assert.equal(fromLocalInput("2026-07-01T09:30", "Europe/Berlin"), "2026-07-01T09:30:00+02:00");
  assert.equal(fromLocalInput("2026-01-01T09:30", "Europe/Berlin"), "2026-01-01T09:30:00+01:00");
  assert.equal(fromLocalInput("2026-03-01T09:30", "Asia/Kolkata"), "2026-03-01T09:30:00+05:30");
});

test("what is not a datetime-local value is null", () => {
  for (const bad of ["", "tomorrow", "2026-02-31T10:00", "2026-05-04 09:00", "2026-05-04"]) {
    assert.equal(fromLocalInput(bad, "UTC"), null, bad);
  }
});
