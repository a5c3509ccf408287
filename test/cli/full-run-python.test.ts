/**
 * Truth on the implementation hosted deployments run: a whole `agentwire run --reference python` against
 * the Python Agent Server (PyPI langgraph-api) exits 0 — no open finding, every waived one covered by a
 * waiver of that server or of the Managed document's own gaps — with verdicts for both APIs and every
 * Agent Server stream mode judged.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AGENT_SERVER_MODES } from "../../streams/grammar/modes.ts";
import { runCli, tempDir } from "./harness.ts";

interface Summary {
  targets: { reference?: string };
  operations: { spec: string; verdict: string }[];
  findings: { check: string; operationId: string; message: string; reproducer: string; waived?: { waiver: string } }[];
  streams: { spec: string; streamMode: string; verdict: string }[];
}

test("a whole run against the Python reference exits 0 with every finding waived for that server", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const started = performance.now();
  const end = await runCli(["run", "--reference", "python", "--out", out.dir]);
  t.diagnostic(`whole run against the Python reference: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const s = JSON.parse(readFileSync(join(out.dir, "summary.json"), "utf8")) as Summary;
  const open = s.findings.filter((f) => !f.waived).map((f) => `${f.check} ${f.operationId}: ${f.message}\n  ${f.reproducer}`);
  assert.equal(end.code, 0, `${open.join("\n")}\n${end.stderr.slice(-3000)}`);
  assert.equal(s.targets.reference, "python");
  const count = (spec: string) => s.operations.filter((o) => o.spec === spec).length;
  assert.deepEqual([count("managed-deep-agents"), count("agent-server")], [28, 63]);
  const foreign = [...new Set(s.findings.map((f) => f.waived!.waiver))].filter((w) => !w.startsWith("py-") && !w.startsWith("mda-"));
  assert.deepEqual(foreign, [], "only the Python server's waivers and the Managed document's gaps apply");
  for (const mode of AGENT_SERVER_MODES) {
    assert.ok(s.streams.some((r) => r.spec === "agent-server" && r.streamMode === mode && r.verdict === "passed"), `stream mode ${mode} judged`);
  }
});
