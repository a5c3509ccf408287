/**
 * Building the requests a unit sends: the generated request pointed at the suite's resources (fresh
 * throwaway ones where the operation destroys or occupies what it touches), and the minimal valid request
 * of an operation that several families start from.
 */
import fc from "fast-check";
import type { Exchange, HttpRequest } from "../../core/exchange.ts";
import type { Violation } from "../../results/finding.ts";
import type { Intent } from "../checks/types.ts";
import { arbitraryFor, genContext } from "../generators/arbitrary.ts";
import { flatten } from "../generators/merge.ts";
import { requestArbitrary, toHttpRequest, type GeneratedRequest, type RequestOptions } from "../generators/requests.ts";
import type { Operation } from "../model/types.ts";
import { derivedSeed, exchange, type EngineContext } from "./context.ts";
import { OPAQUE_PARAMETERS } from "./fixtures.ts";

export interface Attempt {
  req: HttpRequest;
  x: Exchange;
  violations: Violation[];
}

/** Builds the request to send: throwaway resources first, then the fixture-aware body; `pathOverride` wins. */
export async function prepare(ctx: EngineContext, op: Operation, gen: GeneratedRequest, keepBody: boolean, pathOverride: GeneratedRequest["path"] = {}): Promise<HttpRequest> {
  const fresh = await ctx.fixtures.throwaway(op);
  const merged = Object.fromEntries(Object.entries({ ...gen.query, ...fresh?.fixed.query }).filter(([k]) => !OPAQUE_PARAMETERS.has(k)));
  const query = keepBody ? merged : ctx.fixtures.query(op, merged);
  let g: GeneratedRequest = { ...gen, path: { ...gen.path, ...fresh?.fixed.path, ...pathOverride }, query };
  if (g.body && "value" in g.body) {
    // An invalid body is sent exactly as generated: any correction could make it valid again.
    let value = keepBody ? g.body.value : ctx.fixtures.body(op, g.body.value);
    if (fresh?.body && !keepBody) value = fresh.body(value);
    g = { ...g, body: { ...g.body, value } };
  } else if (fresh?.body && !keepBody) {
    g = { ...g, body: { mediaType: "application/json", value: fresh.body(undefined) } };
  }
  return toHttpRequest(g, op, { baseUrl: ctx.client.baseUrl, headers: ctx.client.authHeaders() });
}

export async function attempt(ctx: EngineContext, op: Operation, gen: GeneratedRequest, intent: Intent, keepBody: boolean, pathOverride: GeneratedRequest["path"] = {}): Promise<Attempt> {
  const req = await prepare(ctx, op, gen, keepBody, pathOverride);
  const { x, violations } = await exchange(ctx, op.operationId, req, intent);
  return { req, x, violations };
}

/**
 * One valid request of the operation with only what it requires (the same for a given run seed), so that
 * what the family probes (credentials, an id) is the only thing that can decide the answer.
 */
export function minimalValid(ctx: EngineContext, op: Operation, family: string, ...parts: string[]): GeneratedRequest {
  return minimalRequest(ctx, op, ctx.fixtures.fixed(op), derivedSeed(ctx.seed, ctx.spec, op.operationId, family, ...parts));
}

/** The valid request drawn from `seed` with `fixed` values, reduced to what the operation requires. */
export function minimalRequest(ctx: EngineContext, op: Operation, fixed: RequestOptions["fixed"], seed: number): GeneratedRequest {
  const [g] = fc.sample(requestArbitrary(op, ctx.model.validator, { fixed }), { seed, numRuns: 1 });
  const required = new Set(op.parameters.filter((p) => p.required).map((p) => `${p.in}:${p.name}`));
  const keep = (where: string, values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([k]) => required.has(`${where}:${k}`)));
  return { ...g!, query: keep("query", g!.query), headers: keep("header", g!.headers), body: op.requestBody?.required && g!.body ? requiredOnly(ctx, op, g!.body) : undefined };
}

/** A generated body reduced to the properties its schema requires (and still valid, or left whole). */
export function requiredOnly(ctx: EngineContext, op: Operation, body: NonNullable<GeneratedRequest["body"]>): GeneratedRequest["body"] {
  const schema = op.requestBody?.content.find((c) => c.mediaType === body.mediaType)?.schema;
  if (!("value" in body) || typeof schema !== "object" || typeof body.value !== "object" || body.value === null || Array.isArray(body.value)) return body;
  const flat = flatten(ctx.model.spec.document, schema).schema;
  const required = new Set(flat ? (flat.required ?? []) : []);
  const value = Object.fromEntries(Object.entries(body.value).filter(([k]) => required.has(k)));
  return ctx.model.validator.matches(schema, value) ? { ...body, value } : body;
}

