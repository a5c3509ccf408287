/**
 * The model of summary.json, the machine-readable result of a run, and the verdict rule. Versioned; fields
 * are only ever filled from what was measured — a phase that did not run leaves its part empty or marks
 * operations "skipped".
 */
import type { CheckName } from "../core/checks.ts";
import type { Leftover } from "../core/cleanup.ts";
import type { SpecId } from "../core/target.ts";
import type { Finding } from "./finding.ts";
import type { ExpiredWaiver, StaleWaiver } from "./waivers.ts";
import type { TimeReport } from "./timing.ts";

export const SCHEMA_VERSION = 1;

export type OperationVerdict = "passed" | "failed" | "not-implemented" | "waived" | "not-judged" | "skipped";

export interface OperationResult {
  spec: SpecId;
  operationId: string;
  method: string;
  path: string;
  verdict: OperationVerdict;
  /** HTTP requests the suite sent for this operation. */
  requests: number;
  /** Wall time of the units that judged it, summed (ms); absent when not measured. */
  durationMs?: number;
}

export interface StreamResult {
  spec: SpecId;
  operationId: string;
  streamMode: string;
  check: CheckName;
  verdict: "passed" | "failed" | "waived" | "skipped";
  /** Why a skipped rule could not judge this stream. */
  reason?: string;
}

/** Why a unit was not judged. Only "not-applicable" leaves the run's verdict alone. */
export type NotJudgedCause =
  /** The target's answers did not let the unit be judged: its setup failed, a stream never opened… */
  | "target"
  /** The unit does not apply to this target or document (e.g. the document allows any input). */
  | "not-applicable"
  /** The run was interrupted before the unit ended. */
  | "interrupted"
  /** The suite itself failed (a bug in the suite). */
  | "suite";

/** A unit that could not be judged, and why (its checks are "not judged", never "passed"). */
export interface NotJudged {
  unit: string;
  spec?: SpecId;
  operationId?: string;
  reason: string;
  cause: NotJudgedCause;
}

/**
 * A contract unit judged to its end (an operation's check family, or a flow) and the operations it sent
 * requests to: what lets the report say "passed" for a cell of the conformance matrix, never guessed.
 */
export interface JudgedUnit {
  spec: SpecId;
  /** The unit's title, as in notJudged: "<api> › <operationId> › <family>" or "<api> › flow › <title>". */
  unit: string;
  family?: string;
  flow?: string;
  operations: string[];
}

/** Not judged for a reason other than "does not apply": such a unit fails the run. */
export const blocksVerdict = (n: Pick<NotJudged, "cause">) => n.cause !== "not-applicable";

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  count: number;
}

/**
 * A latency distribution as [percentile (0–100), milliseconds] pairs at fixed percentiles, read from the
 * metric's HDR histogram (each value within 0.1 % of a recorded one): what the report draws a CDF from.
 */
export type PercentilePoints = [percentile: number, ms: number][];

/** One step of the concurrency sweep. */
export interface SweepPoint {
  concurrency: number;
  /** The step met every objective of the SLO. */
  ok: boolean;
  runs: { finished: number; ok: number; failed: number };
  ttft_p95_ms: number;
  /** Successful runs whose TTFT was measured: the sample count behind ttft_p95_ms. */
  ttft_samples?: number;
  output_tokens_per_s?: number;
  runs_per_s?: number;
  checks?: unknown[];
}

export interface LoadReport {
  /** Milliseconds; keys such as ttft_ms, itl_ms, tpot_ms, e2e_ms. */
  metrics: Record<string, Percentiles>;
  /** The sweep step the metrics, distributions and throughput were measured at. */
  measuredAtConcurrency?: number;
  /** The distribution of each metric of `metrics` (same keys) at that step. */
  distributions?: Record<string, PercentilePoints>;
  maxConcurrencyWithinSlo: number | null;
  /** How busy the machine running the suite was around the sweep: its cores and 1-minute load average before and after (compare warns when two runs differ). */
  host?: { cpus: number; loadAverage1m: [number, number] };
  slo?: { ttft_p95_ms?: number; error_rate?: number; [objective: string]: number | undefined };
  sweep?: SweepPoint[];
  /** Concurrent runs on shared threads under each multitask_strategy; absent when that part did not run. */
  multitask?: MultitaskSummary;
  /** The plain JSON endpoints under concurrent reads; absent when that part did not run. */
  json?: JsonLoadSummary;
  /** Each step of the sweep with its HDR histograms, so two runs can be compared afterwards (agentwire compare). */
  steps?: LoadStep[];
  [extra: string]: unknown;
}

/** Latency metrics of a load step, as thresholds and compare name them. */
export const LOAD_LATENCY_METRICS = ["ttft_ms", "itl_ms", "tpot_ms", "e2e_ms", "time_to_headers_ms", "time_to_first_event_ms"] as const;
export type LoadLatencyMetric = (typeof LOAD_LATENCY_METRICS)[number];

/** One step of the sweep: a closed loop at one concurrency. */
export interface LoadStep {
  concurrency: number;
  runs: { finished: number; ok: number; failed: number };
  error_rate: number;
  runs_per_s: number;
  goodput_per_s: number;
  /** Per latency metric, the step's HDR histogram (integer microseconds, 3 significant digits), compressed base64 (HdrHistogram V2). */
  histograms: Partial<Record<LoadLatencyMetric, string>>;
}

export interface MultitaskSummary {
  threadsPerStrategy: number;
  runsPerThread: number;
  /** Range of the seeded gaps between the runs sent to one thread, in ms. */
  gapMs: [number, number];
  seed: number;
  deadlineMs: number;
  wallMs: number;
  /** As measured, except that a check whose every finding is waived says "waived". */
  strategies: StrategyOutcome[];
}

export interface JsonLoadSummary {
  connections: number;
  durationS: number;
  endpoints: {
    endpoint: string;
    method: string;
    path: string;
    requests: number;
    requests_per_s: number;
    latency_ms: Percentiles;
    status: { "2xx": number; non2xx: number };
    errors: number;
    timeouts: number;
    /** The latency histogram, encoded (HDR, mergeable). */
    histogram: string;
  }[];
}

/** What became of one multitask_strategy's bursts. */
export interface StrategyOutcome {
  strategy: string;
  threads: number;
  runsSent: number;
  created: number;
  refused: number;
  /** How the created runs ended: success, interrupted, error, deleted, unfinished... */
  fates: Record<string, number>;
  maxRunningOnOneThread: number;
  checks: { check: CheckName; verdict: "passed" | "failed" | "waived" }[];
  /** Each thread's runs over time (absent in summaries written before it existed). */
  timeline?: TimelineRun[][];
}

/**
 * One run of a burst, in ms after its thread's burst started. `runningAtMs` and `endedAtMs` are when the
 * thread's sampled run list first showed it running and no longer in flight (or gone): sampling times,
 * not the server's own.
 */
export interface TimelineRun {
  index: number;
  sentAtMs: number;
  /** When the create request was answered. */
  answeredAtMs?: number;
  /** The create request's status (a refused run has no run). */
  status: number;
  runningAtMs?: number;
  endedAtMs?: number;
  fate?: string;
}

/** What the document itself makes untestable or suspicious (from the spec lint). */
export interface LintEntry {
  spec: string;
  operationId?: string;
  rule: string;
  message: string;
}

export interface Gate {
  name: string;
  /** False also when the gate could not be judged (then `notJudged` says why): it never passes on nothing. */
  passed: boolean;
  detail: string;
  /** Why the gate could not be judged (e.g. fewer samples than its min_samples). */
  notJudged?: string;
  /** Present on a threshold's gate (`thresholds:` in the config). */
  threshold?: ThresholdGate;
  /** What was measured, e.g. "p95 TTFT 310 ms at concurrency 1" (when the gate measures a figure). */
  figure?: string;
  /** What it had to stay within, e.g. "p95 TTFT ≤ 2000 ms and ≤ 1 % errors at concurrency 1". */
  limit?: string;
}

/** What a threshold judged: `expression` on `metric`, the value measured and the samples behind it. */
export interface ThresholdGate {
  /** ttft_ms, itl_ms, tpot_ms, e2e_ms, time_to_headers_ms, time_to_first_event_ms, error_rate, runs_per_s or goodput. */
  metric: string;
  /** As written, e.g. "p(95)<1500". */
  expression: string;
  /** The measured value (ms for latencies, 0–1 for error_rate, per second for the rates); absent when not judged. */
  actual?: number;
  samples: number;
  minSamples: number;
  abortOnFail: boolean;
  /** abort_on_fail fired: the step was stopped when this many samples had broken the threshold (actual and samples are then as of that moment). */
  abortedAt?: number;
}

export interface Summary {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  verdict: "pass" | "fail";
  interrupted: boolean;
  startedAt: string;
  durationMs: number;
  targets: {
    embedded: boolean;
    /** Which embedded reference: the JS or the Python Agent Server. */
    reference?: "js" | "python";
    managedDeepAgents?: string;
    agentServer?: string;
    faults: string[];
  };
  seed: number;
  profile: string;
  phases: { name: string; ran: boolean; durationMs: number; note?: string }[];
  operations: OperationResult[];
  lint: LintEntry[];
  findings: Finding[];
  streams: StreamResult[];
  /** Units that could not be judged, with the reason. */
  notJudged: NotJudged[];
  /** Contract units judged to their end (absent in summaries written before it existed). */
  units?: JudgedUnit[];
  /** Why the suite stopped sending to the target (exit 3), when it did. */
  unusable?: string;
  /** What the run made and could not delete, still on the target at the end. */
  leftovers: Leftover[];
  load: LoadReport | null;
  gates: Gate[];
  /** Waivers that expired (their findings are open) and the user's that matched nothing (stale; shown, not failing). */
  waivers?: { expired: ExpiredWaiver[]; stale: StaleWaiver[] };
  /** Where the conformance phases' time went: per phase, the slowest units, the target's share. */
  time: TimeReport;
  machine: { platform: string; arch: string; cpus: number; memoryGiB: number; node: string };
}

/**
 * The run's verdict: it passes only when every applicable unit was judged, something was, and nothing
 * failed. Any unwaived finding, broken gate, interruption, unusable target, or unit not judged for a
 * reason other than "does not apply" fails it.
 */
export function verdictOf(s: Pick<Summary, "findings" | "gates" | "interrupted" | "notJudged" | "unusable" | "operations" | "streams">): "pass" | "fail" {
  if (s.interrupted || s.unusable) return "fail";
  if (s.findings.some((f) => !f.waived)) return "fail";
  if (s.gates.some((g) => !g.passed)) return "fail";
  if (s.notJudged.some(blocksVerdict)) return "fail";
  if (!judgedAnything(s)) return "fail";
  return "pass";
}

/** A run in which every unit was not applicable judged nothing, and so claims nothing. */
export const judgedAnything = (s: Pick<Summary, "operations" | "streams" | "gates">) =>
  s.gates.length > 0 || s.operations.some((o) => o.verdict !== "skipped" && o.verdict !== "not-judged") || s.streams.some((x) => x.verdict !== "skipped");
