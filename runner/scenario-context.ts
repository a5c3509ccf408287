/** Builds the context stream scenarios run in: sends, counts and checks every exchange, judges streams. */
import type { Exchange, HttpRequest } from "../core/exchange.ts";
import type { SpecId, Violation } from "../core/finding.ts";
import { send } from "../core/http.ts";
import type { Target } from "../core/target.ts";
import type { Intent } from "../contract/checks/types.ts";
import type { ScenarioContext } from "../streams/scenarios/context.ts";
import { judgeStream } from "../streams/judge.ts";
import type { SseLimits } from "../streams/sse/types.ts";
import type { Recorder } from "./record.ts";

/** Judges one exchange of an operation against its document (contract checks). */
export type Oracle = (spec: SpecId, operationId: string, exchange: Exchange, intent: Intent) => Violation[];

/** `limits` bound every stream the scenarios open (the CLI's defaults allow minute-long runs). */
export function scenarioContext(target: Target, rec: Recorder, oracle: Oracle, tag: string, limits: Partial<SseLimits> = {}): ScenarioContext {
  return {
    target,
    rec,
    tag,
    async call(spec, operationId, req, intent = { kind: "valid" }) {
      rec.request({ spec, operationId });
      const x = await send(req);
      rec.violations({ spec, operationId }, oracle(spec, operationId, x, intent), req);
      return x;
    },
    async stream(spec, operationId, mode, req, expectation, options) {
      rec.request({ spec, operationId });
      const judged = await judgeStream(req, expectation, { ...options, limits: { ...limits, ...options?.limits } });
      const where = { spec, operationId };
      if (judged.status >= 300) {
        // A refused stream is an ordinary exchange: the contract checks judge it; its rules are not judged.
        const x: Exchange = { request: req, response: { status: judged.status, headers: judged.headers, body: judged.body ?? "" }, timings: { sentAt: 0, headersAt: judged.timings.headersMs, endAt: judged.timings.endMs } };
        rec.violations(where, oracle(spec, operationId, x, { kind: "valid" }), req);
        return judged;
      }
      for (const [check, violations] of judged.rules) {
        rec.stream(where, mode, check, violations.length > 0);
        rec.violations(where, violations.map((v) => ({ ...v, message: `[${mode}] ${v.message}` })), req, { stream: true });
      }
      return judged;
    },
    verdict(spec, operationId, mode, check, problems, req: HttpRequest) {
      const where = { spec, operationId };
      rec.stream(where, mode, check, problems.length > 0);
      rec.violations(where, problems.map((message) => ({ check, message: `[${mode}] ${message}` })), req);
    },
  };
}
