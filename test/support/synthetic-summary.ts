/**
 * A large, deterministic summary of a made-up run, with every part the report draws: 91 operations over
 * both APIs with their judged units, flows, stream verdicts, `findings` findings (open and waived, many
 * with the same message on several operations, some with long reproducers), not-judged units, and load
 * results with distributions, a sweep and multitask timelines. For the browser test and the benchmark.
 */
import type { Finding } from "../../results/finding.ts";
import { SCHEMA_VERSION, type JudgedUnit, type NotJudged, type OperationResult, type StrategyOutcome, type StreamResult, type Summary, type TimelineRun } from "../../results/summary.ts";

const FAMILIES = ["positive", "negative", "auth", "unknown-ids"];
const CHECKS = ["status_code_documented", "response_schema", "content_type_documented", "positive_data_accepted", "negative_data_rejected", "auth_enforced", "unknown_id_not_found"] as const;
const STREAM_CHECKS = ["stream_content_type", "sse_framing", "stream_terminates", "metadata_first", "event_names", "event_payloads", "error_event", "ids_present", "delivered_incrementally", "stream_complete"] as const;
const MODES = ["values", "updates", "messages-tuple", "values+messages-tuple", "events", "debug", "custom", "tasks", "checkpoints"];
export const CDF_POINTS = [0, 1, 5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97.5, 99, 99.5, 99.9, 100];

/** A deterministic pseudo-random sequence (the same summary every time). */
function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function operations(): OperationResult[] {
  const ops: OperationResult[] = [];
  for (let i = 0; i < 28; i++) ops.push({ spec: "managed-deep-agents", operationId: `managedOperation${i}WithAName`, method: ["GET", "POST", "PATCH", "DELETE"][i % 4]!, path: `/agents/{agent_id}/threads/{thread_id}/part${i}`, verdict: "passed", requests: 20 });
  for (let i = 0; i < 63; i++) ops.push({ spec: "agent-server", operationId: `a_rather_long_operation_id_number_${i}_threads__thread_id__runs__run_id__post`, method: ["GET", "POST", "PUT", "DELETE"][i % 4]!, path: `/threads/{thread_id}/runs/{run_id}/part${i}`, verdict: "passed", requests: 20 });
  return ops;
}

const distribution = (base: number, spread: number) => CDF_POINTS.map((p): [number, number] => [p, Math.round((base + spread * (p / 100) ** 3) * 1000) / 1000]);
const pct = (d: [number, number][], count: number) => {
  const at = (p: number) => d.find(([q]) => q === p)![1];
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), count };
};

/** `healthy`: every finding waived (a target whose only deviations are known), so the run passes. */
export function syntheticSummary(findingCount: number, o: { healthy?: boolean } = {}): Summary {
  const rnd = random(findingCount + 7);
  const ops = operations();
  const units: JudgedUnit[] = [];
  const notJudged: NotJudged[] = [];
  ops.forEach((op, i) => {
    for (const family of FAMILIES) {
      const unit = `${op.spec} › ${op.operationId} › ${family}`;
      if (family === "unknown-ids" && i % 5 === 0) continue;
      if (family === "negative" && i % 17 === 3) notJudged.push({ unit, spec: op.spec, operationId: op.operationId, reason: "the document allows any input to this operation", cause: "not-applicable" });
      else if (family === "positive" && i === 40 && !o.healthy) notJudged.push({ unit, spec: op.spec, operationId: op.operationId, reason: "could not prepare it: POST /threads answered 500", cause: "target" });
      else units.push({ spec: op.spec, unit, family, operations: [op.operationId] });
    }
  });
  const flows = [
    { spec: "managed-deep-agents" as const, title: "agent, thread and run lifecycle", ops: ops.slice(0, 8).map((o) => o.operationId) },
    { spec: "agent-server" as const, title: "assistant, thread and run lifecycle", ops: ops.slice(28, 40).map((o) => o.operationId) },
  ];
  for (const f of flows) units.push({ spec: f.spec, unit: `${f.spec} › flow › ${f.title}`, flow: f.title, operations: f.ops });
  if (!o.healthy) ops[90]!.verdict = "not-implemented";

  const streams: StreamResult[] = [];
  for (const mode of MODES)
    for (const check of STREAM_CHECKS) {
      const spec = mode === "values" || mode === "updates" || mode === "messages-tuple" ? "managed-deep-agents" : "agent-server";
      const op = spec === "managed-deep-agents" ? ops[5]! : ops[50]!;
      streams.push({ spec, operationId: op.operationId, streamMode: mode, check, verdict: check === "ids_present" && mode === "debug" ? "skipped" : "passed", ...(check === "ids_present" && mode === "debug" ? { reason: "the stream was not resumable" } : {}) });
      if (check === "ids_present" && mode === "debug") notJudged.push({ unit: `${spec} › stream mode debug › ids_present`, spec, reason: "the stream was not resumable", cause: "not-applicable" });
    }

  // Messages repeat across operations (as a real server's deviation does), so grouping has work to do.
  const messages = Array.from({ length: Math.max(1, Math.ceil(findingCount / 12)) }, (_, k) => `answered ${400 + (k % 100)}, not one of the documented statuses (${k}) <b>`);
  const findings: Finding[] = [];
  for (let n = 0; n < findingCount; n++) {
    const op = ops[Math.floor(rnd() * ops.length)]!;
    const stream = n % 10 === 9;
    const mode = MODES[n % MODES.length]!;
    const check = stream ? STREAM_CHECKS[n % STREAM_CHECKS.length]! : CHECKS[n % CHECKS.length]!;
    const family = FAMILIES[n % FAMILIES.length]!;
    const waived = o.healthy || n % 3 !== 0;
    const body = JSON.stringify({ input: { messages: [{ role: "user", content: "x".repeat(n % 50 === 0 ? 3000 : 80) }] }, metadata: { n } });
    findings.push({
      fingerprint: n.toString(16).padStart(16, "0"),
      check,
      spec: stream ? (streams.find((s) => s.streamMode === mode)!.spec) : op.spec,
      operationId: stream ? streams.find((s) => s.streamMode === mode)!.operationId : op.operationId,
      message: messages[n % messages.length]!,
      ...(stream ? { streamMode: mode } : { unit: n % 25 === 7 ? { flow: flows[op.spec === "managed-deep-agents" ? 0 : 1]!.title } : { family, round: 0 } }),
      replay: n % 7 === 0 ? { example: "basic" } : { seed: 1000 + n, path: `${n % 4}:0` },
      exchange: { request: { method: op.method, url: `http://127.0.0.1:1234${op.path}`, headers: { "x-api-key": "***" }, body }, status: 400 + (n % 100) },
      reproducer: `curl -sS -X ${op.method} 'http://127.0.0.1:1234${op.path.replace(/[{}]/g, "")}?a_very_long_query_parameter_value=${"q".repeat(60)}' -H "x-api-key: $LANGSMITH_API_KEY" -H 'content-type: application/json' --data-raw '${body}'`,
      ...(waived ? { waived: { waiver: `as-known-deviation-${n % 6}`, reason: `The reference answers ${400 + (n % 6)} here; the document lists another status (known, reported upstream).` } } : {}),
    });
  }
  for (const f of findings) {
    const s = streams.find((x) => x.spec === f.spec && x.operationId === f.operationId && x.streamMode === f.streamMode && x.check === f.check);
    if (s) s.verdict = f.waived && s.verdict !== "failed" ? "waived" : "failed";
    const op = ops.find((o) => o.spec === f.spec && o.operationId === f.operationId)!;
    if (op.verdict !== "not-implemented") op.verdict = !f.waived ? "failed" : op.verdict === "passed" ? "waived" : op.verdict;
  }

  const d = { ttft_ms: distribution(45, 300), itl_ms: distribution(9, 15), tpot_ms: distribution(10, 6), e2e_ms: distribution(260, 500), time_to_headers_ms: distribution(4, 20), time_to_first_event_ms: distribution(6, 25) };
  const counts: Record<string, number> = { ttft_ms: 60, itl_ms: 1140, tpot_ms: 60, e2e_ms: 60, time_to_headers_ms: 60, time_to_first_event_ms: 60 };
  const timeline = (threads: number, runs: number, strategy: string): TimelineRun[][] =>
    Array.from({ length: threads }, (_, t) =>
      Array.from({ length: runs }, (_, i): TimelineRun => {
        const sent = i * 80 + t * 5;
        const refused = strategy === "reject" && i > 0;
        const running = 30 + i * 230;
        return refused
          ? { index: i, sentAtMs: sent, answeredAtMs: sent + 12, status: 409 }
          : { index: i, sentAtMs: sent, answeredAtMs: sent + 15, status: 200, runningAtMs: running, endedAtMs: running + 220, fate: strategy === "interrupt" && i < runs - 1 ? "interrupted" : strategy === "rollback" && i < runs - 1 ? "deleted" : "success" };
      }),
    );
  const strategies = ["reject", "enqueue", "interrupt", "rollback"].map((strategy): StrategyOutcome => ({
    strategy, threads: 2, runsSent: 8, created: strategy === "reject" ? 2 : 8, refused: strategy === "reject" ? 6 : 0,
    fates: (strategy === "reject" ? { success: 2 } : strategy === "enqueue" ? { success: 8 } : strategy === "interrupt" ? { interrupted: 6, success: 2 } : { deleted: 6, success: 2 }) as Record<string, number>,
    maxRunningOnOneThread: 1,
    checks: (["multitask_load_no_lost_runs", "multitask_load_no_duplicate_runs", "multitask_load_one_run_at_a_time", "multitask_load_outcome", "multitask_load_thread_consistent"] as const).map((check) => ({ check, verdict: "passed" as const })),
    timeline: timeline(2, 4, strategy),
  }));

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "agentwire", version: "0.0.0-synthetic" },
    verdict: findings.some((f) => !f.waived) ? "fail" : "pass",
    interrupted: false,
    startedAt: "2026-12-01T00:00:00.000Z",
    durationMs: 245_000,
    targets: { embedded: true, managedDeepAgents: "http://127.0.0.1:1234/v1/deepagents", agentServer: "http://127.0.0.1:1234", faults: [] },
    seed: 1,
    profile: "smoke",
    phases: [{ name: "contract", ran: true, durationMs: 150_000 }, { name: "streams", ran: true, durationMs: 60_000 }, { name: "load", ran: true, durationMs: 30_000 }],
    operations: ops,
    lint: [{ spec: "agent-server", operationId: ops[30]!.operationId, rule: "no-error-response", message: "documents no error response" }],
    findings,
    streams,
    notJudged,
    units,
    leftovers: [],
    load: {
      api: "managed",
      measuredAtConcurrency: 8,
      metrics: Object.fromEntries(Object.entries(d).map(([k, v]) => [k, pct(v, counts[k]!)])),
      distributions: d,
      maxConcurrencyWithinSlo: 8,
      slo: { ttft_p95_ms: 2000, error_rate: 0.01 },
      throughput: { runs_per_s: 21.5, output_tokens_per_s: 430.2, goodput_per_s: 21.5 },
      errors: {},
      sweep: [1, 2, 4, 8].map((c, i) => ({ concurrency: c, ok: true, runs: { finished: 60, ok: 60, failed: 0 }, ttft_p95_ms: 120 + i * 90, ttft_samples: 60, output_tokens_per_s: 60 * c, runs_per_s: 3 * c })),
      definitions: [{ key: "ttft", unit: "ms", definition: "send → first token event" }],
      multitask: { threadsPerStrategy: 2, runsPerThread: 4, gapMs: [10, 150], seed: 1, deadlineMs: 30_000, wallMs: 1800, strategies },
    },
    gates: [{ name: "load_ttft_slo", passed: true, detail: "p95 TTFT 120 ms at concurrency 1", figure: "p95 TTFT 120 ms, 0.0 % errors at concurrency 1 (60 samples)", limit: "p95 TTFT ≤ 2000 ms and ≤ 1 % errors at concurrency 1" }],
    time: { phases: [{ name: "contract", units: 360, ms: 300_000, targetMs: 270_000 }, { name: "streams", units: 90, ms: 120_000, targetMs: 110_000 }], slowest: [{ unit: `agent-server › ${ops[40]!.operationId} › positive`, phase: "contract", ms: 9000, targetMs: 8900 }], targetShare: 0.905 },
    machine: { platform: "Linux", arch: "x64", cpus: 2, memoryGiB: 24, node: "v20" },
  };
}
