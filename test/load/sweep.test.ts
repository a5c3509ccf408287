import { test } from "node:test";
import assert from "node:assert/strict";
import { MetricsCollector } from "../../load/metrics/collector.ts";
import { RunRecorder } from "../../load/metrics/timeline.ts";
import { doublingLevels, sweep } from "../../load/sweep.ts";

/** A fake measurement: every run at concurrency c has TTFT = 10·c ms (and `failAt` makes runs fail). */
function fakeMeasure(calls: number[], failAt = Infinity) {
  return async (concurrency: number, slo: Record<string, number>) => {
    calls.push(concurrency);
    const c = new MetricsCollector(slo);
    for (let i = 0; i < 20; i++) {
      const rec = new RunRecorder(0, c.gap);
      rec.headers(1, 200);
      rec.event(10 * concurrency, true);
      c.add(rec.finish(100 * concurrency, concurrency >= failAt ? "http" : undefined));
    }
    return c.summary();
  };
}

test("the sweep stops at the first step that breaks the SLO and reports the step before it", async () => {
  const calls: number[] = [];
  const r = await sweep({ slo: { ttft_p95_ms: 50 }, maxConcurrency: 64, measure: fakeMeasure(calls) });
  assert.deepEqual(calls, [1, 2, 4, 8]);
  assert.equal(r.maxConcurrencyWithinSlo, 4);
  assert.equal(r.brokeAt, 8);
  assert.deepEqual(r.steps.map((s) => s.ok), [true, true, true, false]);
  assert.equal(r.steps.at(-1)!.checks.find((c) => c.name === "ttft_p95_ms")!.ok, false);
});

test("errors break a step even when latency is fine (error_rate defaults to 1 %)", async () => {
  const calls: number[] = [];
  const r = await sweep({ slo: { ttft_p95_ms: 10_000 }, levels: [1, 3, 5, 7], measure: fakeMeasure(calls, 5) });
  assert.deepEqual(calls, [1, 3, 5]);
  assert.equal(r.maxConcurrencyWithinSlo, 3);
});

test("a sweep that never breaks reports the last level; one that breaks at once reports 0", async () => {
  const all = await sweep({ slo: { ttft_p95_ms: 10_000 }, maxConcurrency: 5, measure: fakeMeasure([]) });
  assert.deepEqual([all.maxConcurrencyWithinSlo, all.brokeAt, all.steps.length], [5, undefined, 4]);
  const none = await sweep({ slo: { ttft_p95_ms: 5 }, maxConcurrency: 8, measure: fakeMeasure([]) });
  assert.deepEqual([none.maxConcurrencyWithinSlo, none.brokeAt], [0, 1]);
});

test("levels and objectives are validated", async () => {
  assert.deepEqual(doublingLevels(10), [1, 2, 4, 8, 10]);
  await assert.rejects(sweep({ slo: { ttft_p95_ms: 1 }, levels: [2, 2], measure: fakeMeasure([]) }), /increasing positive integers/);
  await assert.rejects(sweep({ slo: {}, measure: fakeMeasure([]) }), /at least one latency SLO/);
  await assert.rejects(sweep({ slo: { ttft_p97_ms: 1 }, measure: fakeMeasure([]) }), /unknown SLO/);
});
