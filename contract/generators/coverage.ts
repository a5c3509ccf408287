/**
 * The coverage cases of an operation: a fixed list derived from its schemas, the same for a given base
 * request, so every profile sends them all. Valid cases: each optional body property and query parameter
 * alone, each enum value, the values at each bound (minimum, maximum, minLength, maxLength, minItems,
 * maxItems). Invalid cases: each required property or parameter left out in turn, the whole body left out,
 * each value just outside a bound, a wrong type per field, a value out of its enum, malformed JSON, each path
 * parameter that breaks its schema (an id that is not a uuid). Every
 * valid case is checked valid and every invalid one invalid by the document's own validator, so a case the
 * document allows is never expected to be refused. Properties the caller omits (a webhook the target would
 * call) are never sent.
 */
import fc from "fast-check";
import type { JsonSchema, JsonSchemaObject, Operation, Parameter } from "../model/types.ts";
import type { Validator } from "../model/validator.ts";
import { arbitraryFor, genContext, type GenContext } from "./arbitrary.ts";
import { flatten } from "./merge.ts";
import { contexts, jsonMedia, mutations, paramSchema, serializeParam, type GeneratedRequest, type RequestOptions } from "./requests.ts";

export interface CoverageCase {
  /** Stable and unique within the operation, e.g. "body/agent_id missing" or "query/page_size=100 (maximum)". */
  name: string;
  valid: boolean;
  request: GeneratedRequest;
  /** The case is its path (a path parameter made invalid): sent as built, never pointed at a fresh resource. */
  keepPath?: true;
}

/** Invalid variants are made this deep into a body ("/a/b"); deeper ones repeat the same rules. */
const MAX_DEPTH = 2;
/** Strings at a length bound are built only up to this length. */
const MAX_BUILT_LENGTH = 10_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const depth = (pointer: string) => (pointer === "" ? 0 : pointer.split("/").length - 1);

/** Deterministic sample of a valid value (the same for the same seed). */
const sampleOf = (schema: JsonSchema, ctx: GenContext, seed: number): unknown[] => {
  try {
    return fc.sample(arbitraryFor(schema, ctx), { seed, numRuns: 1 });
  } catch {
    return [];
  }
};

/** Values at the edges a schema allows, each with what it is: enum values, bounds, lengths, item counts. */
export function edgeValues(schema: JsonSchema, ctx: GenContext, seed: number): { label: string; value: unknown }[] {
  if (typeof schema !== "object") return [];
  const flat = flatten(ctx.document, schema).schema;
  if (!flat) return [];
  const out: { label: string; value: unknown }[] = [];
  if ("const" in flat) out.push({ label: "the constant", value: flat.const });
  for (const v of flat.enum ?? []) out.push({ label: "enum value", value: v });
  for (const key of ["anyOf", "oneOf"] as const) for (const branch of flat[key] ?? []) out.push(...edgeValues(branch, ctx, seed));
  const types = flat.type === undefined ? [] : Array.isArray(flat.type) ? flat.type : [flat.type];
  const integer = types.includes("integer") && !types.includes("number");
  if (flat.minimum !== undefined) out.push({ label: "minimum", value: flat.minimum });
  if (flat.maximum !== undefined) out.push({ label: "maximum", value: flat.maximum });
  if (integer && flat.exclusiveMinimum !== undefined) out.push({ label: "just above the exclusive minimum", value: flat.exclusiveMinimum + 1 });
  if (integer && flat.exclusiveMaximum !== undefined) out.push({ label: "just below the exclusive maximum", value: flat.exclusiveMaximum - 1 });
  if (types.includes("string") && flat.format === undefined && flat.pattern === undefined) {
    if (flat.minLength !== undefined && flat.minLength > 0) out.push({ label: `minLength ${flat.minLength}`, value: "a".repeat(flat.minLength) });
    if (flat.maxLength !== undefined && flat.maxLength <= MAX_BUILT_LENGTH) out.push({ label: `maxLength ${flat.maxLength}`, value: "a".repeat(flat.maxLength) });
  }
  if (types.includes("array") || flat.items !== undefined) {
    const items = typeof flat.items === "object" ? flatten(ctx.document, flat.items).schema : undefined;
    // An array of enum values: each value alone.
    for (const v of (items ? items.enum : undefined) ?? []) out.push({ label: "enum item", value: [v] });
    const [item] = flat.items !== undefined ? sampleOf(flat.items, ctx, seed) : [null];
    const fill = (n: number) => (flat.uniqueItems ? [] : Array.from({ length: n }, () => item));
    if (flat.minItems !== undefined && flat.minItems > 0) out.push({ label: `minItems ${flat.minItems}`, value: fill(flat.minItems) });
    if (flat.maxItems !== undefined && flat.maxItems <= 100) out.push({ label: `maxItems ${flat.maxItems}`, value: fill(flat.maxItems) });
  }
  return out;
}

const short = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
};

/** The properties of an object schema (refs and allOf flattened), with which are required. */
function objectShape(schema: JsonSchema, document: unknown): { properties: Record<string, JsonSchema>; required: string[] } | undefined {
  if (typeof schema !== "object") return undefined;
  const flat: JsonSchemaObject | false = flatten(document, schema).schema;
  return flat && flat.properties ? { properties: flat.properties, required: flat.required ?? [] } : undefined;
}

/**
 * Every coverage case of an operation around a valid `base` request (required parameters and required body
 * properties only, already pointed at real resources). `seed` picks the values of the optional fields.
 */
export function coverageCases(op: Operation, validator: Validator, base: GeneratedRequest, options: RequestOptions & { seed: number; omit?: (property: string) => boolean }): CoverageCase[] {
  const ctxs = contexts(validator, options);
  const gen = genContext(validator, { maxRecursion: options.maxRecursion });
  const out: CoverageCase[] = [];
  const seen = new Set<string>();
  const add = (name: string, valid: boolean, request: GeneratedRequest, keepPath = false) => {
    const key = `${valid}|${JSON.stringify([request.path, request.query, request.headers, request.body])}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ name, valid, request, ...(keepPath ? { keepPath: true as const } : {}) });
  };
  const invalidOf = (req: GeneratedRequest, keep: (where: string, target: string, path: string) => boolean) => {
    for (const m of mutations(op, req, gen, options)) {
      if (m.mutation.location === "body" && depth(m.mutation.path) > MAX_DEPTH) continue;
      if (!keep(m.mutation.location, m.mutation.target, m.mutation.path)) continue;
      const { mutation, ...request } = m;
      add(mutation.description, false, request);
    }
  };

  // The base itself is left out: the positive family sends valid requests. Its single mutations are the
  // required fields left out, the whole body left out, and what is wrong with each value it carries.
  invalidOf(base, () => true);

  // Path parameters point at real resources, so no generated case varies them: here each is made invalid
  // for its own schema in turn (an id that is not the uuid its format asks for), expected refused.
  for (const m of mutations(op, base, gen, { ...options, fixed: { ...options.fixed, path: {} } })) {
    if (m.mutation.location !== "path") continue;
    const { mutation, ...request } = m;
    add(mutation.description, false, request, true);
  }

  // Query parameters: each optional one alone, and each edge value of every one.
  const fixedQuery = options.fixed?.query ?? {};
  const queryValid = (p: Parameter, value: unknown) => {
    const sent = serializeParam(p, value);
    return sent !== undefined && validator.matches(paramSchema(p), value);
  };
  for (const p of op.parameters.filter((x) => x.in === "query" && fixedQuery[x.name] === undefined)) {
    const withParam = (value: unknown): GeneratedRequest => ({ ...base, query: { ...base.query, [p.name]: value } });
    if (!(p.name in base.query)) {
      const [value] = sampleOf(paramSchema(p), ctxs.query, options.seed);
      if (value !== undefined && queryValid(p, value)) {
        const req = withParam(value);
        add(`query parameter "${p.name}" alone (${short(value)})`, true, req);
        invalidOf(req, (where, target) => where === "query" && target === p.name);
      }
    }
    for (const e of edgeValues(paramSchema(p), ctxs.query, options.seed)) {
      if (queryValid(p, e.value)) add(`query parameter "${p.name}" = ${short(e.value)} (${e.label})`, true, withParam(e.value));
    }
  }

  // Body properties: each optional one alone, and each edge value of every top-level property.
  const media = jsonMedia(op);
  const shape = media && objectShape(media.schema!, validator.spec.document);
  if (media && shape) {
    const baseBody = base.body && "value" in base.body && isObject(base.body.value) ? base.body.value : {};
    const withProp = (name: string, value: unknown): GeneratedRequest => ({ ...base, body: { mediaType: media.mediaType, value: { ...baseBody, [name]: value } } });
    const bodyValid = (req: GeneratedRequest) => req.body !== undefined && "value" in req.body && validator.matches(media.schema!, req.body.value);
    for (const [name, schema] of Object.entries(shape.properties)) {
      if (options.omit?.(name)) continue;
      if (!(name in baseBody)) {
        const [value] = sampleOf(schema, ctxs.json, options.seed);
        const req = withProp(name, value);
        if (value !== undefined && bodyValid(req)) {
          add(`body property "${name}" alone`, true, req);
          invalidOf(req, (where, _target, path) => where === "body" && (path === `/${name}` || path.startsWith(`/${name}/`)));
        }
      }
      for (const e of edgeValues(schema, ctxs.json, options.seed)) {
        const req = withProp(name, e.value);
        if (bodyValid(req)) add(`body property "${name}" = ${short(e.value)} (${e.label})`, true, req);
      }
    }
  }
  return out;
}
