import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSyntheticSource, type SyntheticSource } from "../../reference/synthetic/source.ts";
import { poissonArrivals } from "../../load/driver/arrivals.ts";
import { ApiClient } from "../../core/client.ts";
import { paceConfig, type ModelPace } from "../../core/target.ts";
import { SCRIPTED_MODEL_KNOBS } from "../../reference/knobs.ts";
import { runLoad, type DriverResult } from "../../load/driver/driver.ts";
import { assertAllowedTarget } from "../../load/driver/safety.ts";
import { agentServerScenario, managedScenario } from "../../load/driver/scenario.ts";
import { shares, splitOptions } from "../../load/driver/split.ts";

let source: SyntheticSource;
before(async () => {
  source = await startSyntheticSource();
});
after(() => source.stop());

const pace = (p: ModelPace) => paceConfig(SCRIPTED_MODEL_KNOBS, p);
const agent = (model: ModelPace = { tokens: 3, delayMs: 1 }) => agentServerScenario({ client: new ApiClient({ baseUrl: source.url }), assistantId: "agent", runConfig: pace(model) });

/** Every started run is counted exactly once: as ok or under exactly one error kind. */
function assertCountedOnce(r: DriverResult) {
  const errors = Object.values(r.summary.errors).reduce((a, b) => a + b, 0);
  assert.equal(r.summary.runs.finished, r.started);
  assert.equal(r.summary.runs.ok + errors, r.started);
  assert.equal(r.offered, r.started + r.dropped);
}

test("closed loop: stops at the request cap and counts every run once, with every token", async () => {
  const r = await runLoad({ scenario: agent(), shape: { kind: "closed", concurrency: 3 }, durationMs: 60_000, maxRequests: 7 });
  assertCountedOnce(r);
  assert.equal(r.stoppedBy, "max-requests");
  assert.deepEqual([r.started, r.summary.runs.ok], [7, 7]);
  assert.ok(r.peakInFlight <= 3);
  assert.equal(r.summary.output_tokens, 21);
  assert.equal(r.summary.latency_ms.ttft.count, 7);
  assert.equal(r.summary.latency_ms.itl.count, 14);
  assert.equal(r.summary.latency_ms.tpot.count, 7);
});

test("closed loop: the duration cap ends a load whose request cap is far away", async () => {
  const r = await runLoad({ scenario: agent(), shape: { kind: "closed", concurrency: 2 }, durationMs: 200, maxRequests: 1_000_000 });
  assertCountedOnce(r);
  assert.equal(r.stoppedBy, "duration");
  assert.ok(r.started < 1_000_000);
});

test("open loop: runs the seeded Poisson schedule until the duration cap, each arrival counted once", async () => {
  const shape = { kind: "open" as const, ratePerSec: 40, seed: 7 };
  const r = await runLoad({ scenario: agent(), shape, durationMs: 500, maxRequests: 10_000, threads: { pool: 4 } });
  assertCountedOnce(r);
  assert.equal(r.stoppedBy, "duration");
  assert.equal(r.offered, [...poissonArrivals(40, 500, 0, 7)].length);
  // Every started run has its intended vs actual start recorded.
  assert.equal(r.summary.latency_ms.start_lag.count, r.started);
});

test("open loop: the request cap bounds the arrivals too", async () => {
  const r = await runLoad({ scenario: agent(), shape: { kind: "open", ratePerSec: 500 }, durationMs: 60_000, maxRequests: 5 });
  assertCountedOnce(r);
  assert.deepEqual([r.stoppedBy, r.started], ["max-requests", 5]);
});

test("runs still streaming at duration + grace are aborted and counted as cut-at-cap", async () => {
  const slow = agent({ tokens: 1000, delayMs: 50 });
  const r = await runLoad({ scenario: slow, shape: { kind: "closed", concurrency: 2 }, durationMs: 50, graceMs: 100, maxRequests: 2 });
  assertCountedOnce(r);
  assert.deepEqual(r.summary.errors, { "cut-at-cap": 2 });
});

test("error answers count by status, and the Managed scenario works through its own paths", async () => {
  const bad = agent({ tokens: 10_000_000, delayMs: 1 }); // the source refuses more than 100000 events with 400
  const r = await runLoad({ scenario: bad, shape: { kind: "closed", concurrency: 1 }, durationMs: 60_000, maxRequests: 2 });
  assertCountedOnce(r);
  assert.deepEqual(r.summary.errors, { http_400: 2 });
  const managed = managedScenario({ client: new ApiClient({ baseUrl: `${source.url}/v1/deepagents`, auth: { header: "x-api-key", value: "k" } }), agentId: "a", runConfig: pace({ tokens: 2, delayMs: 1 }) });
  const m = await runLoad({ scenario: managed, shape: { kind: "closed", concurrency: 2 }, durationMs: 60_000, maxRequests: 3 });
  assert.deepEqual([m.summary.runs.ok, m.summary.output_tokens], [3, 6]);
});

test("load is refused for hosts other than loopback unless allow-listed, and the caps are mandatory", async () => {
  const remote = agentServerScenario({ client: new ApiClient({ baseUrl: "http://192.0.2.10:8123" }), assistantId: "agent" });
  await assert.rejects(runLoad({ scenario: remote, shape: { kind: "closed", concurrency: 1 }, durationMs: 1000, maxRequests: 1 }), /refusing to send load to 192\.0\.2\.10/);
  assert.equal(assertAllowedTarget("http://staging.example:80/x", ["staging.example"]).hostname, "staging.example");
  assert.equal(assertAllowedTarget("http://[::1]:9/").hostname, "[::1]");
  const caps = { scenario: agent(), shape: { kind: "closed" as const, concurrency: 1 } };
  await assert.rejects(runLoad({ ...caps, maxRequests: 1 } as never), /durationMs is mandatory/);
  await assert.rejects(runLoad({ ...caps, durationMs: 1000 } as never), /maxRequests must be a positive integer/);
});

test("split across two worker threads: the same runs, tokens and samples as in one, every thread reported", async () => {
  const threads: string[] = [];
  const r = await runLoad({ scenario: agent(), shape: { kind: "closed", concurrency: 3 }, durationMs: 60_000, maxRequests: 7, workers: 2, onThread: (id) => threads.push(id) });
  assertCountedOnce(r);
  assert.equal(r.workers, 2);
  assert.ok(r.busy.length === 2 && r.busy.every((b) => b >= 0 && b <= 1), `busy ${r.busy}`);
  assert.deepEqual([r.stoppedBy, r.started, r.summary.runs.ok, r.summary.output_tokens], ["max-requests", 7, 7, 21]);
  assert.deepEqual([r.summary.latency_ms.ttft.count, r.summary.latency_ms.itl.count, r.summary.latency_ms.tpot.count], [7, 14, 7]);
  assert.equal(new Set(threads).size, 7, "one thread per run, each reported once");
  // The workers wait, warm, for the next load.
  const again = await runLoad({ scenario: agent(), shape: { kind: "closed", concurrency: 2 }, durationMs: 60_000, maxRequests: 4, workers: 2 });
  assert.deepEqual([again.workers, again.summary.runs.ok, again.summary.output_tokens], [2, 4, 12]);
});

test("stop ends a load within it: told the figures as runs finish, no run starts once it fires; in one thread and split", async () => {
  for (const workers of [1, 2]) {
    const stop = new AbortController();
    const seen: number[] = [];
    // Far from its caps: only the stop can end it soon. Runs of ~100 ms, so a stop message to a worker arrives within the run.
    const r = await runLoad({
      scenario: agent({ tokens: 5, delayMs: 20 }), shape: { kind: "closed", concurrency: 2 }, durationMs: 60_000, maxRequests: 100_000, workers, stop: stop.signal, progressMs: 0,
      onProgress: (sofar) => {
        seen.push(sofar.finished);
        if (sofar.finished >= 5) stop.abort();
      },
    });
    assertCountedOnce(r);
    assert.equal(r.stoppedBy, "stopped", `workers ${workers}`);
    assert.ok(seen.length > 0 && seen.every((n, i) => i === 0 || n >= seen[i - 1]!), `progress ${seen}`);
    // In one thread the runs open when it fired finish and none starts after (one per user at most). Split,
    // the stop reaches a worker by message, a run or so later on a busy machine: still far from any cap.
    assert.ok(r.started >= 5 && r.started <= (workers === 1 ? 5 + 2 : 20), `workers ${workers}: started ${r.started}`);
  }
});

test("how a load is split: shares add up, arrival rates add up with distinct seeds, never more workers than work", () => {
  assert.deepEqual(shares(7, 3), [3, 2, 2]);
  const base = { scenario: agent(), durationMs: 1000, maxRequests: 100 };
  const closed = splitOptions({ ...base, shape: { kind: "closed", concurrency: 5 }, threads: { pool: 5 } }, 2);
  assert.deepEqual(closed.map((o) => [o.shape, o.maxRequests, o.threads]), [[{ kind: "closed", concurrency: 3 }, 50, { pool: 3 }], [{ kind: "closed", concurrency: 2 }, 50, { pool: 2 }]]);
  const open = splitOptions({ ...base, shape: { kind: "open", ratePerSec: 30, seed: 5 } }, 3);
  const rates = open.map((o) => (o.shape.kind === "open" ? [o.shape.ratePerSec, o.shape.seed] : []));
  assert.deepEqual(rates.map(([r]) => r), [10, 10, 10]);
  assert.equal(new Set(rates.map(([, seed]) => seed)).size, 3);
  assert.equal(splitOptions({ ...base, shape: { kind: "closed", concurrency: 1 } }, 4).length, 1);
});

test("a split needs a scenario it can rebuild, and an observer sees one thread only", async () => {
  const { spec: _, ...handMade } = agent();
  await assert.rejects(runLoad({ scenario: handMade, shape: { kind: "closed", concurrency: 2 }, durationMs: 1000, maxRequests: 2, workers: 2 }), /cannot be split across worker threads/);
  await assert.rejects(runLoad({ scenario: agent(), shape: { kind: "closed", concurrency: 2 }, durationMs: 1000, maxRequests: 2, workers: 2, observe: () => undefined }), /use workers: 1/);
  await assert.rejects(runLoad({ scenario: agent(), shape: { kind: "closed", concurrency: 2 }, durationMs: 1000, maxRequests: 2, workers: 0 }), /workers must be a positive integer/);
});
