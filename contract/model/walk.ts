/** Visits every schema object of an OpenAPI document (and their subschemas), knowing which members hold schemas. */
import { escapeToken } from "./refs.ts";
import type { JsonSchemaObject } from "./types.ts";

type Visit = (schema: JsonSchemaObject, pointer: string) => void;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const at = (base: string, ...tokens: (string | number)[]) => base + tokens.map((t) => "/" + escapeToken(String(t))).join("");

const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const SCHEMA_SINGLES = ["items", "additionalItems", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Visits a schema and its subschemas, parents before children. */
function walkSchema(schema: unknown, ptr: string, visit: Visit): void {
  if (!isObj(schema)) return;
  visit(schema, ptr);
  for (const k of SCHEMA_MAPS) {
    const m = schema[k];
    if (isObj(m)) for (const [name, sub] of Object.entries(m)) walkSchema(sub, at(ptr, k, name), visit);
  }
  for (const k of SCHEMA_SINGLES) if (isObj(schema[k])) walkSchema(schema[k], at(ptr, k), visit);
  for (const k of SCHEMA_LISTS) {
    const list = schema[k];
    if (Array.isArray(list)) list.forEach((sub, i) => walkSchema(sub, at(ptr, k, i), visit));
  }
}

const walkContent = (content: unknown, ptr: string, visit: Visit) => {
  if (isObj(content)) for (const [mt, media] of Object.entries(content)) if (isObj(media)) walkSchema(media.schema, at(ptr, mt, "schema"), visit);
};
const walkParameterLike = (p: unknown, ptr: string, visit: Visit) => {
  if (!isObj(p)) return;
  walkSchema(p.schema, at(ptr, "schema"), visit);
  walkContent(p.content, at(ptr, "content"), visit);
};
const walkResponse = (r: unknown, ptr: string, visit: Visit) => {
  if (!isObj(r)) return;
  walkContent(r.content, at(ptr, "content"), visit);
  if (isObj(r.headers)) for (const [name, h] of Object.entries(r.headers)) walkParameterLike(h, at(ptr, "headers", name), visit);
};
const walkOperation = (op: unknown, ptr: string, visit: Visit) => {
  if (!isObj(op)) return;
  if (Array.isArray(op.parameters)) op.parameters.forEach((p, i) => walkParameterLike(p, at(ptr, "parameters", i), visit));
  if (isObj(op.requestBody)) walkContent(op.requestBody.content, at(ptr, "requestBody", "content"), visit);
  if (isObj(op.responses)) for (const [status, r] of Object.entries(op.responses)) walkResponse(r, at(ptr, "responses", status), visit);
  if (isObj(op.callbacks)) for (const [name, cb] of Object.entries(op.callbacks)) if (isObj(cb)) for (const [expr, item] of Object.entries(cb)) walkPathItem(item, at(ptr, "callbacks", name, expr), visit);
};
function walkPathItem(item: unknown, ptr: string, visit: Visit): void {
  if (!isObj(item)) return;
  if (Array.isArray(item.parameters)) item.parameters.forEach((p, i) => walkParameterLike(p, at(ptr, "parameters", i), visit));
  for (const m of METHODS) walkOperation(item[m], at(ptr, m), visit);
}

/** Every schema object in the document with its pointer ("#/components/schemas/Thread/properties/values" …). */
export function forEachSchema(doc: unknown, visit: Visit): void {
  if (!isObj(doc)) return;
  for (const key of ["paths", "webhooks"]) {
    const items = doc[key];
    if (isObj(items)) for (const [path, item] of Object.entries(items)) walkPathItem(item, at("#", key, path), visit);
  }
  const c = doc.components;
  if (!isObj(c)) return;
  const each = (key: string, fn: (v: unknown, ptr: string, visit: Visit) => void) => {
    const m = c[key];
    if (isObj(m)) for (const [name, v] of Object.entries(m)) fn(v, at("#", "components", key, name), visit);
  };
  each("schemas", walkSchema);
  each("parameters", walkParameterLike);
  each("headers", walkParameterLike);
  each("responses", walkResponse);
  each("requestBodies", (rb, ptr, v) => isObj(rb) && walkContent(rb.content, at(ptr, "content"), v));
  each("pathItems", walkPathItem);
  each("callbacks", (cb, ptr, v) => {
    if (isObj(cb)) for (const [expr, item] of Object.entries(cb)) walkPathItem(item, at(ptr, expr), v);
  });
}
