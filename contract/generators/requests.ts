/**
 * Whole requests for an operation: valid ones (path, query, header parameters and a JSON body) and invalid
 * ones carrying exactly one labelled mutation that is confirmed invalid as the server will see it, after
 * serialisation. Credentials never come from generation: secret headers are left to the caller.
 */
import fc from "fast-check";
import type { HttpRequest } from "../../core/exchange.ts";
import { isSecretHeader } from "../../core/redact.ts";
import type { JsonSchema, Operation, Parameter } from "../model/types.ts";
import type { Validator } from "../model/validator.ts";
import { arbitraryFor, genContext, type GenContext, type TextMode } from "./arbitrary.ts";
import { filtered, GeneratorError } from "./filter.ts";
import { invalidVariants, malformedJson, type InvalidKind } from "./invalid.ts";

export type ParamValue = string | number | boolean | null | (string | number | boolean)[];
type Location = "path" | "query" | "header";

export interface GeneratedRequest {
  operationId: string;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Header parameters by their documented name. */
  headers: Record<string, unknown>;
  body?: { mediaType: string; value: unknown } | { mediaType: string; text: string };
}

export interface RequestMutation {
  location: Location | "body";
  kind: InvalidKind | "missing-parameter" | "missing-body" | "malformed-json";
  /** Parameter name, or "body". */
  target: string;
  /** JSON pointer inside the parameter value or body ("" for the whole). */
  path: string;
  description: string;
}

export interface InvalidRequest extends GeneratedRequest {
  mutation: RequestMutation;
}

export interface RequestOptions {
  /** Values used as given instead of generated ones (a real thread id, an unknown uuid …); never mutated. */
  fixed?: Partial<Record<Location, Record<string, ParamValue>>>;
  /** How deep recursive schemas nest (default 2). */
  maxRecursion?: number;
}

/** OpenAPI says these header parameters are ignored; an Accept with an enum still supplies a documented value. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

export const jsonMedia = (op: Operation) => op.requestBody?.content.find((c) => /^application\/(.+\+)?json$/i.test(c.mediaType) && c.schema !== undefined);

/** Secret headers are never filled in, not even from fixed values: credentials belong in Target.headers only. */
const secret = (p: Parameter) => p.in === "header" && isSecretHeader(p.name);

function generated(p: Parameter, options: RequestOptions): boolean {
  if (p.in === "cookie" || secret(p) || options.fixed?.[p.in]?.[p.name] !== undefined) return false;
  const lower = p.name.toLowerCase();
  return p.in !== "header" || !IGNORED_HEADERS.has(lower) || (lower === "accept" && hasEnum(p.schema));
}

const hasEnum = (s: JsonSchema | undefined) => typeof s === "object" && (Array.isArray(s.enum) || "const" in s);
export const paramSchema = (p: Parameter): JsonSchema => p.schema ?? { type: "string" };

/** An arbitrary of requests the document says are valid. */
export function requestArbitrary(op: Operation, validator: Validator, options: RequestOptions = {}): fc.Arbitrary<GeneratedRequest> {
  const ctxs = contexts(validator, options);
  const location = (where: Location) => {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    const required: string[] = [];
    for (const p of op.parameters.filter((x) => x.in === where)) {
      const fixed = options.fixed?.[where]?.[p.name];
      if (fixed !== undefined && !secret(p)) {
        model[p.name] = fc.constant(fixed);
        required.push(p.name);
      } else if (generated(p, options)) {
        const arb = arbitraryFor(paramSchema(p), ctxs[where]);
        // An empty exploded array vanishes from the query string, which would leave a required parameter out.
        model[p.name] = p.required ? filtered(arb, (v) => serializeParam(p, v) !== undefined, `required parameter ${p.name}`) : arb;
        if (p.required) required.push(p.name);
      }
    }
    return fc.record(model, { requiredKeys: required, noNullPrototype: true });
  };
  const media = jsonMedia(op);
  if (op.requestBody?.required && !media) {
    throw new GeneratorError(`${op.operationId}: request body media types ${op.requestBody.content.map((c) => c.mediaType).join(", ")} are not supported (JSON only)`);
  }
  const value = media ? arbitraryFor(media.schema!, ctxs.json) : undefined;
  const body: fc.Arbitrary<GeneratedRequest["body"]> = !value
    ? fc.constant(undefined)
    : op.requestBody?.required
      ? value.map((v) => ({ mediaType: media!.mediaType, value: v }))
      : fc.oneof({ arbitrary: value.map((v) => ({ mediaType: media!.mediaType, value: v })), weight: 5 }, { arbitrary: fc.constant(undefined), weight: 1 });
  return fc.record({ path: location("path"), query: location("query"), headers: location("header"), body }, { noNullPrototype: true }).map((r) => ({
    operationId: op.operationId,
    path: r.path,
    query: r.query,
    headers: r.headers,
    ...(r.body ? { body: r.body } : {}),
  }));
}

export function contexts(validator: Validator, options: RequestOptions): Record<Location | "json", GenContext> {
  const make = (text: TextMode) => genContext(validator, { text, maxRecursion: options.maxRecursion });
  return { json: make("json"), path: make("path"), query: make("query"), header: make("header") };
}

/** An arbitrary of invalid requests, one labelled mutation each; undefined when nothing about the request can be wrong. */
export function invalidRequestArbitrary(op: Operation, validator: Validator, options: RequestOptions = {}): fc.Arbitrary<InvalidRequest> | undefined {
  const valid = requestArbitrary(op, validator, options);
  const ctx = genContext(validator, { maxRecursion: options.maxRecursion });
  const all = (r: GeneratedRequest) => mutations(op, r, ctx, options);
  if (!fc.sample(valid, { numRuns: 20, seed: 1 }).some((r) => all(r).length > 0)) return undefined;
  return filtered(valid.map(all), (list) => list.length > 0, "some invalid mutation").chain((list) => fc.constantFrom(...list));
}

/** Every single-mutation invalid variant of a valid request. */
export function mutations(op: Operation, req: GeneratedRequest, ctx: GenContext, options: RequestOptions = {}): InvalidRequest[] {
  const out: InvalidRequest[] = [];
  const bucket = (where: Location) => (where === "header" ? "headers" : where);
  for (const p of op.parameters) {
    if (p.in === "cookie" || !generated(p, options)) continue;
    const where = p.in;
    const values = req[bucket(where)];
    const mutate = (value: unknown, m: Omit<RequestMutation, "location" | "target">) => {
      const next = { ...values };
      if (value === undefined) delete next[p.name];
      else next[p.name] = value;
      out.push({ ...req, [bucket(where)]: next, mutation: { location: where, target: p.name, ...m } });
    };
    if (!(p.name in values)) continue;
    if (p.required && where !== "path") mutate(undefined, { kind: "missing-parameter", path: "", description: `required ${where} parameter "${p.name}" left out` });
    for (const variant of invalidVariants(paramSchema(p), values[p.name], ctx)) {
      // On the wire every parameter is text: a type mistake is only expressible as text that does not parse.
      if (variant.kind === "wrong-type" && typeof variant.value !== "string") continue;
      const sent = serializeParam(p, variant.value);
      // A path segment that is empty, or a value that reads back as valid once it is text, is not a negative input.
      if (sent === undefined || (where === "path" && sent === "") || readsBackValid(p, sent, ctx)) continue;
      mutate(variant.value, { kind: variant.kind, path: variant.path, description: `${where} parameter "${p.name}" ${variant.description}` });
    }
  }
  const media = jsonMedia(op);
  if (media) {
    if (req.body && "value" in req.body) {
      const body = req.body;
      const withBody = (b: GeneratedRequest["body"], m: Omit<RequestMutation, "location" | "target">) => out.push({ ...req, body: b, mutation: { location: "body", target: "body", ...m } });
      for (const v of invalidVariants(media.schema!, body.value, ctx)) withBody({ mediaType: body.mediaType, value: v.value }, { kind: v.kind, path: v.path, description: `body ${v.description}` });
      for (const m of malformedJson(body.value)) withBody({ mediaType: body.mediaType, text: m.text }, { kind: m.kind, path: "", description: `body: ${m.description}` });
    }
    if (op.requestBody?.required) {
      const { body: _omitted, ...rest } = req;
      out.push({ ...rest, mutation: { location: "body", kind: "missing-body", target: "body", path: "", description: "required body left out" } });
    }
  }
  return out;
}

// ---- serialisation (OpenAPI defaults: form/explode for query, simple for path and header) ----

const primitive = (v: unknown): string => (v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** The text a parameter value becomes: one string, several (exploded query arrays), or undefined when it is dropped. */
export function serializeParam(p: Parameter, value: unknown): string | string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (p.in === "query" && p.explode && (p.style === "form" || p.style === "spaceDelimited" || p.style === "pipeDelimited")) return value.length ? value.map(primitive) : undefined;
    const sep = p.style === "spaceDelimited" ? " " : p.style === "pipeDelimited" ? "|" : ",";
    return value.map(primitive).join(sep);
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return p.explode ? entries.map(([k, v]) => `${k}=${primitive(v)}`).join(",") : entries.flat().map(primitive).join(",");
  }
  return primitive(value);
}

/** Lenient reading of parameter text, as a server coercing types would do; true when some reading is valid. */
function readsBackValid(p: Parameter, sent: string | string[], ctx: GenContext): boolean {
  const readings = (raw: string): unknown[] => {
    const out: unknown[] = [raw];
    if (raw.trim() !== "" && !Number.isNaN(Number(raw))) out.push(Number(raw));
    if (raw === "true" || raw === "false") out.push(raw === "true");
    if (raw === "" || raw === "null") out.push(null);
    return out;
  };
  const schema = paramSchema(p);
  const list = Array.isArray(sent) ? sent : typeof sent === "string" && sent.includes(",") ? sent.split(",") : [sent];
  const items = itemsOf(schema);
  const candidates: unknown[] = [list.map((raw) => readings(raw).find((r) => ctx.matches(items, r)) ?? raw)];
  if (!Array.isArray(sent)) candidates.push(...readings(sent));
  return candidates.some((c) => ctx.matches(schema, c));
}

/** The item schema of an array parameter (directly or in an anyOf/oneOf branch); anything when there is none. */
function itemsOf(schema: JsonSchema): JsonSchema {
  if (typeof schema !== "object") return true;
  if (schema.items !== undefined) return schema.items;
  const branch = (schema.anyOf ?? schema.oneOf ?? []).find((b) => typeof b === "object" && b.items !== undefined);
  return typeof branch === "object" ? branch.items! : true;
}

export interface Target {
  /** Base URL the document's paths are appended to, e.g. "http://127.0.0.1:2024" or ".../v1/deepagents". */
  baseUrl: string;
  /** Sent last and winning over everything generated (credentials go here). */
  headers?: Record<string, string>;
}

/** Turns a generated request into the HttpRequest the suite sends. */
export function toHttpRequest(req: GeneratedRequest, op: Operation, target: Target): HttpRequest {
  const byName = new Map(op.parameters.map((p) => [`${p.in}:${p.name}`, p]));
  const path = op.path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const p = byName.get(`path:${name}`);
    const sent = p ? serializeParam(p, req.path[name]) : undefined;
    return sent === undefined ? whole : encodeURIComponent(Array.isArray(sent) ? sent.join(",") : sent);
  });
  const query: string[] = [];
  for (const [name, value] of Object.entries(req.query)) {
    const p = byName.get(`query:${name}`);
    if (!p) continue;
    if (p.style === "deepObject" && value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) query.push(`${encodeURIComponent(`${name}[${k}]`)}=${encodeURIComponent(primitive(v))}`);
      continue;
    }
    const sent = serializeParam(p, value);
    for (const s of sent === undefined ? [] : Array.isArray(sent) ? sent : [sent]) query.push(`${encodeURIComponent(name)}=${encodeURIComponent(s)}`);
  }
  const headers: Record<string, string> = { accept: acceptFor(op) };
  for (const [name, value] of Object.entries(req.headers)) {
    const p = byName.get(`header:${name}`);
    const sent = p ? serializeParam(p, value) : primitive(value);
    if (sent !== undefined) headers[name.toLowerCase()] = Array.isArray(sent) ? sent.join(",") : sent;
  }
  let body: string | undefined;
  if (req.body) {
    headers["content-type"] = req.body.mediaType;
    body = "text" in req.body ? req.body.text : JSON.stringify(req.body.value);
  }
  for (const [name, value] of Object.entries(target.headers ?? {})) headers[name.toLowerCase()] = value;
  const base = target.baseUrl.replace(/\/+$/, "");
  return { method: op.method, url: `${base}${path}${query.length ? `?${query.join("&")}` : ""}`, headers, ...(body !== undefined ? { body } : {}) };
}

/** What a client reading the document would accept: every documented response media type. */
function acceptFor(op: Operation): string {
  const types = [...new Set(op.responses.flatMap((r) => r.content.map((c) => c.mediaType)))];
  return types.length ? types.join(", ") : "*/*";
}
