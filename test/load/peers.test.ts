/**
 * The peer benchmark's reading of both tools' reports and its detection rule, on small fixtures (no tool
 * runs here: the benchmark itself runs them, in `npm run bench -- --only peers`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { agentwireFindings, causedByFault, harEntries, schemathesisFindings, schemathesisInternalErrors, type PeerFinding } from "../../load/bench/peers/findings.ts";
import { schemathesisArgs } from "../../load/bench/peers/schemathesis.ts";
import { faultScope, readDocument, resolveOperation, type FaultScope } from "../../load/bench/peers/scope.ts";
import { earlierSpeed } from "../../load/bench/peers/table.ts";
import { findFault } from "../../reference/faults/catalog.ts";
import { replaceSection, sectionOf } from "../../scripts/readme.ts";

const BASE = "http://127.0.0.1:4010/v1/deepagents";

// Trimmed from a real Schemathesis 4.32.5 JUnit report: a failed check on an operation, a test case that
// passed, a stateful failure (named by its reproducer), a network error and one of its own internal errors.
const JUNIT = `<?xml version="1.0" encoding="utf-8"?>
<testsuites errors="2" failures="4" skipped="0" tests="5" time="12.5">
  <testsuite name="schemathesis" hostname="vm" errors="2" failures="4" skipped="0" tests="5" time="12.5">
    <testcase name="POST /agents" time="1.85">
      <failure type="failure" message="ST103">1. Test Case ID: 0comCP

- ST103 Undocumented status code

    Received: 401
    Documented: 201, 400, 403, 409, 422, 500, 502, 503

Reproduce with:

    curl -X POST -H 'Content-Type: application/json' -d '{"name": "a &amp; b"}' '${BASE}/agents?include_files=true'</failure>
      <failure type="failure" message="ST202">1. Test Case ID: eYXeRv

- ST202 Schema-valid request rejected

    Valid data should have been accepted

Reproduce with:

    curl -X POST -H 'X-Api-Key: [Filtered]' -d '{}' '${BASE}/agents'</failure>
    </testcase>
    <testcase name="GET /agents" time="0.2" />
    <testcase name="DELETE /store/items" time="0.1">
      <failure type="failure" message="ST101, ST103">1. Test Case ID: 4OwkMg

- ST101 Server error

- ST103 Undocumented status code

    Received: 500
    Documented: 204, 422

[500] Internal Server Error:

    \`Internal Server Error\`

Reproduce with:

    curl -X DELETE -H 'X-Api-Key: [Filtered]' '${BASE}/store/items'</failure>
    </testcase>
    <testcase name="Stateful tests" time="2.4">
      <failure type="failure" message="ST108">1. Test Case ID: X5DfUz

- ST108 SSE event violates schema

    Event #0: {"data":"{}"} is not of type "string"

Reproduce with:

    curl -X POST -H 'X-Api-Key: [Filtered]' -d '{}' ${BASE}/threads/01a237c5-f1f5-70b8-a100-0d6b505d42b3/runs/stream</failure>
    </testcase>
    <testcase name="GET /auth-sessions/{session_id}" time="9.1">
      <error type="error">Network Error

Read timed out after 30.0 seconds

Reproduce with:

    curl -X GET '${BASE}/auth-sessions/fa946b20-404a-4142-b5e4-60d012c0ff79?wait_seconds=24'</error>
      <error type="error">Runtime Error

AST constructor recursion depth mismatch (before=66, after=62)</error>
    </testcase>
  </testsuite>
</testsuites>`;

const MANAGED = readDocument("specs/managed-deep-agents.openapi.yaml");
const AGENT_SERVER = readDocument("specs/agent-server.openapi.yaml");
const scopeOf = (name: string, doc = MANAGED) => faultScope(findFault(name)!, doc);
const names = (s: FaultScope) => (s.by === "operation" ? s.names : s.by);

test("Schemathesis' JUnit report: one finding per failed check and operation, stateful ones by their request's path", () => {
  const fs = schemathesisFindings(JUNIT, BASE, MANAGED.operations);
  assert.deepEqual(
    fs.map((f) => [f.key, f.check, f.message]),
    [
      ["ST103 POST /agents", "ST103 Undocumented status code", "Undocumented status code: Received: 401"],
      ["ST202 POST /agents", "ST202 Schema-valid request rejected", "Schema-valid request rejected: Valid data should have been accepted"],
      ["ST101 DELETE /store/items", "ST101 Server error", "Server error: [500] Internal Server Error"],
      ["ST103 DELETE /store/items", "ST103 Undocumented status code", "Undocumented status code: Received: 500"],
      ["ST108 POST /threads/{id}/runs/stream", "ST108 SSE event violates schema", 'SSE event violates schema: Event #0: {"data":"{}"} is not of type "string"'],
      ["error Network Error GET /auth-sessions/{session_id}", "error", "Network Error: Read timed out after 30.0 seconds"],
    ],
  );
  assert.equal(schemathesisInternalErrors(JUNIT), 1);
  const id = (method: string, path: string) => MANAGED.operations.find((o) => o.method === method && o.path === path)!.operationId;
  assert.deepEqual(
    fs.map((f) => f.operations),
    [[id("POST", "/agents")], [id("POST", "/agents")], [], [], [id("POST", "/threads/{thread_id}/runs/stream")], [id("GET", "/auth-sessions/{session_id}")]],
    "each on the document's operation, a path the document lacks on none",
  );
});

test("the operations a fault changes come from its own request match, asked about every operation of the document", () => {
  assert.equal(MANAGED.basePath, "/v1/deepagents");
  assert.deepEqual(names(scopeOf("server-error")), ["GET /agents"]);
  assert.deepEqual(names(scopeOf("wrong-field-type")), ["POST /agents", "GET /agents/{agent_id}", "PATCH /agents/{agent_id}", "POST /agents/{agent_id}/clone"]);
  assert.deepEqual(names(scopeOf("slow-reads")), ["GET /threads/{thread_id}"], "a uuid stands in for an id, so (?!count$) holds");
  assert.deepEqual(names(scopeOf("missing-required-field", AGENT_SERVER)), ["GET /threads/{thread_id}/runs/{run_id}"], "not the POST neighbours whose path an id pattern also takes");
  assert.deepEqual(names(scopeOf("stream-content-type", AGENT_SERVER)), ["POST /threads/{thread_id}/runs/stream", "GET /threads/{thread_id}/runs/{run_id}/stream", "POST /runs/stream"]);
  // An undeclared method: the operations of its path, where tools report what it got.
  assert.deepEqual(names(scopeOf("undocumented-method-served")), ["GET /agents", "POST /agents"]);
  // No narrower rule: it lives in the emulator, or its match needs a header (Last-Event-ID) or a path outside the document.
  assert.deepEqual(scopeOf("accepts-invalid-input"), { by: "any", why: "emulator" });
  assert.deepEqual(scopeOf("drop-event-on-resume", AGENT_SERVER), { by: "any", why: "match" });
  assert.deepEqual(scopeOf("auth-session-stuck"), { by: "any", why: "match" });
});

test("a request's METHOD /path names the operation whose template it fits with the most literal segments", () => {
  const ops = AGENT_SERVER.operations;
  const pathOf = (id: string | undefined) => ops.find((o) => o.operationId === id)?.path;
  assert.equal(pathOf(resolveOperation(ops, "POST /threads/count")), "/threads/count");
  assert.equal(pathOf(resolveOperation(ops, "GET /threads/{id}/runs/{id}")), "/threads/{thread_id}/runs/{run_id}");
  assert.equal(pathOf(resolveOperation(ops, "GET /threads/{thread_id}/runs/{run_id}")), "/threads/{thread_id}/runs/{run_id}");
  assert.equal(resolveOperation(ops, "GET /nowhere"), undefined);
  assert.equal(resolveOperation(ops, ""), undefined);
});

test("a fault is credited with findings no healthy run had on the operations it changes; new ones elsewhere are kept apart", () => {
  const f = (key: string, operations = [key.split(" ").slice(1).join(" ")]): PeerFinding => ({ key, check: key.split(" ")[0]!, operation: key.split(" ").slice(1).join(" "), operations, message: key });
  const getAgents: FaultScope = { by: "operation", operations: ["GET /agents"], names: ["GET /agents"] };
  const keys = (fs: PeerFinding[]) => fs.map((x) => x.key);
  const healthy = [[f("ST202 POST /agents")], [f("ST103 GET /agents")]];
  assert.deepEqual(causedByFault(healthy, [f("ST202 POST /agents"), f("ST103 GET /agents")], getAgents), { credited: [], elsewhere: [] });
  const run = [f("ST202 POST /agents"), f("ST101 GET /agents"), f("ST101 GET /agents"), f("ST202 POST /threads"), f("flow x", ["POST /agents", "GET /agents"]), f("unusable", [])];
  const caused = causedByFault(healthy, run, getAgents);
  assert.deepEqual(keys(caused.credited), ["ST101 GET /agents", "flow x"], "a finding of several operations counts when one is changed");
  assert.deepEqual(keys(caused.elsewhere), ["ST202 POST /threads", "unusable"]);
  assert.deepEqual(keys(causedByFault(healthy, run, { by: "any", why: "emulator" }).credited), ["ST101 GET /agents", "ST202 POST /threads", "flow x", "unusable"]);
});

test("agentwire's findings as a user reads them: open ones by fingerprint, waived ones left out, an unusable target counted", () => {
  const finding = (fingerprint: string, waived: boolean, operationId = "listAgents") => ({ fingerprint, check: "not_a_server_error", spec: "managed-deep-agents", operationId, message: "answered 500\nmore", unit: { flow: "agent lifecycle" }, ...(waived ? { waived: { waiver: "w", reason: "r" } } : {}) });
  const units = [{ spec: "managed-deep-agents", unit: "u", flow: "agent lifecycle", operations: ["createAgent", "getAgent"] }];
  const summary = { findings: [finding("a1", false), finding("b2", true), finding("c3", false, "")], units, unusable: "target unusable: reset" } as unknown as Parameters<typeof agentwireFindings>[0];
  assert.deepEqual(agentwireFindings(summary), [
    { key: "a1", check: "not_a_server_error", operation: "listAgents", operations: ["listAgents"], message: "answered 500" },
    { key: "c3", check: "not_a_server_error", operation: "", operations: ["createAgent", "getAgent"], message: "answered 500" },
    { key: "unusable", check: "target_usable", operation: "", operations: [], message: "target unusable: reset" },
  ]);
});

test("requests are the HAR file's entries; the command line bounds the run and keeps the key to a header", () => {
  const har = JSON.stringify({ log: { entries: [1, 2, 3].map((i) => ({ request: { method: "GET" }, timings: { wait: i } })) } });
  assert.equal(harEntries(har), 3);
  assert.equal(harEntries(har.slice(0, har.lastIndexOf('"timings"') - 3)), 2, "a file cut short by a kill: its complete entries");
  const args = schemathesisArgs({ document: "specs/x.yaml", baseUrl: BASE, apiKey: "k", maxExamples: 5, workers: 4, seed: 1, capMs: 1000, exclude: ["streamRun"], dir: "/tmp/x" });
  assert.deepEqual(args.slice(args.indexOf("--phases"), args.indexOf("--phases") + 6), ["--phases", "examples,coverage,fuzzing,stateful", "--checks", "all", "--max-examples", "5"]);
  assert.ok(args.includes("X-Api-Key: k") && args.includes("--request-timeout") && args.includes("--exclude-operation-id"));
});

test("a generated README section is replaced between its markers, and a missing one is an error", () => {
  const text = "a\n<!-- generated: peers -->\nold\n<!-- end: peers -->\nb";
  assert.equal(replaceSection(text, "peers", "new"), "a\n<!-- generated: peers -->\nnew\n<!-- end: peers -->\nb");
  assert.throws(() => replaceSection("a", "peers", "x"), /no "<!-- generated: peers -->"/);
  assert.equal(sectionOf(text, "peers"), "old");
  assert.equal(sectionOf("a", "peers"), undefined);
});

test("a run without the speed part keeps the earlier section's speed table, said to be from that run", () => {
  const speed = "Speed on the healthy reference, one run each:\n\n| document | agentwire |\n|---|---|\n| Managed | 110 s |";
  const section = `Measured 2026-12-02 on 2 vCPUs.\n\n${speed}\n\nDetection: …`;
  const kept = earlierSpeed(section)!;
  assert.equal(kept, `From the earlier run of 2026-12-02 (this run skipped the speed part):\n\n${speed}`);
  assert.equal(earlierSpeed(`Measured 2026-12-09 on 2 vCPUs.\n\n${kept}\n\nDetection: …`), kept, "kept again, still dated by the run that measured it");
  assert.equal(earlierSpeed("Measured 2026-12-02.\n\nDetection: …"), undefined);
});
