/**
 * reports/summary.json: the machine-readable result of a run. Versioned; fields are only ever filled from
 * what was measured — a phase that did not run leaves its part empty or marks operations "skipped".
 */
import type { Finding, SpecId } from "../core/finding.ts";
import type { StrategyOutcome } from "../load/multitask/run.ts";

export const SCHEMA_VERSION = 1;

export type OperationVerdict = "passed" | "failed" | "not-implemented" | "waived" | "skipped";

export interface OperationResult {
  spec: SpecId;
  operationId: string;
  method: string;
  path: string;
  verdict: OperationVerdict;
  /** HTTP requests the suite sent for this operation. */
  requests: number;
}

export interface StreamResult {
  spec: SpecId;
  operationId: string;
  streamMode: string;
  check: string;
  verdict: "passed" | "failed" | "waived" | "skipped";
}

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  count: number;
}

export interface LoadResult {
  /** Milliseconds; keys such as ttft_ms, itl_ms, tpot_ms, e2e_ms. */
  metrics: Record<string, Percentiles>;
  maxConcurrencyWithinSlo: number | null;
  /** Concurrent runs on shared threads under each multitask_strategy; absent when that part did not run. */
  multitask?: MultitaskSummary;
  [extra: string]: unknown;
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
  strategies: (Omit<StrategyOutcome, "checks"> & { checks: { check: string; verdict: "passed" | "failed" | "waived" }[] })[];
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
  passed: boolean;
  detail: string;
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
  load: LoadResult | null;
  gates: Gate[];
  machine: { platform: string; arch: string; cpus: number; memoryGiB: number; node: string };
}

/** The run's verdict: any unwaived finding, failed gate or interruption fails it. */
export function verdictOf(s: Pick<Summary, "findings" | "gates" | "interrupted">): "pass" | "fail" {
  if (s.interrupted) return "fail";
  if (s.findings.some((f) => !f.waived)) return "fail";
  if (s.gates.some((g) => !g.passed)) return "fail";
  return "pass";
}
