/**
 * Methods the document does not list: for every path, each of GET, PUT, POST, PATCH and DELETE it does not
 * document is sent once, with made-up ids in the path (a target that did serve it acts on nothing of the
 * suite's), and judged by the method checks (../checks/methods.ts).
 */
import { randomUUID } from "node:crypto";
import type { Exchange, HttpRequest } from "../../core/exchange.ts";
import { METHOD_CHECKS } from "../checks/methods.ts";
import type { Operation } from "../model/types.ts";
import type { ApiModel } from "../oracle.ts";
import type { EngineContext } from "./context.ts";

const METHODS = ["GET", "PUT", "POST", "PATCH", "DELETE"];

export interface DocumentedPath {
  path: string;
  operations: Operation[];
}

/** The document's paths with their operations, in document order. */
export function pathsOf(model: ApiModel): DocumentedPath[] {
  const byPath = new Map<string, Operation[]>();
  for (const op of model.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  return [...byPath].map(([path, operations]) => ({ path, operations }));
}

export const undocumentedMethods = (p: DocumentedPath) => METHODS.filter((m) => !p.operations.some((op) => op.method.toUpperCase() === m));

/** Sends each undocumented method of a path and records what the method checks find; returns why not, if not run. */
export async function runMethods(ctx: EngineContext, p: DocumentedPath): Promise<string | undefined> {
  const documented = [...new Set(p.operations.map((op) => op.method.toUpperCase()))];
  const owner = p.operations[0]!.operationId;
  const hasIds = p.path.includes("{");
  // On a remote target a write to a collection could act on many resources if the target served it.
  const all = undocumentedMethods(p);
  const sent = all.filter((m) => ctx.target.embedded || hasIds || m === "GET");
  const left = all.filter((m) => !sent.includes(m));
  const unsafe = "a write to a collection path is only sent to the embedded reference";
  if (all.length === 0) return "the document lists every method for this path";
  if (sent.length === 0) return unsafe;
  if (left.length) ctx.rec.skip({ unit: `${ctx.spec} › ${owner} › methods › ${left.join(", ")}`, spec: ctx.spec, operationId: owner, reason: unsafe, cause: "not-applicable" });
  const where = { spec: ctx.spec, operationId: owner, unit: { family: "methods" } };
  const url = ctx.client.baseUrl.replace(/\/+$/, "") + p.path.replace(/\{[^}]+\}/g, () => randomUUID());
  const probes: { req: HttpRequest; x: Exchange }[] = [];
  for (const method of sent) {
    const withBody = method !== "GET" && method !== "DELETE";
    const req: HttpRequest = { method, url, headers: { accept: "application/json", ...(withBody ? { "content-type": "application/json" } : {}), ...ctx.client.authHeaders() }, ...(withBody ? { body: "{}" } : {}) };
    ctx.rec.request({ spec: ctx.spec, operationId: owner });
    probes.push({ req, x: await ctx.client.send(req) });
  }
  const refused405 = probes.filter((q) => q.x.response.status === 405).map((q) => q.req.method);
  for (const { req, x } of probes) {
    const violations = METHOD_CHECKS.flatMap((check) => check({ path: p.path, documented, refused405, exchange: x }));
    ctx.rec.violations(where, violations, req, { status: x.response.status });
  }
  return undefined;
}
