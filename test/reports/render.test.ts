import { test } from "node:test";
import assert from "node:assert/strict";
import { renderHtml } from "../../reports/html.ts";
import { renderJunit } from "../../reports/junit.ts";
import { SCHEMA_VERSION, verdictOf, type Summary } from "../../reports/summary.ts";

const summary = (over: Partial<Summary> = {}): Summary => ({
  schemaVersion: SCHEMA_VERSION,
  tool: { name: "agentwire", version: "0.0.0" },
  verdict: "fail",
  interrupted: false,
  startedAt: "2026-11-22T00:00:00.000Z",
  durationMs: 1000,
  targets: { embedded: true, faults: [] },
  seed: 1,
  profile: "smoke",
  phases: [{ name: "contract", ran: true, durationMs: 900 }],
  operations: [{ spec: "managed-deep-agents", operationId: "getManagedDeepAgent", method: "GET", path: "/agents/{agent_id}", verdict: "failed", requests: 3 }],
  lint: [],
  findings: [
    { check: "response_schema", spec: "managed-deep-agents", operationId: "getManagedDeepAgent", message: "200 body: /created_at: must be string <script>", reproducer: "curl -X GET 'http://x/agents/1'" },
    { check: "status_code_documented", spec: "managed-deep-agents", operationId: "getManagedDeepAgent", message: "answered 401", reproducer: "curl", waived: { waiver: "w", reason: "known" } },
  ],
  streams: [{ spec: "agent-server", operationId: "op", streamMode: "values", check: "event_names", verdict: "passed" }],
  load: { metrics: { ttft_ms: { p50: 1, p90: 2, p95: 3, p99: 4, p999: 5, count: 6 } }, maxConcurrencyWithinSlo: 8 },
  gates: [{ name: "load_ttft_slo", passed: true, detail: "ok" }],
  machine: { platform: "Linux", arch: "x64", cpus: 2, memoryGiB: 24, node: "v20" },
  ...over,
});

test("the verdict fails on an open finding, a broken gate or an interruption, and passes otherwise", () => {
  const s = summary();
  assert.equal(verdictOf(s), "fail");
  assert.equal(verdictOf({ ...s, findings: s.findings.filter((f) => f.waived) }), "pass");
  assert.equal(verdictOf({ ...s, findings: [], gates: [{ name: "g", passed: false, detail: "" }] }), "fail");
  assert.equal(verdictOf({ ...s, findings: [], interrupted: true }), "fail");
});

test("the HTML report is one self-contained page that escapes what the target sent", () => {
  const html = renderHtml(summary());
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, /&lt;script&gt;/);
  assert.doesNotMatch(html, /<(script|link)\b|src=|href=/, "no scripts, styles or resources from elsewhere");
  for (const text of ["FAIL", "getManagedDeepAgent", "1 open, 1 waived", "Waived (w): known", "load_ttft_slo", "Highest concurrency within SLO"]) assert.ok(html.includes(text), text);
});

test("the JUnit report has a failing case per operation with open findings, waived ones not failing", () => {
  const xml = renderJunit(summary());
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
  assert.match(xml, /<testsuites name="agentwire" tests="3" failures="1"/);
  assert.equal((xml.match(/<failure /g) ?? []).length, 1);
  assert.match(xml, /&lt;script&gt;/);
});
