/** compare on small synthetic summaries: findings by fingerprint, verdict changes, latency judged on histograms. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { LatencyHistogram } from "../../load/metrics/histogram.ts";
import { compareSummaries, mannWhitney, samplesOf } from "../../results/compare.ts";
import type { Finding } from "../../results/finding.ts";
import type { LoadStep, Summary } from "../../results/summary.ts";
import { summary } from "../support/summary.ts";

/** A seeded latency sample: `median` ms with a right tail, like a streamed run's TTFT. */
function latencies(n: number, median: number, seed: number): number[] {
  let a = seed;
  const rnd = () => ((a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => median * Math.exp(0.3 * Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd())));
}

function step(concurrency: number, values: Record<string, number[]>): LoadStep {
  const histograms = Object.fromEntries(Object.entries(values).map(([m, xs]) => {
    const h = LatencyHistogram.create();
    xs.forEach((x) => h.recordMs(x));
    return [m, h.encode()];
  }));
  return { concurrency, runs: { finished: 40, ok: 40, failed: 0 }, error_rate: 0, runs_per_s: 3, goodput_per_s: 3, histograms };
}

const withSteps = (steps: LoadStep[], over: Partial<Summary> = {}) => summary({ load: { metrics: {}, maxConcurrencyWithinSlo: 4, steps }, ...over });
const finding = (fingerprint: string, over: Partial<Finding> = {}): Finding => ({ fingerprint, check: "response_schema", spec: "agent-server", operationId: `op-${fingerprint}`, message: "m", reproducer: "curl", ...over });
const tool = { name: "agentwire", version: "0" };
const src = { base: "a", head: "b" };

test("histograms round-trip to their samples (within HDR's 0.1 %)", () => {
  const xs = latencies(50, 300, 1);
  const h = LatencyHistogram.create();
  xs.forEach((x) => h.recordMs(x));
  const back = samplesOf(h.encode());
  assert.equal(back.length, 50);
  const sorted = [...xs].sort((a, b) => a - b);
  back.forEach((v, i) => assert.ok(Math.abs(v - sorted[i]!) <= sorted[i]! * 0.002 + 0.002, `${v} vs ${sorted[i]}`));
});

test("the rank test: same distribution is not significant, a shifted one is, with the right sign", () => {
  const x = latencies(60, 300, 2).sort((a, b) => a - b);
  assert.ok(mannWhitney(x, latencies(60, 300, 3).sort((a, b) => a - b)).pValue > 0.05);
  const up = mannWhitney(x, latencies(60, 450, 4).sort((a, b) => a - b));
  assert.ok(up.pValue < 0.001 && up.z > 0, JSON.stringify(up));
});

test("two runs from the same distribution: no detectable change, exit-worthy nothing", () => {
  const base = withSteps([step(1, { ttft_ms: latencies(12, 300, 5), e2e_ms: latencies(12, 600, 6) }), step(2, { ttft_ms: latencies(24, 320, 7), e2e_ms: latencies(24, 650, 8) })]);
  const head = withSteps([step(1, { ttft_ms: latencies(12, 300, 9), e2e_ms: latencies(12, 600, 10) }), step(2, { ttft_ms: latencies(24, 320, 11), e2e_ms: latencies(24, 650, 12) })]);
  const c = compareSummaries(base, head, src, tool);
  assert.equal(c.verdict, "pass", c.reasons.join("; "));
  const ttft = c.metrics.find((m) => m.metric === "ttft_ms")!;
  assert.equal(ttft.verdict, "no detectable change");
  assert.deepEqual(ttft.concurrency, [1, 2]);
  assert.deepEqual(ttft.samples, { base: 36, head: 36 });
  for (const p of ttft.percentiles) assert.ok(p.ci[0] <= 0 && p.ci[1] >= 0, `${p.percentile} interval ${p.ci} holds 0`);
  assert.equal(c.metrics.find((m) => m.metric === "itl_ms")!.verdict, "not judged");
});

test("a change too small to matter on many samples: significant to the rank test, yet no detectable change; the rule is in compare.json", () => {
  // Thousands of TTFTs; HEAD 3 % slower: the rank test notices, nobody else would.
  const base = withSteps([step(1, { ttft_ms: latencies(3000, 300, 21) })]);
  const head = withSteps([step(1, { ttft_ms: latencies(3000, 309, 22) })]);
  const c = compareSummaries(base, head, src, tool);
  const ttft = c.metrics.find((m) => m.metric === "ttft_ms")!;
  assert.ok(ttft.rankTest!.pValue < 0.05 && ttft.rankTest!.z > 0, `the rank test sees it: ${JSON.stringify(ttft.rankTest)}`);
  assert.ok(ttft.percentiles.some((p) => p.ci[0] > 0), "an interval lies above zero");
  assert.equal(ttft.verdict, "no detectable change");
  for (const p of ttft.percentiles) assert.equal(p.margin, Math.max(0.1 * p.base, 5));
  assert.equal(c.verdict, "pass", c.reasons.join("; "));
  assert.deepEqual([c.equivalence.relative, c.equivalence.floorMs.itl_ms, c.equivalence.floorMs.ttft_ms], [0.1, 1, 5]);
  assert.match(c.equivalence.rule, /whole confidence interval lies beyond ±margin/);
  // The same shift made large (+30 %) is worse; the other way round, better.
  const slow = withSteps([step(1, { ttft_ms: latencies(3000, 390, 22) })]);
  assert.equal(compareSummaries(base, slow, src, tool).metrics.find((m) => m.metric === "ttft_ms")!.verdict, "worse");
  assert.equal(compareSummaries(slow, base, src, tool).metrics.find((m) => m.metric === "ttft_ms")!.verdict, "better");
});

test("ITL gaps count as many as the runs they came from: a tail that moved in a few runs is no detectable change; a shift of every run is", () => {
  // 40 runs of 25 gaps around 10 ms. In HEAD, 3 runs had a pause: their gaps are all 20 ms longer.
  const runs = (n: number, seed: number, slowRuns = 0, shift = 0) => Array.from({ length: n }, (_, r) => latencies(25, 10, seed + r).map((x) => x + (r < slowRuns ? 20 : 0) + shift)).flat();
  const base = withSteps([step(1, { itl_ms: runs(40, 100) })]);
  const paused = withSteps([step(1, { itl_ms: runs(40, 300, 3) })]);
  const itl = compareSummaries(base, paused, src, tool).metrics.find((m) => m.metric === "itl_ms")!;
  assert.equal(itl.samples.head, 1000);
  assert.equal(itl.verdict, "no detectable change", JSON.stringify(itl.percentiles));
  // Counted as 1000 independent gaps, the same tail would be "worse".
  const p99 = itl.percentiles.find((p) => p.percentile === "p99")!;
  assert.ok(p99.diff > 5, `the p99 moved: ${JSON.stringify(p99)}`);
  const slower = withSteps([step(1, { itl_ms: runs(40, 300, 0, 3) })]);
  assert.equal(compareSummaries(base, slower, src, tool).metrics.find((m) => m.metric === "itl_ms")!.verdict, "worse");
});

test("each concurrency level weighs the same: a HEAD slower at high concurrency, which therefore ran fewer runs there, is worse", () => {
  // A closed loop runs fewer runs where the target is slow: pooled as they come, HEAD's slow level would weigh less and look faster.
  const base = withSteps([step(1, { ttft_ms: latencies(30, 300, 41) }), step(8, { ttft_ms: latencies(40, 1000, 42) })]);
  const head = withSteps([step(1, { ttft_ms: latencies(30, 300, 43) }), step(8, { ttft_ms: latencies(25, 1400, 44) })]);
  const ttft = compareSummaries(base, head, src, tool).metrics.find((m) => m.metric === "ttft_ms")!;
  assert.deepEqual([ttft.concurrency, ttft.samples], [[1, 8], { base: 70, head: 55 }]);
  assert.equal(ttft.verdict, "worse", JSON.stringify(ttft.percentiles));
  assert.ok(ttft.rankTest!.z > 0, JSON.stringify(ttft.rankTest));
  const p95 = ttft.percentiles.find((p) => p.percentile === "p95")!;
  assert.ok(p95.diff > 200 && p95.ci[0] > 0, JSON.stringify(p95));
});

test("a note when one run's load phase had the machine much busier; none when alike", () => {
  const at = (load: [number, number]) => summary({ load: { metrics: {}, maxConcurrencyWithinSlo: 1, steps: [], host: { cpus: 2, loadAverage1m: load } } });
  assert.deepEqual(compareSummaries(at([1.8, 2.2]), at([2, 2.4]), src, tool).notes, []);
  assert.deepEqual(compareSummaries(at([0.2, 0.4]), at([0.5, 0.9]), src, tool).notes, [], "an idle machine either way");
  const [note] = compareSummaries(at([14, 16]), at([3, 5]), src, tool).notes;
  assert.match(note!, /much busier during BASE's load phase \(load average 15\.0 on 2 cores vs 4\.0 on 2\)/);
});

test("a regression limit stricter than the margin is the margin: a limit can always be detected", () => {
  const base = withSteps([step(1, { ttft_ms: latencies(2000, 300, 31) })]);
  const head = withSteps([step(1, { ttft_ms: latencies(2000, 312, 32) })]);
  assert.equal(compareSummaries(base, head, src, tool).metrics.find((m) => m.metric === "ttft_ms")!.verdict, "no detectable change");
  const strict = compareSummaries(base, head, src, tool, { regression: { "ttft_ms.p50": "+1%" } });
  const ttft = strict.metrics.find((m) => m.metric === "ttft_ms")!;
  const p50 = ttft.percentiles.find((p) => p.percentile === "p50")!;
  assert.equal(p50.margin, p50.base * 0.01);
  assert.equal(ttft.verdict, "worse");
  assert.equal(p50.beyondLimit, true);
  assert.equal(strict.verdict, "fail");
});

test("a first token held back: TTFT worse beyond its limit, named; e2e within a loose limit does not fail", () => {
  const base = withSteps([step(1, { ttft_ms: latencies(30, 300, 13), e2e_ms: latencies(30, 600, 14) })]);
  const head = withSteps([step(1, { ttft_ms: latencies(30, 3300, 15), e2e_ms: latencies(30, 640, 16) })]);
  const c = compareSummaries(base, head, src, tool, { regression: { "ttft_ms.p95": "+10%", "e2e_ms.p95": "+500%" } });
  assert.equal(c.verdict, "fail");
  assert.equal(c.metrics.find((m) => m.metric === "ttft_ms")!.verdict, "worse");
  assert.deepEqual(c.reasons.map((r) => r.split(" regressed")[0]), ["ttft_ms p95"]);
  assert.ok(c.metrics.find((m) => m.metric === "e2e_ms")!.percentiles.every((p) => !p.beyondLimit));
  // The other way round the same data is better, and passes.
  const back = compareSummaries(head, base, src, tool);
  assert.equal(back.metrics.find((m) => m.metric === "ttft_ms")!.verdict, "better");
  assert.equal(back.verdict, "pass");
});

test("findings by fingerprint: exactly the new ones fail, fixed and unchanged are listed, a new waived one does not fail", () => {
  const base = summary({ findings: [finding("aaaa"), finding("bbbb")], load: null });
  const head = summary({ findings: [finding("bbbb", { message: "worded differently" }), finding("cccc"), finding("dddd", { waived: { waiver: "w", reason: "r" } })], load: null });
  const c = compareSummaries(base, head, src, tool);
  assert.deepEqual(c.findings.new.map((f) => f.fingerprint), ["cccc", "dddd"]);
  assert.deepEqual(c.findings.fixed.map((f) => f.fingerprint), ["aaaa"]);
  assert.deepEqual(c.findings.unchanged.map((f) => f.fingerprint), ["bbbb"]);
  assert.equal(c.verdict, "fail");
  assert.deepEqual(c.reasons, ["new open finding cccc: response_schema on op-cccc"]);
  assert.ok(c.metrics.every((m) => m.verdict === "not judged"), "no load: latency not judged, never 'no change'");
});

test("a finding BASE waived and HEAD has open (its waiver expired) fails the comparison; one still waived does not", () => {
  const waived = { waived: { waiver: "w", reason: "r" } };
  const base = summary({ findings: [finding("aaaa", waived), finding("bbbb", waived)], load: null });
  const head = summary({ findings: [finding("aaaa"), finding("bbbb", waived)], load: null });
  const c = compareSummaries(base, head, src, tool);
  assert.deepEqual(c.findings.unchanged.map((f) => f.fingerprint), ["aaaa", "bbbb"]);
  assert.deepEqual(c.findings.reopened.map((f) => f.fingerprint), ["aaaa"]);
  assert.equal(c.verdict, "fail");
  assert.deepEqual(c.reasons, ["finding open again (BASE waived it) aaaa: response_schema on op-aaaa"]);
});

test("operation, stream and gate verdicts that changed are listed, unchanged ones are not", () => {
  const base = summary({ load: null });
  const head = summary({
    load: null,
    operations: [{ ...base.operations[0]!, verdict: "passed" }],
    streams: [{ ...base.streams[0]!, verdict: "failed" }],
    gates: [{ name: "load_ttft_slo", passed: false, detail: "x" }, { name: "threshold ttft_ms p(95)<1", passed: false, detail: "", notJudged: "2 samples" }],
  });
  const c = compareSummaries(base, head, src, tool);
  assert.deepEqual(c.operations.map((o) => [o.operationId, o.base, o.head]), [["getManagedDeepAgent", "failed", "passed"]]);
  assert.deepEqual(c.streams.map((s) => [s.check, s.base, s.head]), [["event_names", "passed", "failed"]]);
  assert.deepEqual(c.gates, [{ name: "load_ttft_slo", base: "met", head: "broken" }, { name: "threshold ttft_ms p(95)<1", base: null, head: "not-judged" }]);
});
