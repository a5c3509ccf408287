import { test } from "node:test";
import assert from "node:assert/strict";
import type { Violation } from "../../results/finding.ts";
import { streamRules, type StreamExpectation, type StreamOutcome } from "../../streams/grammar/rules.ts";
import { allowedEvents, MODE_EXCEPTIONS } from "../../streams/grammar/modes.ts";
import type { SseEvent } from "../../streams/sse/types.ts";

const RUN = "01a201bb-126d-776a-b2ad-dfdea5eab7c1";
const chunk = (content: string) => ({ content, type: "ai", id: "run-1", tool_calls: [] });
const meta = { langgraph_node: "agent", langgraph_step: 1, run_id: RUN, thread_id: RUN };

function events(list: [string, unknown, string?][], spacingMs = 20): SseEvent[] {
  return list.map(([event, data, id], index) => ({
    index,
    event,
    data: typeof data === "string" ? data : JSON.stringify(data),
    id,
    lastEventId: id ?? "",
    offset: index * 100,
    receivedAt: 1000 + index * spacingMs,
  }));
}

const expectation = (over: Partial<StreamExpectation> = {}): StreamExpectation => ({
  modes: ["messages-tuple"],
  subgraphs: false,
  idsRequired: false,
  expectError: false,
  tupleMetadataKeys: ["langgraph_node"],
  modelMetadataKeys: [],
  ...over,
});

const outcome = (evs: SseEvent[], over: Partial<StreamOutcome> = {}): StreamOutcome => ({
  status: 200,
  headers: { "content-type": "text/event-stream" },
  sentAt: 990,
  end: { reason: "closed", endAt: (evs.at(-1)?.receivedAt ?? 1000) + 500, bytes: 1, events: evs.length, partialEvent: false },
  framingIssues: [],
  ...over,
});

/** Every rule's outcome on the events. */
function outcomes(evs: SseEvent[], x = expectation(), o = outcome(evs)) {
  const rules = streamRules(x);
  for (const e of evs) for (const r of rules) r.event(e);
  return new Map(rules.map((r) => [r.check, r.finish(o)]));
}

/** The violations of every rule that judged the stream. */
const judge = (evs: SseEvent[], x = expectation(), o = outcome(evs)): Violation[] => [...outcomes(evs, x, o).values()].flatMap((r) => (Array.isArray(r) ? r : []));

const healthy = () =>
  events([
    ["metadata", { run_id: RUN, attempt: 1 }, "0"],
    ...Array.from({ length: 20 }, (_, i): [string, unknown, string] => ["messages", [chunk(`tok${i} `), meta], String(i + 1)]),
  ]);

test("a stream shaped like the real server's passes every rule", () => {
  assert.deepEqual(judge(healthy()), []);
});

test("each rule reports its own breach", () => {
  const base = healthy();
  const cases: [string, SseEvent[], Partial<StreamExpectation>?, Partial<StreamOutcome>?][] = [
    ["metadata_first", base.slice(1).map((e, index) => ({ ...e, index }))],
    ["event_names", base.map((e) => (e.event === "messages" ? { ...e, event: "messages-tuple" } : e))],
    ["event_payloads", base.map((e) => (e.event === "messages" ? { ...e, data: JSON.stringify(chunk("x")) } : e))],
    ["event_payloads", base, { modelMetadataKeys: ["ls_model_name"] }],
    ["ids_present", base.map(({ id: _id, ...e }) => e), { idsRequired: true }],
    ["error_event", base, { expectError: true }],
    ["stream_content_type", base, {}, { headers: { "content-type": "application/json" } }],
    ["stream_terminates", base, {}, { end: { reason: "deadline", endAt: 60_000, bytes: 1, events: 21, partialEvent: false } }],
    ["sse_framing", base, {}, { framingIssues: [{ rule: "line-without-colon", offset: 7, eventIndex: 0, message: "x" }] }],
    ["delivered_incrementally", base.map((e) => ({ ...e, receivedAt: 2000 })), { producedOverMs: 380 }],
  ];
  for (const [check, evs, x, o] of cases) {
    const found = judge(evs, expectation(x), outcome(evs, o));
    assert.ok(found.length > 0, `${check}: no violation`);
    assert.deepEqual([...new Set(found.map((v) => v.check))], [check], `${check}: ${JSON.stringify(found)}`);
  }
});

test("an error event must end the stream and appear only when the run fails", () => {
  const evs = events([
    ["metadata", { run_id: RUN, attempt: 1 }, "0"],
    ["error", { error: "ReferenceFailure", message: "boom" }, "1"],
  ]);
  assert.deepEqual(judge(evs, expectation({ expectError: true })), []);
  assert.equal(judge(evs).filter((v) => v.check === "error_event").length, 1);
  const after = events([...evs.map((e): [string, unknown, string?] => [e.event, JSON.parse(e.data), e.id]), ["values", {}, "2"]]);
  assert.match(judge(after, expectation({ expectError: true, modes: ["values"] })).map((v) => v.message).join(), /follows the error event/);
});

test("namespaced events need stream_subgraphs, and the checkpoints exception applies only with subgraphs + values", () => {
  const ns = events([
    ["metadata", { run_id: RUN, attempt: 1 }, "0"],
    ["values|research:1d86", { messages: [] }, "1"],
  ]);
  assert.match(judge(ns, expectation({ modes: ["values"] })).map((v) => v.message).join(), /stream_subgraphs/);
  assert.deepEqual(judge(ns, expectation({ modes: ["values"], subgraphs: true })), []);
  assert.ok(allowedEvents(["values"], true).has("checkpoints"));
  assert.ok(!allowedEvents(["values"], false).has("checkpoints"));
  assert.equal(MODE_EXCEPTIONS.length, 1);
});

test("a resumed stream starts mid-run, so it need not begin with metadata", () => {
  const resumed = healthy().slice(5).map((e, index) => ({ ...e, index }));
  assert.deepEqual(judge(resumed, expectation({ resumed: true })), []);
  assert.ok(judge(resumed).some((v) => v.check === "metadata_first"));
});

test("delivery is judged on the spread between events against the run's known production time, never from the request", () => {
  const notJudged = (evs: SseEvent[], x: Partial<StreamExpectation>) => outcomes(evs, expectation(x)).get("delivered_incrementally");
  assert.match(JSON.stringify(notJudged(healthy(), { producedOverMs: undefined })), /pace is unknown/);
  assert.match(JSON.stringify(notJudged(healthy(), { producedOverMs: 50 })), /too short to tell/);
  // A server that queues the run for a second before its first event (the Python Agent Server does) still streams.
  const queued = outcome(healthy(), { sentAt: -1000 });
  assert.deepEqual(outcomes(healthy(), expectation({ producedOverMs: 380 }), queued).get("delivered_incrementally"), []);
});

test("ids are promised only on resumable streams, and are opaque there", () => {
  const opaque = healthy().map((e, i) => ({ ...e, id: `1796187280626-${i}` }));
  assert.match(JSON.stringify(outcomes(opaque).get("ids_present")), /stream_resumable=true/);
  assert.deepEqual(outcomes(opaque, expectation({ idsRequired: true })).get("ids_present"), []);
});

test("violations are capped per rule with a count of the rest", () => {
  const evs = healthy().map((e) => (e.event === "messages" ? { ...e, event: "bogus" } : e));
  const names = judge(evs).filter((v) => v.check === "event_names");
  assert.equal(names.length, 4);
  assert.match(names[3]!.message, /17 more/);
});
