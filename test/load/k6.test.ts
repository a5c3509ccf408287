import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { K6_BINARY } from "../../load/k6/build.ts";
import { runK6Segmented, segmentBounds } from "../../load/k6/segments.ts";
import { startSyntheticSource } from "../../reference/synthetic/source.ts";
import { startReference } from "../../reference/index.ts";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

for (const project of ["load/k6", "load/k6/tsconfig.node.json"]) {
  test(`tsc -p ${project} type-checks cleanly`, () => {
    const r = spawnSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
}

test("execution segments split the run into contiguous equal parts", () => {
  assert.deepEqual(segmentBounds(2), ["0:1/2", "1/2:1"]);
  assert.deepEqual(segmentBounds(3), ["0:1/3", "1/3:2/3", "2/3:1"]);
  assert.throws(() => segmentBounds(0), /positive integer/);
});

test("one k6 test split over two processes runs every iteration once, and the latencies merge", { skip: !existsSync(K6_BINARY) && "no k6 binary (node --import tsx load/k6/build.ts)" }, async (t) => {
  const source = await startSyntheticSource();
  t.after(() => source.stop());
  const script = fileURLToPath(new URL("../../load/k6/scripts/streams.ts", import.meta.url));
  const r = await runK6Segmented({ k6: K6_BINARY, script, segments: 2, env: { BASE_URL: source.url, VUS: "2", ITERATIONS: "9", TOKENS: "3", DELAY_MS: "1" } });
  assert.deepEqual(r.segmentArgs, ["0:1/2", "1/2:1"]);
  assert.deepEqual(r.runs, { ok: 9, failed: 0 });
  assert.ok(r.parts.every((p) => p.runs.ok > 0), "each process ran part of the iterations");
  assert.equal(r.parts[0]!.runs.ok + r.parts[1]!.runs.ok, 9);
  assert.equal(r.output_tokens, 27);
  assert.equal(r.latency_ms.ttft!.count, 9);
  assert.equal(r.latency_ms.itl!.count, 18);
});

test("k6 smoke against the embedded reference: streamed runs on the real Agent Server, timed like the driver", { skip: !existsSync(K6_BINARY) && "no k6 binary (node --import tsx load/k6/build.ts)" }, async (t) => {
  const ref = await startReference();
  t.after(() => ref.stop());
  const script = fileURLToPath(new URL("../../load/k6/scripts/streams.ts", import.meta.url));
  const r = await runK6Segmented({ k6: K6_BINARY, script, segments: 1, env: { BASE_URL: ref.agentServerUrl, API: "agent-server", ASSISTANT_ID: "agent", VUS: "2", ITERATIONS: "4", TOKENS: "5", DELAY_MS: "5" } });
  assert.deepEqual(r.runs, { ok: 4, failed: 0 });
  assert.equal(r.output_tokens, 20);
  assert.equal(r.latency_ms.ttft!.count, 4);
  t.diagnostic(`k6 on the reference: TTFT p50 ${r.latency_ms.ttft!.p50.toFixed(1)} ms over 4 runs`);
});
