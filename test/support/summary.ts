/** A small but complete summary for report tests; override any part. */
import { SCHEMA_VERSION, type Summary } from "../../results/summary.ts";

export const summary = (over: Partial<Summary> = {}): Summary => ({
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
    { fingerprint: "0123456789abcdef", check: "response_schema", spec: "managed-deep-agents", operationId: "getManagedDeepAgent", message: "200 body: /created_at: must be string <script>", reproducer: "curl -X GET 'http://x/agents/1'" },
    { fingerprint: "fedcba9876543210", check: "status_code_documented", spec: "managed-deep-agents", operationId: "getManagedDeepAgent", message: "answered 401", reproducer: "curl", waived: { waiver: "w", reason: "known" } },
  ],
  streams: [{ spec: "agent-server", operationId: "op", streamMode: "values", check: "event_names", verdict: "passed" }],
  notJudged: [],
  leftovers: [],
  load: { metrics: { ttft_ms: { p50: 1, p90: 2, p95: 3, p99: 4, p999: 5, count: 6 } }, maxConcurrencyWithinSlo: 8 },
  gates: [{ name: "load_ttft_slo", passed: true, detail: "ok" }],
  time: { phases: [{ name: "contract", units: 1, ms: 900, targetMs: 600 }], slowest: [{ unit: "managed-deep-agents › getManagedDeepAgent › positive", phase: "contract", ms: 900, targetMs: 600 }], targetShare: 0.667 },
  machine: { platform: "Linux", arch: "x64", cpus: 2, memoryGiB: 24, node: "v20" },
  ...over,
});
