import { test } from "node:test";
import assert from "node:assert/strict";
import { MetricsCollector } from "../../load/metrics/collector.ts";
import { definitionsTable, METRIC_DEFINITIONS } from "../../load/metrics/definitions.ts";
import { parseSlo } from "../../load/metrics/slo.ts";
import { RunRecorder, runMetrics, type RunTimeline } from "../../load/metrics/timeline.ts";
import { tokenClassifier } from "../../streams/grammar/tokens.ts";

/** Histogram values are HDR bucket bounds: within 0.1 % of what was recorded. */
const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) <= expected * 0.001, `${actual} is not within 0.1 % of ${expected}`);

/** Replays a timeline: headers at h, events as [time, isToken], end at e; all relative to send = 1000. */
function replay(h: number | undefined, events: [number, boolean][], e: number, gaps: number[] = []): RunTimeline {
  const rec = new RunRecorder(1000, (g) => gaps.push(g));
  if (h !== undefined) rec.headers(1000 + h, 200);
  for (const [t, token] of events) rec.event(1000 + t, token);
  return rec.finish(1000 + e);
}

test("a known timeline gives exactly the defined TTFT, ITL gaps, TPOT and E2E", () => {
  const gaps: number[] = [];
  // metadata at 4, tokens at 10, 15, 27, 30; a non-token event at 20; end at 80.
  const t = replay(2, [[4, false], [10, true], [15, true], [20, false], [27, true], [30, true]], 80, gaps);
  assert.deepEqual(runMetrics(t), { timeToHeaders: 2, timeToFirstEvent: 4, ttft: 10, tpot: (30 - 10) / 3, e2e: 80, tokens: 4, maxGap: 12 });
  assert.deepEqual(gaps, [5, 12, 3]);
});

test("TPOT needs two tokens: undefined with one token; no token means no TTFT either", () => {
  const one = runMetrics(replay(1, [[2, false], [9, true]], 50));
  assert.equal(one.ttft, 9);
  assert.equal(one.tpot, undefined);
  assert.equal(one.maxGap, 0);
  const none = runMetrics(replay(1, [[2, false]], 50));
  assert.deepEqual([none.ttft, none.tpot, none.tokens, none.timeToFirstEvent, none.e2e], [undefined, undefined, 0, 2, 50]);
});

test("the collector keeps errored runs out of latencies, counts them by kind, and pools every gap", () => {
  const c = new MetricsCollector({ ttft_ms: 12, ttft_p95_ms: 100 });
  const record = (h: number | undefined, events: [number, boolean][], end: number, error?: Parameters<RunRecorder["finish"]>[1], status = 200) => {
    const rec = new RunRecorder(1000, c.gap);
    if (h !== undefined) rec.headers(1000 + h, status);
    for (const [t, tok] of events) rec.event(1000 + t, tok);
    if (error === "http") rec.fail("http");
    c.add(rec.finish(1000 + end, error === "http" ? undefined : error));
  };
  record(1, [[10, true], [20, true]], 30); // good: ttft 10
  record(1, [[15, true], [18, true], [25, true]], 40); // ok but ttft 15 > 12: not goodput
  record(1, [[5, true], [9, true]], 400, "deadline"); // failed after two tokens: gap 4 still pooled
  record(1, [], 2, "http", 503);
  c.addFailure("setup");
  const s = c.summary();
  assert.deepEqual(s.runs, { finished: 5, ok: 2, failed: 3 });
  assert.deepEqual(s.errors, { deadline: 1, http_503: 1, setup: 1 });
  assert.equal(s.error_rate, 3 / 5);
  assert.equal(s.latency_ms.ttft.count, 2);
  assert.equal(s.latency_ms.ttft.min, 10);
  near(s.latency_ms.ttft.max, 15);
  assert.equal(s.latency_ms.e2e.count, 2);
  assert.equal(s.latency_ms.itl.count, 4); // 10, 3, 7 from the good runs, 4 from the failed one
  assert.equal(s.latency_ms.tpot.count, 2);
  assert.equal(s.output_tokens, 5);
  assert.equal(s.goodput.good_runs, 1);
  assert.deepEqual(s.goodput.slo, { ttft_ms: 12 });
  assert.deepEqual(s.slo_checks.map((c) => [c.name, c.limit, c.ok]), [["ttft_p95_ms", 100, true]]);
  near(s.slo_checks[0]!.actual, 15);
  // Window: first send (1000) to last end (1400).
  assert.equal(s.window_s, 0.4);
  assert.equal(s.runs_per_s, 2 / 0.4);
});

test("collectors merge exactly through their encoded shards", () => {
  const make = (offset: number) => {
    const c = new MetricsCollector();
    for (let i = 0; i < 50; i++) {
      const rec = new RunRecorder(i, c.gap);
      rec.headers(i + 1, 200);
      rec.event(i + 5 + offset, true);
      rec.event(i + 9 + offset, true);
      c.add(rec.finish(i + 20));
    }
    c.addFailure("connect");
    return c;
  };
  const a = make(0);
  const b = make(3);
  const merged = MetricsCollector.decode(JSON.parse(JSON.stringify(a.encode()))).merge(b.encode());
  const s = merged.summary();
  assert.deepEqual(s.runs, { finished: 102, ok: 100, failed: 2 });
  assert.deepEqual(s.errors, { connect: 2 });
  assert.equal(s.latency_ms.ttft.count, 100);
  assert.equal(s.latency_ms.ttft.min, 5);
  near(s.latency_ms.ttft.max, 8);
  assert.throws(() => MetricsCollector.decode({} as never), /not an agentwire load shard/);
});

test("a merge of shards equals one collector fed every run: every histogram bucket, ITL batches included", () => {
  const whole = new MetricsCollector();
  const halves = [new MetricsCollector(), new MetricsCollector()];
  // Enough gaps to pass the ITL batch size several times, with values spread over many HDR buckets.
  for (let i = 0; i < 300; i++) {
    const feed = (c: MetricsCollector) => {
      const rec = new RunRecorder(i, c.gap);
      rec.headers(i + 1 + (i % 7) * 0.013, 200);
      for (let k = 0; k < 40; k++) rec.event(i + 5 + k * (1 + (i % 13) * 0.37) + (k % 3) * 0.001, true);
      c.add(rec.finish(i + 400 + (i % 11)));
    };
    feed(whole);
    feed(halves[i % 2]!);
  }
  whole.addFailure("setup", "POST /threads answered 500");
  halves[1]!.addFailure("setup", "POST /threads answered 500");
  const merged = MetricsCollector.decode(JSON.parse(JSON.stringify(halves[0]!.encode()))).merge(halves[1]!.encode());
  const [m, w] = [merged.summary(), whole.summary()];
  assert.equal(w.latency_ms.itl.count, 300 * 39);
  assert.deepEqual(m.latency_ms, w.latency_ms);
  assert.deepEqual([m.runs, m.errors, m.error_examples, m.output_tokens], [w.runs, w.errors, w.error_examples, w.output_tokens]);
  assert.deepEqual(merged.encode().histograms, whole.encode().histograms);
});

test("token events: messages-tuple AI chunks with text, and messages/partial growth", () => {
  const tuple = tokenClassifier("messages-tuple");
  const ev = (event: string, data: unknown) => ({ event, data: JSON.stringify(data) });
  assert.equal(tuple(ev("messages", [{ type: "AIMessageChunk", content: "hi" }, {}])), true);
  assert.equal(tuple(ev("messages|tools:1", [{ type: "ai", content: [{ type: "text", text: "x" }] }, {}])), true);
  assert.equal(tuple(ev("messages", [{ type: "ai", content: "", tool_call_chunks: [{ name: "write_todos" }] }, {}])), false);
  assert.equal(tuple(ev("messages", [{ type: "tool", content: "result" }, {}])), false);
  assert.equal(tuple(ev("metadata", { run_id: "r" })), false);
  assert.equal(tuple({ event: "messages", data: "not json" }), false);
  const partial = tokenClassifier("messages");
  assert.equal(partial(ev("messages/partial", [{ id: "m", type: "ai", content: "a" }])), true);
  assert.equal(partial(ev("messages/partial", [{ id: "m", type: "ai", content: "a" }])), false);
  assert.equal(partial(ev("messages/partial", [{ id: "m", type: "ai", content: "ab" }])), true);
  assert.equal(partial(ev("messages/complete", [{ id: "m", type: "ai", content: "ab" }])), false);
  assert.equal(partial(ev("messages/partial", [{ id: "h", type: "human", content: "hello" }])), false);
});

test("SLO strings parse into named objectives and reject unknown names with one line", () => {
  assert.deepEqual(parseSlo("ttft_p95_ms=500, itl_p99_ms=50,e2e_ms=3000,error_rate=0.01"), { ttft_p95_ms: 500, itl_p99_ms: 50, e2e_ms: 3000, error_rate: 0.01 });
  assert.throws(() => parseSlo("ttft_p97_ms=1"), /unknown SLO "ttft_p97_ms"/);
  assert.throws(() => parseSlo("ttft_ms"), /not of the form name=number/);
  assert.throws(() => parseSlo("ttft_ms=-1"), /non-negative number/);
});

test("the definitions table names every metric the summary reports", () => {
  const table = definitionsTable();
  for (const key of ["time_to_headers", "time_to_first_event", "ttft", "itl", "tpot", "e2e", "goodput", "errors"]) {
    assert.ok(METRIC_DEFINITIONS.some((d) => d.key === key), key);
    assert.match(table, new RegExp(`\\| ${key} \\|`));
  }
  assert.match(table, /messages\/partial/);
});
