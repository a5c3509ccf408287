/** k6-style thresholds: parsing, one gate each judged on a step, not judged on too few samples, the sweep's SLO. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { LatencyHistogram } from "../../load/metrics/histogram.ts";
import type { LoadSummary } from "../../load/metrics/collector.ts";
import { judgeThresholds, parseThreshold, sweepSlo, thresholdsOf } from "../../load/thresholds.ts";

function step(ttfts: number[], failed = 0): LoadSummary {
  const h = LatencyHistogram.create();
  ttfts.forEach((x) => h.recordMs(x));
  const empty = LatencyHistogram.create().summary();
  const ok = ttfts.length;
  return {
    window_s: 3, runs: { finished: ok + failed, ok, failed }, errors: {}, error_examples: {}, error_rate: failed / (ok + failed), runs_per_s: ok / 3,
    output_tokens: 0, output_tokens_per_s: 0, goodput: { slo: {}, good_runs: ok, per_s: ok / 3 },
    latency_ms: { ttft: h.summary(), itl: empty, tpot: empty, e2e: empty, time_to_headers: empty, time_to_first_event: empty, start_lag: empty }, slo_checks: [], slo_ok: true,
  };
}

test("expressions parse as k6 writes them, and a wrong one names its metric", () => {
  assert.deepEqual((({ stat, op, limit }) => [stat, op, limit])(parseThreshold("ttft_ms", "p(95)<1500")), ["p95", "<", 1500]);
  assert.deepEqual((({ stat, op, limit }) => [stat, op, limit])(parseThreshold("ttft_ms", " p(99.9) <= 4000 ")), ["p999", "<=", 4000]);
  assert.equal(parseThreshold("error_rate", "rate<0.01").stat, "value");
  assert.throws(() => parseThreshold("ttft_ms", "p(97)<1"), /thresholds\.ttft_ms: "p\(97\)<1": the percentiles measured are/);
  assert.throws(() => parseThreshold("runs_per_s", "p(95)>1"), /a rate takes rate<… or value<…/);
  assert.throws(() => parseThreshold("queue_ms", "avg<1"), /thresholds\.queue_ms: unknown metric/);
});

test("each threshold is a gate: met, broken, or not judged on fewer samples than min_samples", () => {
  const ts = thresholdsOf({ ttft_ms: ["p(95)<500", "avg<1"], error_rate: ["rate<=0.1"], runs_per_s: ["value>1"], min_samples: 5 });
  const gates = judgeThresholds(ts, step([100, 120, 140, 160, 180, 200], 0), "at concurrency 1");
  assert.deepEqual(gates.map((g) => [g.name, g.passed, g.notJudged === undefined]), [
    ["threshold ttft_ms p(95)<500", true, true],
    ["threshold ttft_ms avg<1", false, true],
    ["threshold error_rate rate<=0.1", true, true],
    ["threshold runs_per_s value>1", true, true],
  ]);
  assert.match(gates[1]!.detail, /avg ttft_ms 1\d\d ms at concurrency 1 \(6 samples\); threshold avg<1/);
  assert.equal(gates[1]!.threshold!.actual! > 100, true);
  const few = judgeThresholds(ts, step([100, 120]), "at concurrency 1");
  assert.ok(few.every((g) => !g.passed && g.notJudged), JSON.stringify(few));
  assert.match(few[0]!.detail, /not judged: judged on 2 samples at concurrency 1, fewer than min_samples 5/);
});

test("the sweep's objective comes from the percentile and error-rate limits", () => {
  assert.deepEqual(sweepSlo(thresholdsOf({ ttft_ms: ["p(95)<1500", "p(95)<1200", "avg<10"], e2e_ms: ["p(99)<9000"], error_rate: ["rate<0.05"], runs_per_s: ["value>1"] })), { ttft_p95_ms: 1200, e2e_p99_ms: 9000, error_rate: 0.05 });
});
