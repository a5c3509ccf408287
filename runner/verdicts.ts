/** Turns what was observed per operation into each documented operation's verdict for the summary. */
import type { Finding } from "../core/finding.ts";
import type { OperationResult } from "../reports/summary.ts";
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
