/**
 * The newcomer's contract: a whole `agentwire run` (what `npm start` does) against the embedded reference
 * exits 0, and its summary holds every operation of both documents with a verdict, every stream rule's
 * verdict, the load metrics, and only waived findings.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "./harness.ts";

test("a whole run against the reference exits 0 with a complete summary", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const started = performance.now();
  const end = await runCli(["run", "--out", out.dir]);
  t.diagnostic(`whole run: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const s = JSON.parse(readFileSync(join(out.dir, "summary.json"), "utf8"));
  const open = s.findings.filter((f: { waived?: unknown }) => !f.waived).map((f: { check: string; operationId: string; streamMode?: string; message: string; reproducer: string }) => `${f.check} ${f.operationId} ${f.streamMode ?? ""}: ${f.message}\n  ${f.reproducer}`);
  assert.equal(end.code, 0, `${open.join("\n")}\n${end.stderr.slice(-3000)}`);
  assert.equal(s.verdict, "pass");
  // Every applicable unit was judged, and nothing the run made is left on the target.
  assert.deepEqual(s.notJudged.filter((n: { cause: string }) => n.cause !== "not-applicable"), []);
  assert.deepEqual(s.leftovers, []);
  // Speed is judged only when asked: the run says response_time is off rather than leaving it out.
  assert.match(s.notJudged.find((n: { unit: string }) => n.unit === "response_time")?.reason ?? "", /^off: /);
  const count = (spec: string) => s.operations.filter((o: { spec: string }) => o.spec === spec).length;
  assert.equal(count("managed-deep-agents"), 28);
  assert.equal(count("agent-server"), 63);
  // The emulator passes every Managed check; the only Managed findings are the document's own gaps, waived.
  const managed = s.operations.filter((o: { spec: string }) => o.spec === "managed-deep-agents");
  assert.deepEqual(managed.filter((o: { verdict: string }) => o.verdict !== "passed" && o.verdict !== "waived").map((o: { operationId: string }) => o.operationId), []);
  const managedWaivers = new Set(s.findings.filter((f: { spec: string }) => f.spec === "managed-deep-agents").map((f: { waived: { waiver: string } }) => f.waived.waiver));
  assert.deepEqual([...managedWaivers].filter((w) => !String(w).startsWith("mda-")), []);
  assert.ok(s.operations.every((o: { verdict: string; requests: number }) => o.verdict === "skipped" || o.requests > 0));
  assert.ok(s.findings.length > 0 && s.findings.every((f: { waived?: unknown }) => f.waived), "the real Agent Server's deviations are reported, each waived");
  assert.ok(s.findings.every((f: { reproducer: string }) => f.reproducer.startsWith("curl ")));
  assert.ok(s.streams.length > 100);
  assert.deepEqual(s.streams.filter((r: { verdict: string }) => r.verdict === "failed"), [], "no stream rule failed (the real server's deviations are waived)");
  assert.ok(s.streams.some((r: { verdict: string }) => r.verdict === "waived"));
  for (const m of ["ttft_ms", "itl_ms", "tpot_ms", "e2e_ms"]) assert.ok(s.load.metrics[m].count > 0, m);
  assert.ok(s.load.maxConcurrencyWithinSlo >= 1);
  assert.equal(s.load.multitask.strategies.length, 4);
  // What the report draws from: the units judged (the matrix's passes), distributions, the sweep, the bursts' timelines.
  assert.ok(s.units.some((u: { family?: string }) => u.family === "positive") && s.units.some((u: { flow?: string }) => u.flow), "judged units of families and flows");
  for (const m of ["ttft_ms", "itl_ms", "tpot_ms", "e2e_ms"]) assert.equal(s.load.distributions[m].length, 21, m);
  assert.ok(s.load.sweep.every((p: { output_tokens_per_s?: number; ttft_samples?: number }) => typeof p.output_tokens_per_s === "number" && typeof p.ttft_samples === "number"));
  assert.ok(s.load.multitask.strategies.every((st: { timeline?: unknown[][] }) => st.timeline?.length));
  for (const f of ["index.html", "junit.xml", "playwright/index.html"]) assert.ok(readFileSync(join(out.dir, f)).length > 0, f);
});
