import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeSummaries, MergeError } from "../../results/merge.ts";
import type { OperationResult } from "../../results/summary.ts";
import { summary } from "../support/summary.ts";

const op = (operationId: string, verdict: OperationResult["verdict"], requests: number): OperationResult => ({ spec: "agent-server", operationId, method: "GET", path: `/${operationId}`, verdict, requests });

test("shards merge into one run: each operation takes the verdict of the shard that ran it, requests add up", () => {
  const a = summary({ operations: [op("a", "passed", 5), op("b", "skipped", 0)], findings: [], streams: [], gates: [], startedAt: "2026-11-22T00:00:00.000Z", durationMs: 1000 });
  const b = summary({
    operations: [op("a", "skipped", 0), op("b", "failed", 7)],
    findings: [{ fingerprint: "f1", check: "response_schema", spec: "agent-server", operationId: "b", message: "m", reproducer: "curl" }],
    streams: [{ spec: "agent-server", operationId: "s", streamMode: "values", check: "event_names", verdict: "failed" }],
    load: null,
    gates: [],
    startedAt: "2026-11-22T00:00:00.500Z",
    durationMs: 2000,
  });
  const m = mergeSummaries([a, b]);
  assert.deepEqual(m.operations.map((o) => [o.operationId, o.verdict, o.requests]), [["a", "passed", 5], ["b", "failed", 7]]);
  assert.equal(m.findings.length, 1);
  assert.equal(m.streams[0]!.verdict, "failed");
  assert.equal(m.verdict, "fail");
  assert.equal(m.durationMs, 2500);
  assert.ok(m.load, "the load result of the shard that ran it is kept");
  assert.equal(mergeSummaries([a, { ...b, findings: [], streams: [] , operations: [op("a", "skipped", 0), op("b", "passed", 7)] }]).verdict, "pass");
});

test("every shard's gate is kept and named by its shard", () => {
  const g = (passed: boolean) => summary({ findings: [], gates: [{ name: "load_ttft_slo", passed, detail: "" }] });
  const m = mergeSummaries([g(true), g(false)]);
  assert.deepEqual(m.gates.map((x) => [x.name, x.passed]), [["load_ttft_slo (shard 1)", true], ["load_ttft_slo (shard 2)", false]]);
  assert.equal(m.verdict, "fail");
});

test("summaries of different runs are refused", () => {
  assert.throws(() => mergeSummaries([summary(), summary({ seed: 2 })]), MergeError);
  assert.throws(() => mergeSummaries([summary(), summary({ operations: [op("other", "passed", 1)] })]), /other operations/);
  assert.throws(() => mergeSummaries([]), MergeError);
});
