/** Turns what was observed into verdicts: each documented operation's, each stream rule's, each multitask check's. */
import type { Finding } from "./finding.ts";
import type { OperationTally } from "./recorder.ts";
import { blocksVerdict, type LoadReport, type NotJudged, type OperationResult, type StreamResult } from "./summary.ts";

/** The operations of each document, as the verdicts need them. */
export type OperationList = { spec: Finding["spec"]; operationId: string; method: string; path: string }[];

/** An operation passes only when every applicable unit of it was judged; "skipped" means nothing was sent to it. */
export function operationVerdicts(operations: OperationList, tallies: OperationTally[], findings: Finding[], notJudged: NotJudged[]): OperationResult[] {
  return operations.map((op) => {
    const t = tallies.find((x) => x.spec === op.spec && x.operationId === op.operationId);
    const mine = findings.filter((f) => f.spec === op.spec && f.operationId === op.operationId);
    const unjudged = notJudged.some((n) => n.spec === op.spec && n.operationId === op.operationId && blocksVerdict(n));
    const requests = t?.requests ?? 0;
    const verdict: OperationResult["verdict"] = t?.notImplemented
      ? "not-implemented"
      : mine.some((f) => !f.waived)
        ? "failed"
        : unjudged
          ? "not-judged"
          : mine.length
            ? "waived"
            : requests > 0
              ? "passed"
              : "skipped";
    return { ...op, verdict, requests, ...(t?.durationMs !== undefined ? { durationMs: Math.round(t.durationMs) } : {}) };
  });
}

/** The findings behind one stream verdict: same operation, check and stream. */
export const ofStream = (s: Pick<StreamResult, "spec" | "operationId" | "check" | "streamMode">) => (f: Finding) =>
  f.spec === s.spec && f.operationId === s.operationId && f.check === s.check && f.streamMode === s.streamMode;

/** The findings of one multitask check under one strategy. */
export const ofStrategyCheck = (strategy: string, check: string) => (f: Finding) => f.check === check && f.strategy === strategy;

const allWaived = (findings: Finding[]) => findings.length > 0 && findings.every((f) => f.waived);

/** A stream rule whose every finding is waived is reported as waived, not failed. */
export function streamVerdicts(streams: StreamResult[], findings: Finding[]): StreamResult[] {
  return streams.map((s) => (s.verdict === "failed" && allWaived(findings.filter(ofStream(s))) ? { ...s, verdict: "waived" } : s));
}

/** A multitask check whose every finding for that strategy is waived is reported as waived, not failed. */
export function multitaskVerdicts(load: LoadReport, findings: Finding[]): LoadReport {
  if (!load.multitask) return load;
  const strategies = load.multitask.strategies.map((s) => ({
    ...s,
    checks: s.checks.map((c) => (c.verdict === "failed" && allWaived(findings.filter(ofStrategyCheck(s.strategy, c.check))) ? { ...c, verdict: "waived" as const } : c)),
  }));
  return { ...load, multitask: { ...load.multitask, strategies } };
}
