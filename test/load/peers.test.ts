/**
 * The peer benchmark's reading of both tools' reports and its detection rule, on small fixtures (no tool
 * runs here: the benchmark itself runs them, in `npm run bench -- --only peers`).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { agentwireFindings, causedByFault, harEntries, schemathesisFindings, schemathesisInternalErrors, unfinishedPhase, withDeclared, withoutNoise, type PeerFinding } from "../../load/bench/peers/findings.ts";
import type { CheckName } from "../../core/checks.ts";
import { inTurn, phasesFor, speedOf, type PeersResult } from "../../load/bench/peers/index.ts";
import { runSchemathesis, schemathesisArgs } from "../../load/bench/peers/schemathesis.ts";
import { faultScope, readDocument, resolveOperation, type FaultScope } from "../../load/bench/peers/scope.ts";
import { earlierSpeed, renderPeers } from "../../load/bench/peers/table.ts";
import { findFault } from "../../reference/faults/catalog.ts";
import { replaceSection, sectionOf } from "../../scripts/readme.ts";

const BASE = "http://127.0.0.1:4010/v1/deepagents";

// Trimmed from real Schemathesis 4.32.5 event logs (--report ndjson): a test case that failed a check, one that
// failed two, one that passed, a stateful sequence's failure (named by the operation that failed), a network
// error, one of its own internal errors, and a last line cut short by a kill.
const failure = (name: string, code: string, operation: string, title: string, message: string) => ({ name, status: "failure", failure_info: { failure: { type: "X", code, operation, title, message, case_id: null, severity: "medium" } } });
const finished = (phase: string, label: string, checks: Record<string, unknown[]>) => JSON.stringify({ ScenarioFinished: { id: "1", phase, status: "failure", recorder: { label, cases: {}, checks, interactions: {} } } });
const NDJSON = [
  JSON.stringify({ Initialize: { id: "0", operations_count: 28 } }),
  finished("coverage", "POST /agents", {
    a1: [{ name: "not_a_server_error", status: "success" }, failure("status_code_conformance", "ST103", "POST /agents", "Undocumented status code", "Received: 401\nDocumented: 201, 400, 403, 409, 422, 500, 502, 503")],
    a2: [failure("positive_data_acceptance", "ST202", "POST /agents", "Schema-valid request rejected", "Valid data should have been accepted\nExpected: 2xx, 3xx, 401, 403, 404, 409, 429, 5xx")],
  }),
  finished("fuzzing", "GET /agents", { b1: [{ name: "not_a_server_error", status: "success" }] }),
  finished("fuzzing", "DELETE /store/items", {
    c1: [failure("not_a_server_error", "ST101", "DELETE /store/items", "Server error", ""), failure("status_code_conformance", "ST103", "DELETE /store/items", "Undocumented status code", "Received: 500\nDocumented: 204, 422")],
  }),
  finished("stateful", "Stateful tests", {
    d1: [failure("response_schema_conformance", "ST108", "POST /threads/{thread_id}/runs/stream", "Response violates schema", 'null is not of type "string"\n\nValidated against the response schema for status code 200.')],
  }),
  JSON.stringify({ NonFatalError: { id: "e1", value: { type: "ReadTimeout", message: "Read timed out. (read timeout=30.0)" }, phase: "coverage", label: "GET /auth-sessions/{session_id}", related_to_operation: true } }),
  JSON.stringify({ NonFatalError: { id: "e2", value: { type: "SystemError", message: "AST constructor recursion depth mismatch (before=66, after=61)" }, phase: "coverage", label: "GET /agents", related_to_operation: true } }),
  finished("stateful", "Stateful tests", { e1: [failure("not_a_server_error", "ST101", "GET /agents", "Server error", "")] }).slice(0, 80),
].join("\n");
const finishedLine = finished("fuzzing", "GET /agents", { f1: [failure("not_a_server_error", "ST101", "GET /agents", "Server error", "")] });

const MANAGED = readDocument("specs/managed-deep-agents.openapi.yaml");
const AGENT_SERVER = readDocument("specs/agent-server.openapi.yaml");
const scopeOf = (name: string, doc = MANAGED) => faultScope(findFault(name)!, doc);
const names = (s: FaultScope) => (s.by === "operation" ? s.names : s.by);

test("Schemathesis' event log: one finding per failed check and operation, stateful ones by the operation that failed", () => {
  const fs = schemathesisFindings(NDJSON, MANAGED.operations);
  assert.deepEqual(
    fs.map((f) => [f.key, f.check, f.message]),
    [
      ["ST103 POST /agents", "ST103 Undocumented status code", "Undocumented status code: Received: 401"],
      ["ST202 POST /agents", "ST202 Schema-valid request rejected", "Schema-valid request rejected: Valid data should have been accepted"],
      ["ST101 DELETE /store/items", "ST101 Server error", "Server error"],
      ["ST103 DELETE /store/items", "ST103 Undocumented status code", "Undocumented status code: Received: 500"],
      ["ST108 POST /threads/{thread_id}/runs/stream", "ST108 Response violates schema", 'Response violates schema: null is not of type "string"'],
      ["error ReadTimeout GET /auth-sessions/{session_id}", "error", "ReadTimeout: Read timed out. (read timeout=30.0)"],
    ],
  );
  assert.equal(schemathesisInternalErrors(NDJSON), 1, "its own error, not the target's; the cut line is left out");
  const phase = (event: "PhaseStarted" | "PhaseFinished", name: string) => JSON.stringify({ [event]: { id: "p", phase: { name, is_enabled: true } } });
  assert.equal(unfinishedPhase([phase("PhaseStarted", "fuzzing"), phase("PhaseFinished", "fuzzing"), phase("PhaseStarted", "stateful"), NDJSON].join("\n")), "stateful", "stopped in it");
  assert.equal(unfinishedPhase([phase("PhaseStarted", "stateful"), phase("PhaseFinished", "stateful")].join("\n")), undefined);
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

test("a finding two other faults' runs had on operations they do not change is noise wherever it is credited, on the same document", () => {
  const f = (key: string): PeerFinding => ({ key, check: key, operation: "", operations: [], message: key });
  const run = (fault: string, spec: string, credited: string[], elsewhere: string[]) => ({ fault, spec, credited: credited.map(f), elsewhere: elsewhere.map(f) });
  const clean = withoutNoise([
    run("a", "M", ["ST108 stream", "ST105 stream", "resolve"], []),
    run("b", "M", ["ST101 agents"], ["ST108 stream", "resolve"]),
    run("c", "M", [], ["ST108 stream"]),
    run("d", "A", ["ST105 stream"], []),
    run("e", "A", [], ["ST105 stream"]),
  ]);
  assert.deepEqual(
    clean.map((r) => [r.fault, r.credited.map((x) => x.key), r.noise.map((x) => x.key)]),
    [
      ["a", ["ST105 stream", "resolve"], ["ST108 stream"]],
      ["b", ["ST101 agents"], []],
      ["c", [], []],
      ["d", ["ST105 stream"], []],
      ["e", [], []],
    ],
    "one other run is not enough (a fault upstream in a sequence); the other document's key is another operation",
  );
});

test("a finding judged over several requests by a check the fault declares counts on whichever operation it names", () => {
  const f = (check: string, operation: string): PeerFinding => ({ key: `${check} ${operation}`, check, operation, operations: [operation], message: check });
  const caused = { credited: [] as PeerFinding[], elsewhere: [f("managed_approval_configured_tools", "streamRun"), f("not_a_server_error", "listAgents")] };
  const r = withDeclared(caused, (x) => x.check === "managed_approval_configured_tools");
  assert.deepEqual(r.credited.map((x) => x.key), ["managed_approval_configured_tools streamRun"]);
  assert.deepEqual(r.offScope, r.credited);
  assert.deepEqual(r.elsewhere.map((x) => x.key), ["not_a_server_error listAgents"]);
});

test("agentwire's findings as a user reads them: open ones by fingerprint, waived ones left out, broken gates and an unusable target counted", () => {
  const finding = (fingerprint: string, waived: boolean, operationId = "listAgents", check = "not_a_server_error") => ({ fingerprint, check, spec: "managed-deep-agents", operationId, message: "answered 500\nmore", unit: { flow: "agent lifecycle" }, ...(waived ? { waived: { waiver: "w", reason: "r" } } : {}) });
  const units = [{ spec: "managed-deep-agents", unit: "u", flow: "agent lifecycle", operations: ["createAgent", "getAgent"] }];
  const bursts = finding("m4", false, "create_run_threads__thread_id__runs_post", "multitask_load_one_run_at_a_time");
  const gates = [
    { name: "load_ttft_slo", passed: false, detail: "p95 TTFT 3200 ms at concurrency 1" },
    { name: "load_json_slo", passed: false, detail: "get thread: p95 1500 ms" },
    { name: "threshold error_rate rate<=0.01", passed: true, detail: "met" },
  ];
  const json = { endpoints: [{ endpoint: "get thread", method: "GET", path: "/threads/01a2392d-5d37-731f-b34a-5d2b6632fcf0" }, { endpoint: "count threads", method: "GET", path: "/threads/count?agent_id=a" }] };
  const summary = { findings: [finding("a1", false), finding("b2", true), finding("c3", false, ""), bursts], units, gates, load: { api: "managed", json }, unusable: "target unusable: reset" } as unknown as Parameters<typeof agentwireFindings>[0];
  const documents = { "managed-deep-agents": MANAGED.operations, "agent-server": AGENT_SERVER.operations };
  const on = (doc: typeof MANAGED, ...names: string[]) => names.map((x) => resolveOperation(doc.operations, x)!);
  assert.deepEqual(agentwireFindings(summary, documents), [
    { key: "a1", check: "not_a_server_error", operation: "listAgents", operations: ["listAgents"], message: "answered 500" },
    { key: "c3", check: "not_a_server_error", operation: "", operations: ["createAgent", "getAgent"], message: "answered 500" },
    {
      key: "m4",
      check: "multitask_load_one_run_at_a_time",
      operation: "create_run_threads__thread_id__runs_post",
      operations: on(AGENT_SERVER, "POST /threads", "POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}", "GET /threads/{thread_id}"),
      message: "answered 500",
    },
    { key: "gate load_ttft_slo", check: "load_ttft_slo", operation: "", operations: on(MANAGED, "POST /threads", "POST /threads/{thread_id}/runs/stream"), message: "p95 TTFT 3200 ms at concurrency 1" },
    { key: "gate load_json_slo", check: "load_json_slo", operation: "", operations: on(MANAGED, "GET /threads/{thread_id}", "GET /threads/count"), message: "get thread: p95 1500 ms" },
    { key: "unusable", check: "target_usable", operation: "", operations: [], message: "target unusable: reset" },
  ]);
});

test("agentwire runs, per fault, the phases that judge the checks it declares", () => {
  const phases = (name: string) => phasesFor(findFault(name)!.caughtBy as CheckName[]);
  assert.deepEqual(phases("server-error"), ["contract"]);
  assert.deepEqual(phases("stream-content-type"), ["streams"]);
  assert.deepEqual(phases("thread-stays-busy"), ["streams", "load"], "a lifecycle rule and one of the multitask bursts");
  assert.deepEqual(phases("enqueue-drops-run"), ["load"]);
  assert.deepEqual(phases("slow-reads"), ["contract", "load"], "a gate and an exchange check");
});

test("requests are the HAR file's entries; the command line bounds the run, keeps the key to a header and writes the event log", () => {
  const har = JSON.stringify({ log: { entries: [1, 2, 3].map((i) => ({ request: { method: "GET" }, timings: { wait: i } })) } });
  assert.equal(harEntries(har), 3);
  assert.equal(harEntries(har.slice(0, har.lastIndexOf('"timings"') - 3)), 2, "a file cut short by a kill: its complete entries");
  const args = schemathesisArgs({ document: "specs/x.yaml", baseUrl: BASE, apiKey: "k", maxExamples: 5, workers: 4, seed: 1, capMs: 1000, statefulCapMs: 500, dir: "/tmp/x" });
  assert.deepEqual(args.slice(args.indexOf("--phases"), args.indexOf("--phases") + 6), ["--phases", "examples,coverage,fuzzing,stateful", "--checks", "all", "--max-examples", "5"]);
  assert.ok(args.includes("X-Api-Key: k") && args.includes("--request-timeout"));
  assert.ok(!args.some((a) => a.startsWith("--exclude")), "every operation of the document");
  assert.equal(args[args.indexOf("--report-ndjson-path") + 1], "/tmp/x/events.ndjson");
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

test("the table says per fault and document which tool reports it, which faults only Schemathesis or neither reports, and where the time went", () => {
  const finding = (check: string, key = check): PeerFinding => ({ key, check, operation: "", operations: [], message: check });
  const tool = (checks: string[], extra: object = {}) => ({ detected: checks.length > 0, byExpectedCheck: checks.includes("response_schema"), findings: checks.map((c) => finding(c)), offScope: [], elsewhere: [], noise: [], ...extra });
  const doc = (spec: string, wallMs: number, aw: string[], st: string[], extra: { aw?: object; st?: object } = {}) => ({
    spec,
    scope: { by: "any", why: "emulator" },
    agentwire: tool(aw, { wallMs: 10_000, ...extra.aw }),
    schemathesis: tool(st, { capped: false, wallMs, ...extra.st }),
  });
  const fault = (name: string, ...documents: ReturnType<typeof doc>[]) => ({
    fault: name,
    phases: ["contract"],
    agentwire: { detected: documents.some((x) => x.agentwire.detected) },
    schemathesis: { detected: documents.some((x) => x.schemathesis.detected) },
    documents,
  });
  const result = {
    settings: { schemathesis: { version: "4.32.5", phases: "examples,coverage,fuzzing,stateful", checks: "all", workers: 6, seed: 1, requestTimeoutS: 30 }, detect: { profile: "smoke", maxExamples: 5, capMs: 150_000, statefulCapMs: 60_000 }, healthyRuns: 2, repeats: 1 },
    speed: [],
    leftOut: [{ fault: "e", why: "it breaks only a document with more" }],
    healthy: [{ spec: "agent-server", phases: ["contract", "streams"], agentwire: { open: [], waived: 3 }, schemathesis: [finding("ST103 Undocumented status code")], unstable: { agentwire: [], schemathesis: ["x"] } }],
    time: { wallMs: 300_000, agentwireMs: 240_000, schemathesisMs: 360_000 },
    detection: [
      fault("a", doc("agent-server", 40_000, ["response_schema"], [])),
      fault("b", doc("agent-server", 70_000, [], ["ST101 Server error"], { st: { capped: true, cappedIn: "stateful" } })),
      fault("c", doc("managed-deep-agents", 90_000, [], [], { st: { noise: [finding("ST108 SSE event violates schema")] } }), doc("agent-server", 20_000, ["error_event"], [], { aw: { offScope: [finding("error_event")] } })),
      fault("d", doc("agent-server", 30_000, [], [])),
    ],
  } as unknown as PeersResult;
  const md = renderPeers(result, { cpus: 2, cpuModel: "cpu", memoryGiB: 8, node: "v20.20.2" }, "2026-12-03");
  assert.match(md, /\| `a` \| Agent Server \| any † \(lives in the emulator\) \| contract \| ✓ `response_schema` \| ✗ \| 10 \/ 40 \|/);
  assert.match(md, /\| `b` \| .* \| ✗ \| ✓ `ST101 Server error` \(capped in stateful\) \| 10 \/ 70 \|/);
  assert.match(md, /\| `c` \| Managed \| .* \| ✗ \| ✗; `ST108 SSE event violates schema` seen without the fault, not credited \| 10 \/ 90 \|/);
  assert.match(md, /\| `c` \| Agent Server \| .* \| ✓\* `error_event‡` \| ✗ \| 10 \/ 20 \|/, "a row per document; ‡ where it counts off the fault's operations");
  assert.match(md, /agentwire reports 2 of 4 faults, Schemathesis 1\. Reported by Schemathesis and not by agentwire: `b`\. By neither: `d`\. Not tried: `e`, since the shipped documents allow what it does \(it breaks only a document with more\)\./);
  assert.match(md, /Time: 5\.0 min for the healthy baselines and the 4 faults on 5 fault–document pairs, .* \(agentwire's runs 4\.0 min in all, Schemathesis' 6\.0 min\); a pair's slower run takes 40 s at the median, the longest 90 s \(`c` on the Managed document\)/);
  assert.match(md, /\| Agent Server \| contract, streams \| 0 \(3\) \| 1: `ST103 Undocumented status code` \| agentwire 0, Schemathesis 1 \|/);
});

test("jobs run two at a time, the next as soon as a slot is free, their results in job order", async () => {
  const log: string[] = [];
  const job = (name: string, ms: number) => async () => {
    log.push(`start ${name}`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`end ${name}`);
    return name;
  };
  assert.deepEqual(await inTurn([job("a", 60), job("b", 10), job("c", 10), job("d", 10)], 2), ["a", "b", "c", "d"]);
  assert.deepEqual(log.slice(0, 4), ["start a", "start b", "end b", "start c"], "c does not wait for a");
});

test("a Schemathesis run stopped at its stateful phase's cap keeps what its event log holds and says where it stopped", async () => {
  const dir = mkdtempSync(join(tmpdir(), "peers-st-"));
  // Stands in for Schemathesis: writes its event log up to the stateful phase, then hangs until interrupted.
  const fake = join(dir, "schemathesis");
  writeFileSync(
    fake,
    [
      "#!/bin/sh",
      'while [ "$1" != "--report-ndjson-path" ]; do shift; done; log="$2"',
      `echo '${JSON.stringify({ PhaseStarted: { phase: { name: "fuzzing" } } })}' >> "$log"`,
      `echo '${finishedLine}' >> "$log"`,
      `echo '${JSON.stringify({ PhaseFinished: { phase: { name: "fuzzing" } } })}' >> "$log"`,
      `echo '${JSON.stringify({ PhaseStarted: { phase: { name: "stateful" } } })}' >> "$log"`,
      "trap 'exit 130' INT",
      "while :; do sleep 0.1; done",
    ].join("\n"),
  );
  chmodSync(fake, 0o755);
  try {
    const started = performance.now();
    const r = await runSchemathesis(fake, { document: "specs/managed-deep-agents.openapi.yaml", baseUrl: BASE, apiKey: "k", maxExamples: 5, workers: 1, seed: 1, capMs: 60_000, statefulCapMs: 500, dir: join(dir, "run") });
    const s = (performance.now() - started) / 1000;
    assert.ok(s < 5, `stopped by the stateful cap, not the whole run's (${s.toFixed(1)} s)`);
    assert.equal(r.capped, true);
    assert.equal(r.cappedIn, "stateful");
    assert.deepEqual(r.findings.map((f) => f.key), ["ST101 GET /agents"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Schemathesis' speed is the median of its runs that finished when any did: a run stopped at a cap measures its stall", () => {
  const run = (wallMs: number, requests: number, capped = false) => ({ wallMs, requests, reqPerS: Math.round((requests / wallMs) * 10000) / 10, exit: 0, capped });
  const aw = [run(50_000, 13_000), run(55_000, 13_000), run(54_000, 13_000)];
  const some = speedOf("agent-server", aw, [run(136_000, 1800, true), run(137_000, 1790, true), run(53_000, 1850)]);
  assert.deepEqual([some.schemathesis.median, some.schemathesis.finished], [{ wallMs: 53_000, requests: 1850, reqPerS: 34.9 }, 1]);
  assert.equal(some.ratio, Math.round((some.agentwire.median.reqPerS / 34.9) * 10) / 10);
  const none = speedOf("agent-server", aw, [run(136_000, 1800, true)]);
  assert.deepEqual([none.schemathesis.median.wallMs, none.schemathesis.finished], [136_000, 0], "every run stalled: its medians, said so by the renderers");
});
