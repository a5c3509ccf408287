import { test } from "node:test";
import assert from "node:assert/strict";
import { conformanceMatrix, findingCells, streamMatrix } from "../../results/matrix.ts";
import type { Summary } from "../../results/summary.ts";
import { summary } from "../support/summary.ts";

const op = (operationId: string, verdict: Summary["operations"][number]["verdict"] = "passed") => ({ spec: "agent-server" as const, operationId, method: "GET", path: `/${operationId}`, verdict, requests: 3 });
const unit = (operationId: string, family: string) => ({ spec: "agent-server" as const, unit: `agent-server › ${operationId} › ${family}`, family, operations: [operationId] });

test("a matrix cell passes only where its unit was judged; findings, not-judged and not-applicable units say so", () => {
  const s = summary({
    operations: [op("a", "failed"), op("b", "waived"), op("c", "not-judged"), op("d", "not-implemented")],
    units: [
      unit("a", "positive"), unit("a", "negative"), unit("b", "positive"), unit("d", "positive"),
      { spec: "agent-server", unit: "agent-server › flow › f", flow: "f", operations: ["a"] },
      unit("a", "methods"),
    ],
    findings: [
      { fingerprint: "fa", check: "status_code_documented", spec: "agent-server", operationId: "a", message: "m", unit: { family: "negative", round: 0 }, reproducer: "curl" },
      { fingerprint: "fb", check: "status_code_documented", spec: "agent-server", operationId: "b", message: "m", unit: { family: "positive", round: 0 }, reproducer: "curl", waived: { waiver: "w", reason: "r" } },
    ],
    notJudged: [
      { unit: "agent-server › c › positive", spec: "agent-server", operationId: "c", reason: "could not prepare it", cause: "target" },
      { unit: "agent-server › b › negative", spec: "agent-server", operationId: "b", reason: "the document allows any input", cause: "not-applicable" },
      // Not an operation's own unit (a flow): it adds no column.
      { unit: "agent-server › flow › g", spec: "agent-server", operationId: "c", reason: "unsafe", cause: "not-applicable" },
    ],
    streams: [],
  });
  const m = conformanceMatrix(s);
  assert.deepEqual(m.columns, ["positive", "negative", "methods", "flows"]);
  const row = (id: string) => m.rows.find((r) => r.op.operationId === id)!.cells.map((c) => c.verdict);
  assert.deepEqual(row("a"), ["passed", "failed", "passed", "passed"]);
  assert.deepEqual(row("b"), ["waived", "not-applicable", "none", "none"]);
  assert.deepEqual(row("c"), ["not-judged", "none", "none", "none"], "nothing judged is never a pass");
  assert.deepEqual(row("d"), ["not-implemented", "not-implemented", "not-implemented", "not-implemented"]);
  assert.deepEqual(m.flows.map((f) => [f.title, f.cell.verdict]), [["f", "passed"], ["g", "not-applicable"]]);
  // The failing cell's key is the one its finding carries: a link from the cell finds it.
  const failing = m.rows[0]!.cells[1]!;
  assert.deepEqual(findingCells(s.findings[0]!), [failing.key]);
  assert.equal(failing.open, 1);
});

test("a stream rule that could not judge a stream is not applicable only when its not-judged entry says so", () => {
  const s = summary({
    findings: [],
    streams: [
      { spec: "agent-server", operationId: "o", streamMode: "values", check: "ids_present", verdict: "skipped", reason: "not resumable" },
      { spec: "agent-server", operationId: "o", streamMode: "values", check: "delivered_incrementally", verdict: "skipped", reason: "pace unknown" },
      { spec: "agent-server", operationId: "o", streamMode: "values", check: "event_names", verdict: "passed" },
      { spec: "agent-server", operationId: "o", streamMode: "updates", check: "event_names", verdict: "failed" },
    ],
    notJudged: [{ unit: "agent-server › stream mode values › ids_present", spec: "agent-server", reason: "not resumable", cause: "not-applicable" }],
  });
  const m = streamMatrix(s);
  assert.deepEqual(m.checks, ["ids_present", "delivered_incrementally", "event_names"]);
  assert.deepEqual(m.rows.map((r) => [r.streamMode, r.cells.map((c) => c.verdict)]), [
    ["values", ["not-applicable", "not-judged", "passed"]],
    ["updates", ["none", "none", "failed"]],
  ]);
});

test("a unit judged to its end is recorded with the operations it sent requests to, and kept once when merged", async () => {
  const { Recorder, mergeResults } = await import("../../results/recorder.ts");
  const rec = new Recorder();
  rec.request({ spec: "agent-server", operationId: "create" }, 2);
  rec.request({ spec: "agent-server", operationId: "get" });
  rec.judged({ spec: "agent-server", unit: "agent-server › flow › f", flow: "f" });
  const r = rec.result();
  assert.deepEqual(r.units, [{ spec: "agent-server", unit: "agent-server › flow › f", flow: "f", operations: ["create", "get"] }]);
  assert.equal(new Recorder().result().units, undefined, "a unit that was not judged claims nothing");
  assert.equal(mergeResults([r, r]).units!.length, 1);
});
