import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { everySplit, parse } from "./parse.ts";

// A thread run framed the way the Agent Server writes it: event, one data line of JSON, id, blank line, LF only.
const RUN = readFileSync(new URL("./fixtures/agent-server-run.sse", import.meta.url));

test("an Agent Server run stream parses clean however it is cut", () => {
  const whole = parse(RUN);
  assert.deepEqual(whole.issues, []);
  assert.equal(whole.partial, false);
  assert.deepEqual(whole.events.map((e) => e.id), whole.events.map((_, i) => String(i)));
  assert.equal(whole.events[0]!.event, "metadata");
  assert.equal(whole.events.at(-1)!.event, "error");
  assert.deepEqual(new Set(whole.events.map((e) => e.event)), new Set(["metadata", "values", "messages", "updates", "error"]));
  for (const e of whole.events) assert.doesNotThrow(() => JSON.parse(e.data), e.event);
  assert.equal(JSON.parse(whole.events[7]!.data)[0].content, "日本語 ✓");
  for (const cuts of everySplit(RUN)) assert.deepEqual(parse(RUN, cuts), whole);
});

test("stateless and join-error frames (no id) and subgraph event names parse clean", () => {
  const p = parse('event: metadata\ndata: {"run_id":"r","attempt":1}\n\nevent: values|weather_graph:1f0a\ndata: {}\n\nevent: error\ndata: "Run not found"\n\n');
  assert.deepEqual(p.issues, []);
  assert.deepEqual(p.events.map((e) => [e.event, e.id, e.lastEventId]), [
    ["metadata", undefined, ""],
    ["values|weather_graph:1f0a", undefined, ""],
    ["error", undefined, ""],
  ]);
});
