/**
 * Every contract check fails on the reference fault that breaks its rule and passes on the healthy
 * reference: each case runs one unit (a family of one operation, or a flow) against both.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { EXCHANGE_CHECKS } from "../../contract/checks/index.ts";
import { BUNDLED_SPECS } from "../../contract/model/load.ts";
import type { Reference } from "../../reference/index.ts";
import { sharedReference } from "../support/reference.ts";
import { openOf, runContractUnit, type ContractUnit } from "../support/units.ts";

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

const CASES: { check: string; fault: string; unit: ContractUnit }[] = [
  { check: "not_a_server_error", fault: "server-error", unit: { spec: M, operationId: "listManagedDeepAgents", family: "positive" } },
  { check: "status_code_documented", fault: "undocumented-status", unit: { spec: M, operationId: "createManagedDeepAgent", family: "positive" } },
  { check: "content_type_documented", fault: "wrong-content-type", unit: { spec: M, operationId: "getManagedDeepAgent", family: "positive" } },
  { check: "response_schema", fault: "wrong-field-type", unit: { spec: M, operationId: "createManagedDeepAgent", family: "positive" } },
  { check: "response_schema", fault: "error-body-shape", unit: { spec: M, operationId: "getManagedDeepAgent", family: "unknown-ids" } },
  { check: "response_schema", fault: "missing-required-field", unit: { spec: A, operationId: "get_run_http_threads__thread_id__runs__run_id__get", family: "positive" } },
  { check: "response_schema", fault: "run-status-out-of-enum", unit: { spec: A, operationId: "get_run_http_threads__thread_id__runs__run_id__get", family: "positive" } },
  { check: "response_headers_documented", fault: "missing-content-location", unit: { spec: A, operationId: "create_run_threads__thread_id__runs_post", family: "positive", files: { [A]: strictSpec } } },
  { check: "positive_data_accepted", fault: "rejects-valid-input", unit: { spec: M, operationId: "createManagedDeepAgent", family: "positive" } },
  { check: "negative_data_rejected", fault: "accepts-invalid-input", unit: { spec: M, operationId: "createManagedDeepAgent", family: "negative" } },
  { check: "auth_enforced", fault: "auth-not-enforced", unit: { spec: M, operationId: "getManagedDeepAgent", family: "auth" } },
  { check: "auth_enforced", fault: "wrong-auth-error", unit: { spec: M, operationId: "getManagedDeepAgent", family: "auth" } },
  { check: "unknown_id_not_found", fault: "unknown-id-500", unit: { spec: M, operationId: "getManagedDeepAgent", family: "unknown-ids" } },
  { check: "operation_implemented", fault: "missing-route", unit: { spec: M, operationId: "bulkUpdateManagedDeepAgentThreads", family: "positive" } },
  { check: "use_after_delete", fault: "resurrect-after-delete", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "resource_available_after_create", fault: "read-after-create-404", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "listed_after_create", fault: "list-omits-new", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "update_persisted", fault: "update-not-persisted", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "secret_headers_not_echoed", fault: "echo-secrets", unit: { spec: M, flow: "MCP server secrets and tools" } },
  { check: "mcp_tools_listed", fault: "mcp-tools-empty", unit: { spec: M, flow: "MCP server secrets and tools" } },
  { check: "auth_session_completes", fault: "auth-session-stuck", unit: { spec: M, flow: "auth session from PENDING to COMPLETED" } },
  { check: "auth_session_reuse", fault: "reuse-ignored", unit: { spec: M, flow: "auth session from PENDING to COMPLETED" } },
  { check: "content_location_resolves", fault: "wrong-content-location", unit: { spec: A, flow: "assistant, thread and run lifecycle" } },
];

describe("contract checks against reference faults", () => {
  const refs = sharedReference();
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("every per-exchange check is covered by a case here", () => {
    const covered = new Set(CASES.map((c) => c.check));
    for (const c of EXCHANGE_CHECKS) assert.ok(covered.has(c.checkName), `${c.checkName} has no fault case`);
  });

  for (const c of CASES) {
    const where = "flow" in c.unit ? `flow "${c.unit.flow}"` : `${c.unit.operationId} ${c.unit.family}`;
    test(`${c.check} fails on ${c.fault} and passes on the healthy reference (${where})`, async () => {
      await refs.withFault(c.fault, async (faulty) => {
        const [good, bad] = await Promise.all([runContractUnit(refs.healthy, c.unit), runContractUnit(faulty, c.unit)]);
        assert.deepEqual(openOf(good, c.check).map((f) => f.message), [], "healthy reference");
        const found = openOf(bad, c.check);
        assert.ok(found.length > 0, `no ${c.check} finding with ${c.fault}; findings: ${JSON.stringify(bad.findings.map((f) => `${f.check}: ${f.message}`))}`);
        for (const f of found) {
          assert.match(f.reproducer, /^curl /, "every finding carries a curl reproducer");
          assert.doesNotMatch(f.reproducer, new RegExp(faulty.apiKey), "the key never appears in a reproducer");
        }
      });
    });
  }

  test("the document's request examples are sent as valid input, and a refused one is reported as example:NAME", async () => {
    const unit = { spec: M, operationId: "createManagedDeepAgent", family: "positive" } as const;
    await refs.withFault("rejects-valid-input", async (faulty) => {
      const [good, bad] = await Promise.all([runContractUnit(refs.healthy, unit), runContractUnit(faulty, unit)]);
      assert.deepEqual(good.findings.filter((f) => f.seed?.startsWith("example:")), [], "the healthy reference accepts the examples");
      const refused = bad.findings.filter((f) => f.seed === "example:basic");
      assert.equal(refused.length, 1, JSON.stringify(bad.findings.map((f) => `${f.seed} ${f.check}: ${f.message}`)));
      assert.equal(refused[0]!.check, "positive_data_accepted");
      assert.match(refused[0]!.reproducer, /research-assistant/);
    });
  });
});
