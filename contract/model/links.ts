/**
 * Links between operations: a value in one operation's response that feeds a parameter or a body property
 * of another. The document's own `links` are taken as written; where it declares none, links are inferred
 * from names and schemas alone — an identifier field of a success response (`thread_id`, or `id` of the
 * resource a path names) feeds the path parameter or body property of the same name elsewhere.
 */
import { deref } from "./refs.ts";
import type { JsonSchema, JsonSchemaObject, LoadedSpec, Operation } from "./types.ts";

export interface Link {
  from: {
    operationId: string;
    /** The documented status key of the response ("201"). */
    status: string;
    /** Where the value is in the response body, as a JSON pointer; `*` stands for every item of an array. */
    field: string;
  };
  to: { operationId: string; in: "path" | "query" | "header" | "body"; name: string };
  origin: "document" | "inferred";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** An identifier by its name: `id`, `thread_id`, `assistantId`. */
const isIdentifier = (name: string) => name === "id" || /(_id|Id)$/.test(name);

/** The properties of an object schema, through `$ref`s and `allOf`. */
function propertiesOf(doc: unknown, schema: JsonSchema | undefined, depth = 0): Record<string, JsonSchema> {
  const s = deref<JsonSchemaObject>(doc, schema as JsonSchemaObject).value;
  if (!isObject(s) || depth > 8) return {};
  const own = isObject(s.properties) ? (s.properties as Record<string, JsonSchema>) : {};
  return Object.assign({}, ...(Array.isArray(s.allOf) ? s.allOf.map((m) => propertiesOf(doc, m, depth + 1)) : []), own);
}

/** Identifier fields of a response schema: its own properties ("/id"), or those of its array's items ("/*\/id"). */
function identifierFields(doc: unknown, schema: JsonSchema | undefined): { pointer: string; name: string }[] {
  const s = deref<JsonSchemaObject>(doc, schema as JsonSchemaObject).value;
  if (!isObject(s)) return [];
  const items = s.type === "array" || (s.items !== undefined && s.properties === undefined) ? s.items : undefined;
  const [prefix, props] = items !== undefined ? ["/*", propertiesOf(doc, items)] : ["", propertiesOf(doc, s)];
  return Object.keys(props)
    .filter(isIdentifier)
    .map((name) => ({ pointer: `${prefix}/${name}`, name }));
}

const successes = (op: Operation) => op.responses.filter((r) => /^2\d\d$/.test(r.status));
const jsonSchemaOf = (r: Operation["responses"][number]) => r.content.find((c) => /json/i.test(c.mediaType))?.schema;
const refOf = (schema: JsonSchema | undefined) => (isObject(schema) && typeof schema.$ref === "string" ? schema.$ref : undefined);

/**
 * What a bare `id` of an operation's response names: the path parameter of the item the same schema is read
 * at (`GET /agents/{agent_id}` answers the schema `POST /agents` and `POST /agents/{agent_id}/clone`
 * answer), or else the one that follows the operation's own path (`POST /threads` → `/threads/{thread_id}`).
 */
function resourceOf(op: Operation, schema: JsonSchema | undefined, all: Operation[]): string | undefined {
  const ref = refOf(schema);
  if (ref) {
    for (const other of all) {
      const last = /\/\{([^}]+)\}$/.exec(other.path)?.[1];
      if (last && other.method === "GET" && successes(other).some((r) => refOf(jsonSchemaOf(r)) === ref)) return last;
    }
  }
  for (const other of all) {
    const m = new RegExp(`^${op.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/\\{([^}]+)\\}`).exec(other.path);
    if (m) return m[1];
  }
  return undefined;
}

/** Top-level properties of an operation's JSON request body. */
const bodyProperties = (doc: unknown, op: Operation) => Object.keys(propertiesOf(doc, op.requestBody?.content.find((c) => /json/i.test(c.mediaType))?.schema));

/** Links inferred from names and schemas (see the module comment). */
export function inferLinks(spec: LoadedSpec, ops: Operation[]): Link[] {
  const doc = spec.document;
  const links: Link[] = [];
  for (const from of ops) {
    for (const r of successes(from)) {
      const schema = jsonSchemaOf(r);
      for (const field of identifierFields(doc, schema)) {
        const name = field.name === "id" ? resourceOf(from, schema, ops) : field.name;
        if (!name) continue;
        for (const to of ops) {
          if (to === from) continue;
          const source = { operationId: from.operationId, status: r.status, field: field.pointer };
          for (const p of to.parameters.filter((x) => x.in === "path" && x.name === name)) links.push({ from: source, to: { operationId: to.operationId, in: "path", name: p.name }, origin: "inferred" });
          if (bodyProperties(doc, to).includes(name)) links.push({ from: source, to: { operationId: to.operationId, in: "body", name }, origin: "inferred" });
        }
      }
    }
  }
  return links;
}

/** `$response.body#/a/b` → "/a/b"; other runtime expressions are not followed. */
function bodyPointer(expr: unknown): string | undefined {
  const m = typeof expr === "string" ? /^\{?\$response\.body(?:#(\/[^}]*))?\}?$/.exec(expr) : null;
  return m ? (m[1] ?? "") : undefined;
}

/** The document's own `links` (OpenAPI Link Objects naming an operationId), as far as they read response bodies. */
export function documentedLinks(spec: LoadedSpec, ops: Operation[]): Link[] {
  const doc = spec.document;
  const byId = new Map(ops.map((o) => [o.operationId, o]));
  const links: Link[] = [];
  for (const from of ops) {
    for (const r of from.responses) {
      const raw = deref<Record<string, unknown>>(doc, { $ref: `${from.pointer}/responses/${r.status}` }).value;
      const declared = isObject(raw?.links) ? raw.links : {};
      for (const entry of Object.values(declared)) {
        const link = deref<Record<string, unknown>>(doc, entry as Record<string, unknown>).value;
        const to = typeof link?.operationId === "string" ? byId.get(link.operationId) : undefined;
        if (!link || !to) continue;
        const source = (field: string) => ({ operationId: from.operationId, status: r.status, field });
        for (const [key, expr] of Object.entries(isObject(link.parameters) ? link.parameters : {})) {
          const field = bodyPointer(expr);
          const [where, name] = key.includes(".") ? (key.split(".", 2) as [string, string]) : [undefined, key];
          const p = to.parameters.find((x) => x.name === name && (where === undefined || x.in === where));
          if (field !== undefined && p && p.in !== "cookie") links.push({ from: source(field), to: { operationId: to.operationId, in: p.in, name: p.name }, origin: "document" });
        }
        for (const [name, expr] of Object.entries(isObject(link.requestBody) ? link.requestBody : {})) {
          const field = bodyPointer(expr);
          if (field !== undefined) links.push({ from: source(field), to: { operationId: to.operationId, in: "body", name }, origin: "document" });
        }
      }
    }
  }
  return links;
}

/** The document's links, and inferred ones where it declares none between the same two operations. */
export function linksOf(spec: LoadedSpec, ops: Operation[]): Link[] {
  const documented = documentedLinks(spec, ops);
  const pairs = new Set(documented.map((l) => `${l.from.operationId}>${l.to.operationId}`));
  return [...documented, ...inferLinks(spec, ops).filter((l) => !pairs.has(`${l.from.operationId}>${l.to.operationId}`))];
}
