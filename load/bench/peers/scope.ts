/**
 * Which operations of a document a reference fault changes, derived from the fault itself: its hooks'
 * `match` is asked about a request to every operation, built as the reference's front builds one
 * (method, the API's base path + the path with placeholder ids). A tool is credited with a fault only by
 * new findings on these operations; anything else a faulty run reports beside them is noise of its
 * exploration, not the fault.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Fault, ProxiedRequest } from "../../../reference/faults/types.ts";

export interface DocOperation {
  operationId: string;
  method: string;
  /** The document's path template, e.g. /agents/{agent_id}. */
  path: string;
}

/**
 * The operations a fault changes. `by` says how they were found: "operation" (its match takes requests
 * to them), or "any" when the fault has no hooks (it lives in the emulator) or its match took no request
 * to any path of the document (it depends on a body, header or query the probes do not send): then every
 * operation counts, the rule can say nothing narrower.
 */
export type FaultScope = { by: "operation"; operations: string[]; names: string[] } | { by: "any"; why: "emulator" | "match" };

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];
// What stands in for an id in a path: a uuid, so that patterns such as (?!count$) treat it as an id.
const PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000";

interface Document {
  servers?: { url: string }[];
  paths: Record<string, Record<string, { operationId?: string } | unknown>>;
}

/** The document's operations and the base path its requests go under (its first server URL's path). */
export function readDocument(file: string): { operations: DocOperation[]; basePath: string } {
  const doc = parse(readFileSync(file, "utf8")) as Document;
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((m) => {
      const id = (item[m] as { operationId?: string } | undefined)?.operationId;
      return id ? [{ operationId: id, method: m.toUpperCase(), path }] : [];
    }),
  );
  const server = doc.servers?.[0]?.url;
  return { operations, basePath: server ? new URL(server, "http://x").pathname.replace(/\/$/, "") : "" };
}

function probe(method: string, path: string): ProxiedRequest {
  return {
    // As the front tells its two APIs apart.
    api: path.startsWith("/v1/deepagents") ? "managed" : "agent-server",
    method,
    path,
    query: new URLSearchParams(),
    headers: { "x-api-key": "probe", "content-type": "application/json" },
    body: Buffer.alloc(0),
  };
}

/**
 * A request to an operation, and requests with the methods a path does not declare (a tool reports what
 * those get on the operations of that path: 405 and Allow, or an undeclared method served).
 */
export function faultScope(fault: Fault, doc: { operations: DocOperation[]; basePath: string }): FaultScope {
  if (!fault.hooks) return { by: "any", why: "emulator" };
  const { match } = fault.hooks({ apiKey: "probe" });
  const concrete = (template: string) => doc.basePath + template.replace(/\{[^}]+\}/g, PLACEHOLDER_ID);
  const scope = (ops: DocOperation[]): FaultScope => ({ by: "operation", operations: ops.map((o) => o.operationId), names: ops.map((o) => `${o.method} ${o.path}`) });
  const byOperation = doc.operations.filter((op) => match(probe(op.method, concrete(op.path))));
  if (byOperation.length) return scope(byOperation);
  // Only then by path: a method some path does not declare (a pattern with an id segment takes many paths'
  // undeclared methods, which would widen a fault on one operation to its neighbours).
  const byPath = doc.operations.filter((op) => {
    const declared = new Set(doc.operations.filter((o) => o.path === op.path).map((o) => o.method));
    return METHODS.map((m) => m.toUpperCase()).some((m) => !declared.has(m) && match(probe(m, concrete(op.path))));
  });
  return byPath.length ? scope(byPath) : { by: "any", why: "match" };
}

/**
 * The operation a `METHOD /path` names, by template (`/agents/{agent_id}`) or by a request's path with ids
 * (`/threads/{id}/runs`, `/threads/1f0…`): the template it matches with the most literal segments, as a
 * router picks `/threads/count` over `/threads/{thread_id}`.
 */
export function resolveOperation(operations: DocOperation[], name: string): string | undefined {
  const [method, path] = name.split(" ");
  if (!method || !path) return undefined;
  const exact = operations.find((o) => o.method === method && o.path === path);
  if (exact) return exact.operationId;
  const segments = path.split("/");
  let best: { id: string; literal: number } | undefined;
  for (const o of operations) {
    if (o.method !== method) continue;
    const t = o.path.split("/");
    if (t.length !== segments.length) continue;
    const param = t.map((s) => /^\{[^}]+\}$/.test(s));
    if (!t.every((s, i) => (param[i] ? segments[i] !== "" : s === segments[i]))) continue;
    const literal = param.filter((p) => !p).length;
    if (!best || literal > best.literal) best = { id: o.operationId, literal };
  }
  return best?.id;
}

/** Whether a finding is on an operation the fault changes (a finding naming no operation is on none). */
export const inScope = (scope: FaultScope, operations: string[]) => scope.by === "any" || operations.some((id) => scope.operations.includes(id));
