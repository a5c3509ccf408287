/**
 * Every contract check fails on the reference fault that breaks its rule and passes on the healthy
 * reference: each case runs one unit (a family of one operation, or a flow) against both.
 */
import { after, describe, test } from "node:test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { EXCHANGE_CHECKS } from "../../contract/checks/index.ts";
import { METHOD_CHECKS } from "../../contract/checks/methods.ts";
import type { Finding } from "../../results/finding.ts";
import { BUNDLED_SPECS } from "../../contract/model/load.ts";
import type { Reference } from "../../reference/index.ts";
import { sharedReference } from "../support/reference.ts";
import { CONTRACT_CASES } from "../support/fault-cases.ts";
import { findFault } from "../../reference/faults/catalog.ts";
import { openOf, runContractUnit, type ContractUnit } from "../support/units.ts";

const run = promisify(execFile);
const M = "managed-deep-agents" as const;
const A = "agent-server" as const;

// A copy of the Agent Server document in which creating a run must answer Content-Location: the suite's
// own documents mark no header required, so this check is shown to fail on a document that does.
const dir = mkdtempSync(join(tmpdir(), "agentwire-spec-"));
const strictSpec = join(dir, "agent-server.strict.yaml");
{
  const doc = parse(readFileSync(BUNDLED_SPECS[A], "utf8"));
  doc.paths["/threads/{thread_id}/runs"].post.responses["200"].headers["Content-Location"].required = true;
  writeFileSync(strictSpec, stringify(doc));
}



describe("contract checks against reference faults", () => {
  const refs = sharedReference();
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("every per-exchange check is covered by a case here", () => {
    const covered = new Set(CONTRACT_CASES.map((c) => c.check));
    for (const c of [...EXCHANGE_CHECKS, ...METHOD_CHECKS]) assert.ok(covered.has(c.checkName), `${c.checkName} has no fault case`);
  });

  for (const c of CONTRACT_CASES) {
    const where = "walks" in c.unit ? "random walks" : "flow" in c.unit ? `flow "${c.unit.flow}"` : "methods" in c.unit ? `methods of ${c.unit.methods}` : `${c.unit.operationId} ${c.unit.family}`;
    // A fault that breaks only a stricter document is judged against that copy, and the shipped one, which
    // allows what it does, must raise nothing with it.
    const strict = "strict" in c.unit;
    const unit: ContractUnit = strict ? { ...c.unit, files: { [A]: strictSpec } } : c.unit;
    test(`${c.check} fails on ${c.fault} and passes on the healthy reference (${where})`, async () => {
      assert.equal(strict, findFault(c.fault)?.stricterDocument !== undefined, "a stricter copy exactly for the faults the catalogue says need one");
      await refs.withFault(c.fault, async (faulty) => {
        const [good, bad, shipped] = await Promise.all([runContractUnit(refs.healthy, unit), runContractUnit(faulty, unit), strict ? runContractUnit(faulty, c.unit) : undefined]);
        assert.deepEqual(openOf(good, c.check).map((f) => f.message), [], "healthy reference");
        const found = openOf(bad, c.check);
        if (shipped) assert.deepEqual(openOf(shipped, c.check).map((f) => f.message), [], "the shipped document allows it");
        assert.ok(found.length > 0, `no ${c.check} finding with ${c.fault}; findings: ${JSON.stringify(bad.findings.map((f) => `${f.check}: ${f.message}`))}`);
        for (const f of found) {
          assert.match(f.reproducer, /^curl /, "every finding carries a curl reproducer");
          assert.doesNotMatch(f.reproducer, new RegExp(faulty.apiKey), "the key never appears in a reproducer");
          if (f.sequence === undefined) continue;
          // A walk's finding carries the walk as a script, which shows the same answer when run.
          assert.doesNotMatch(f.sequence, new RegExp(faulty.apiKey));
          // Asynchronously: the reference answers from this very process.
          const { stdout: out } = await run("sh", ["-c", f.sequence], { env: { ...process.env, LANGSMITH_API_KEY: faulty.apiKey }, encoding: "utf8" });
          assert.match(out, new RegExp(`^HTTP/1.1 ${f.exchange?.status} `, "m"), out);
        }
      });
    });
  }

  test("content_location_resolves judges every documented Content-Location of a run made on a thread: created, streamed, waited for", async () => {
    const unit = { spec: A, flow: "assistant, thread and run lifecycle" } as const;
    await refs.withFault("wrong-content-location", async (faulty) => {
      const bad = await runContractUnit(faulty, unit);
      const ops = [...new Set(openOf(bad, "content_location_resolves").map((f) => f.operationId))].sort();
      assert.deepEqual(ops, ["create_run_threads__thread_id__runs_post", "stream_run_threads__thread_id__runs_stream_post", "wait_run_threads__thread_id__runs_wait_post"]);
    });
  });

  test("the document's request examples are sent as valid input, and a refused one is reported as example:NAME", async () => {
    const unit = { spec: M, operationId: "createManagedDeepAgent", family: "positive" } as const;
    await refs.withFault("rejects-valid-input", async (faulty) => {
      const [good, bad] = await Promise.all([runContractUnit(refs.healthy, unit), runContractUnit(faulty, unit)]);
      const example = (f: Finding) => (f.replay && "example" in f.replay ? f.replay.example : undefined);
      assert.deepEqual(good.findings.filter((f) => example(f) !== undefined), [], "the healthy reference accepts the examples");
      const refused = bad.findings.filter((f) => example(f) === "basic");
      assert.equal(refused.length, 1, JSON.stringify(bad.findings.map((f) => `${example(f)} ${f.check}: ${f.message}`)));
      assert.equal(refused[0]!.check, "positive_data_accepted");
      assert.match(refused[0]!.reproducer, /research-assistant/);
    });
  });
});
