/**
 * The coverage family: every coverage case of an operation (../generators/coverage.ts) is sent once, in
 * every profile; valid cases must be accepted and invalid ones refused, judged by the same checks as the
 * generated cases, each finding replayable as "seed case:NAME".
 */
import { coverageCases, type CoverageCase } from "../generators/coverage.ts";
import { jsonMedia, type GeneratedRequest } from "../generators/requests.ts";
import type { Operation } from "../model/types.ts";
import { derivedSeed, IN_FLIGHT, type EngineContext } from "./context.ts";
import { attempt, minimalValid, type Attempt } from "./prepare.ts";

/** A path parameter whose schema some text breaks (a format, a pattern, an enum, a length, a type other than string). */
const constrained = (p: Operation["parameters"][number]) => {
  const s = p.schema;
  if (typeof s !== "object") return false;
  return s.format !== undefined || s.pattern !== undefined || s.enum !== undefined || s.minLength !== undefined || s.maxLength !== undefined || (s.type !== undefined && s.type !== "string");
};

/** True when the document gives the operation any input to vary: a body, query parameters, a constrained path parameter. */
export const hasCoverage = (op: Operation) => jsonMedia(op) !== undefined || op.parameters.some((p) => p.in === "query" || (p.in === "path" && constrained(p)));

/**
 * The minimal valid request, pointed at the suite's resources as a valid request would be. Where the
 * operation acts on many resources unless its body names some (cancel or prune runs and threads), the body
 * names fresh ones of the suite's, so no invalid case built on it can reach anything else.
 */
async function base(ctx: EngineContext, op: Operation): Promise<GeneratedRequest> {
  const g = minimalValid(ctx, op, "coverage");
  const query = ctx.fixtures.query(op, g.query);
  const fresh = await ctx.fixtures.throwaway(op);
  const value = g.body && "value" in g.body ? ctx.fixtures.body(op, g.body.value) : undefined;
  const body = fresh?.body ? { mediaType: g.body?.mediaType ?? "application/json", value: fresh.body(value) } : g.body && "value" in g.body ? { ...g.body, value } : g.body;
  return { ...g, query, ...(body ? { body } : {}) };
}

export async function casesOf(ctx: EngineContext, op: Operation): Promise<CoverageCase[]> {
  // What the fixtures strip from every valid body (a webhook, a delayed start) is not sent in any case: an
  // invalid value a target accepts would act on it too.
  const omit = (name: string) => {
    const kept = ctx.fixtures.body(op, { [name]: null });
    return typeof kept === "object" && kept !== null && !(name in kept);
  };
  return coverageCases(op, ctx.model.validator, await base(ctx, op), { fixed: ctx.fixtures.fixed(op), seed: derivedSeed(ctx.seed, ctx.spec, op.operationId, "coverage"), omit });
}

export async function runCoverage(ctx: EngineContext, op: Operation): Promise<string | undefined> {
  const cases = await casesOf(ctx, op);
  if (cases.length === 0) return "the document gives this operation no input to vary";
  const answers: Attempt[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i]!;
      // A valid case is pointed at the suite's resources like any valid request; an invalid one is sent as built.
      answers[i] = await attempt(ctx, op, c.request, c.valid ? { kind: "valid" } : { kind: "invalid", what: c.name }, !c.valid, c.keepPath ? c.request.path : {});
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, cases.length) }, worker));
  const where = { spec: ctx.spec, operationId: op.operationId, unit: { family: "coverage" } };
  cases.forEach((c, i) => ctx.rec.violations(where, answers[i]!.violations, answers[i]!.req, { replay: { seed: ctx.seed, case: c.name }, status: answers[i]!.x.response.status }));
  return undefined;
}
