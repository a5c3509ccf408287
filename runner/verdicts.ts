/** Turns what was observed per operation into each documented operation's verdict for the summary. */
import type { Finding } from "../core/finding.ts";
import type { LoadResult, OperationResult, StreamResult } from "../reports/summary.ts";
import { ofStrategyCheck } from "../load/multitask/checks.ts";
import type { OperationTally } from "./record.ts";
import type { SpecSet } from "./specs.ts";

export function operationVerdicts(specs: SpecSet, tallies: OperationTally[], findings: Finding[]): OperationResult[] {
  const out: OperationResult[] = [];
  for (const [id, model] of Object.entries(specs)) {
    for (const op of model!.operations) {
      const t = tallies.find((x) => x.spec === id && x.operationId === op.operationId);
      const mine = findings.filter((f) => f.spec === id && f.operationId === op.operationId);
      const requests = t?.requests ?? 0;
      const verdict: OperationResult["verdict"] = t?.notImplemented
        ? "not-implemented"
        : mine.some((f) => !f.waived)
          ? "failed"
          : mine.length
            ? "waived"
            : requests > 0
              ? "passed"
              : "skipped";
      out.push({ spec: id as OperationResult["spec"], operationId: op.operationId, method: op.method, path: op.path, verdict, requests });
    }
  }
  return out;
}

/** A stream rule whose every finding is waived is reported as waived, not failed. */
export function streamVerdicts(streams: StreamResult[], findings: Finding[]): StreamResult[] {
  return streams.map((s) => {
    if (s.verdict !== "failed") return s;
    const mine = findings.filter((f) => f.spec === s.spec && f.operationId === s.operationId && f.check === s.check && f.message.startsWith(`[${s.streamMode}] `));
    return allWaived(mine) ? { ...s, verdict: "waived" } : s;
  });
}

const allWaived = (findings: Finding[]) => findings.length > 0 && findings.every((f) => f.waived);

/** A multitask check whose every finding for that strategy is waived is reported as waived, not failed. */
export function multitaskVerdicts(load: LoadResult, findings: Finding[]): LoadResult {
  if (!load.multitask) return load;
  const strategies = load.multitask.strategies.map((s) => ({
    ...s,
    checks: s.checks.map((c) => {
      if (c.verdict !== "failed") return c;
      return allWaived(findings.filter(ofStrategyCheck(s.strategy, c.check))) ? { ...c, verdict: "waived" as const } : c;
    }),
  }));
  return { ...load, multitask: { ...load.multitask, strategies } };
}
