/**
 * How long an answer took, judged only when the user sets a limit: the document promises no speed, and a
 * gate must not fail a slow staging box unasked. Operations the document says wait (../model/waits.ts)
 * take as long as what they wait for and are not judged; neither are streams, read for a window only.
 */
import { mediaType } from "../../core/exchange.ts";
import type { SpecId } from "../../core/target.ts";
import type { NotJudged } from "../../results/summary.ts";
import { waitsFor } from "../model/waits.ts";
import type { Operation } from "../model/types.ts";
import { defineCheck } from "./types.ts";

export const responseTime = defineCheck("response_time", ({ exchange, contract, responseTimeMs }) => {
  if (responseTimeMs === undefined || contract.waits !== undefined) return [];
  if (exchange.truncated || mediaType(exchange.response.headers["content-type"]) === "text/event-stream") return [];
  const ms = exchange.timings.endAt - exchange.timings.sentAt;
  return ms > responseTimeMs ? [`answered ${exchange.response.status} in ${Math.round(ms)} ms (request sent to body end), over the limit of ${responseTimeMs} ms`] : [];
});

/**
 * What the run says about response_time besides its findings: that it is off, or, when on, each operation
 * it does not judge because the document says it waits (restricted to `operations` when some are named).
 * Titled "response_time › <api> › <operationId>": a check over every family, not a family of the matrix.
 */
export function responseTimeNotJudged(models: Partial<Record<SpecId, { operations: Operation[] }>>, limitMs: number | undefined, operations: string[] = []): NotJudged[] {
  if (limitMs === undefined) {
    return [{ unit: "response_time", reason: "off: no response-time limit was set (--response-time MS, or responseTimeMs in the config), so how fast the target answers is not judged", cause: "not-applicable" }];
  }
  return (Object.entries(models) as [SpecId, { operations: Operation[] }][]).flatMap(([spec, model]) =>
    model.operations.flatMap((op) => {
      const why = waitsFor(op);
      if (!why || (operations.length && !operations.includes(op.operationId))) return [];
      return [{ unit: `response_time › ${spec} › ${op.operationId}`, spec, operationId: op.operationId, reason: `the document says the operation waits: ${why}`, cause: "not-applicable" as const }];
    }),
  );
}
