import { test } from "node:test";
import assert from "node:assert/strict";
import { LatencyHistogram } from "../../load/metrics/histogram.ts";

/** HDR keeps 3 significant digits: a reported value lies within 0.1 % of the true one. */
const near = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= expected * 0.001 + 0.001, `${what}: ${actual} is not within 0.1 % of ${expected}`);

test("percentiles of 1..10000 ms are the known order statistics", () => {
  const h = LatencyHistogram.create();
  for (let ms = 1; ms <= 10_000; ms++) h.recordMs(ms);
  const s = h.summary();
  assert.equal(s.count, 10_000);
  near(s.min, 1, "min");
  near(s.p50, 5_000, "p50");
  near(s.p90, 9_000, "p90");
  near(s.p95, 9_500, "p95");
  near(s.p99, 9_900, "p99");
  near(s.p999, 9_990, "p99.9");
  near(s.max, 10_000, "max");
  near(s.mean, 5_000.5, "mean");
});

test("sub-millisecond values keep microsecond resolution, and an empty histogram summarises to zeros", () => {
  const h = LatencyHistogram.create();
  h.recordMs(0.25);
  h.recordMs(0.75);
  assert.deepEqual([h.summary().min, h.summary().max], [0.25, 0.75]);
  assert.deepEqual(LatencyHistogram.create().summary(), { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 });
});

test("merging shards equals recording everything in one histogram", () => {
  const all = LatencyHistogram.create();
  const shards = [LatencyHistogram.create(), LatencyHistogram.create(), LatencyHistogram.create()];
  for (let i = 0; i < 3000; i++) {
    const ms = ((i * 7919) % 2500) / 3 + (i % 3) * 100;
    all.recordMs(ms);
    shards[i % 3]!.recordMs(ms);
  }
  const merged = LatencyHistogram.create();
  for (const s of shards) merged.merge(s);
  assert.deepEqual(merged.summary(), all.summary());
});

test("encode/decode round-trips exactly, and decoded shards merge like the originals", () => {
  const a = LatencyHistogram.create();
  const b = LatencyHistogram.create();
  for (let i = 1; i <= 500; i++) {
    a.recordMs(i / 10);
    b.recordMs(i * 3);
  }
  const decoded = LatencyHistogram.decode(a.encode());
  assert.deepEqual(decoded.summary(), a.summary());
  const direct = LatencyHistogram.create().merge(a).merge(b);
  const viaWire = LatencyHistogram.decode(a.encode()).merge(LatencyHistogram.decode(b.encode()));
  assert.deepEqual(viaWire.summary(), direct.summary());
  assert.throws(() => LatencyHistogram.decode("not a histogram"), /not an encoded latency histogram/);
});

test("a distribution's points are the percentiles at fixed ranks, in order, for the report's CDFs", () => {
  const h = LatencyHistogram.create();
  for (let ms = 1; ms <= 1000; ms++) h.recordMs(ms);
  const points = h.percentilePoints();
  assert.equal(points[0]![0], 0);
  assert.equal(points.at(-1)![0], 100);
  for (const [p, ms] of points) near(ms, Math.max(1, Math.ceil(p * 10)), `p${p}`);
  for (let i = 1; i < points.length; i++) assert.ok(points[i]![1] >= points[i - 1]![1] && points[i]![0] > points[i - 1]![0]);
  assert.deepEqual(LatencyHistogram.create().percentilePoints(), [], "nothing recorded, nothing to draw");
});
