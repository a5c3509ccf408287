/**
 * Labelled invalid variants of a valid value: each changes one thing (a type, a bound, a required property …)
 * and is kept only when the validator confirms the result is invalid, so negative tests never send a value the
 * document actually allows.
 */
import fc from "fast-check";
import type { JsonSchema, JsonSchemaObject, JsonType } from "../model/types.ts";
import { arbitraryFor, type GenContext } from "./arbitrary.ts";
import { filtered } from "./filter.ts";
import { badFormatCandidates, formatCheck } from "./formats.ts";
import { flatten } from "./merge.ts";

export type InvalidKind =
  | "wrong-type"
  | "missing-required"
  | "unexpected-property"
  | "not-in-enum"
  | "below-minimum"
  | "above-maximum"
  | "not-multiple-of"
  | "too-short"
  | "too-long"
  | "too-few-items"
  | "too-many-items"
  | "duplicate-items"
  | "pattern-mismatch"
  | "bad-format";

export interface InvalidVariant {
  kind: InvalidKind;
  /** JSON pointer of the changed spot ("" for the value itself). */
  path: string;
  description: string;
  value: unknown;
}

/** Malformed JSON text for a body (the value cannot be parsed at all). */
export interface MalformedJson {
  kind: "malformed-json";
  path: "";
  description: string;
  text: string;
}

const REMOVE = Symbol("remove");
const MAX_LENGTH_VARIANT = 100_000;
/** Variants are made for the first few items of an array only; later items repeat the same rules. */
const ITEMS_VISITED = 2;

interface Candidate {
  kind: InvalidKind;
  tokens: string[];
  description: string;
  replacement: unknown;
}

export function invalidVariants(schema: JsonSchema, value: unknown, ctx: GenContext): InvalidVariant[] {
  const candidates: Candidate[] = [];
  collect(schema, value, [], ctx, candidates);
  const seen = new Set<string>();
  const out: InvalidVariant[] = [];
  for (const c of candidates) {
    const mutated = replaceAt(value, c.tokens, c.replacement);
    const key = `${c.kind}|${JSON.stringify(mutated)}`;
    if (seen.has(key) || ctx.matches(schema, mutated)) continue;
    seen.add(key);
    out.push({ kind: c.kind, path: toPointer(c.tokens), description: c.description, value: mutated });
  }
  return out;
}

/** An arbitrary of invalid variants; undefined when the schema admits every value (nothing can be wrong). */
export function invalidArbitraryFor(schema: JsonSchema, ctx: GenContext): fc.Arbitrary<InvalidVariant> | undefined {
  const valid = arbitraryFor(schema, ctx);
  const variants = (v: unknown) => invalidVariants(schema, v, ctx);
  if (!fc.sample(valid, { numRuns: 20, seed: 1 }).some((v) => variants(v).length > 0)) return undefined;
  return filtered(valid.map(variants), (list) => list.length > 0, "some invalid variant").chain((list) => fc.constantFrom(...list));
}

/** Texts that are not JSON at all, derived from a valid body. */
export function malformedJson(value: unknown): MalformedJson[] {
  const text = JSON.stringify(value) ?? "null";
  const candidates: [string, string][] = [
    [text.length > 1 ? text.slice(0, -1) : "{", "JSON text cut short by one character"],
    [`${text},`, "trailing comma after the JSON value"],
    ["{'single': 'quotes'}", "single-quoted JSON"],
  ];
  return candidates.filter(([t]) => !parses(t)).map(([t, description]) => ({ kind: "malformed-json", path: "", description, text: t }));
}

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const toPointer = (tokens: string[]) => tokens.map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
const where = (tokens: string[]) => toPointer(tokens) || "(root)";

function replaceAt(value: unknown, tokens: string[], replacement: unknown): unknown {
  if (tokens.length === 0) return replacement;
  const root = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  let node: Record<string, unknown> = root;
  for (const t of tokens.slice(0, -1)) node = node[t] as Record<string, unknown>;
  const last = tokens[tokens.length - 1]!;
  if (replacement === REMOVE) delete node[last];
  else node[last] = replacement;
  return root;
}

const jsonType = (v: unknown): JsonType =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : (typeof v as JsonType);

interface Effective {
  schema: JsonSchemaObject;
  /** Types the value may have here: declared, or those of the anyOf/oneOf branches taken together. */
  types: JsonType[];
}

const declared = (s: JsonSchemaObject): JsonType[] => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/** The schema that actually applies at this spot: refs and allOf flattened, the matching anyOf/oneOf branch merged in. */
function effective(schema: JsonSchema, value: unknown, ctx: GenContext): Effective | undefined {
  if (typeof schema === "boolean") return undefined;
  const flat = flatten(ctx.document, schema).schema;
  if (flat === false) return undefined;
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = flat[key];
    if (!branches) continue;
    const rest: JsonSchemaObject = { ...flat };
    delete rest[key];
    const branch = branches.find((b) => ctx.matches(b, value));
    const merged = branch === undefined ? { schema: rest, types: declared(rest) } : effective({ allOf: [rest, branch] }, value, ctx);
    if (!merged) return undefined;
    const branchTypes = branches.map((b) => effective(b, value, ctx)?.types ?? []);
    const typedBranches = declared(rest).length === 0 && branchTypes.every((t) => t.length > 0);
    return { schema: merged.schema, types: typedBranches ? [...new Set(branchTypes.flat())] : merged.types };
  }
  return { schema: flat, types: declared(flat) };
}

/** A value of a type the schema does not allow, preferring the most natural mistake for the expected type. */
function wrongType(types: JsonType[]): unknown {
  const allowed = new Set(types);
  if (allowed.has("number")) allowed.add("integer");
  const natural: Record<JsonType, unknown> = { string: 12345, integer: "not-a-number", number: "not-a-number", boolean: "not-a-boolean", object: ["not", "an", "object"], array: { not: "an array" }, null: 0 };
  const options = [natural[types[0]!], 1.5, "text", 12345, true, {}, [], null];
  return options.find((o) => !allowed.has(jsonType(o)));
}

function notInEnum(values: unknown[]): unknown {
  const strings = values.filter((v): v is string => typeof v === "string");
  const numbers = values.filter((v): v is number => typeof v === "number");
  const options: unknown[] = [];
  if (strings.length) options.push(`${strings[0]}_not_allowed`, "");
  if (numbers.length) options.push(Math.max(...numbers) + 1);
  options.push("not-an-allowed-value", -1);
  return options.find((o) => !values.some((v) => JSON.stringify(v) === JSON.stringify(o)));
}

const codePoints = (s: string) => [...s];

function collect(schema: JsonSchema, value: unknown, tokens: string[], ctx: GenContext, out: Candidate[]): void {
  const e = effective(schema, value, ctx);
  if (!e) return;
  const s = e.schema;
  const types = e.types;
  const add = (kind: InvalidKind, description: string, replacement: unknown, at: string[] = tokens) => out.push({ kind, tokens: at, description: `${where(at)}: ${description}`, replacement });

  if (types.length > 0) {
    const wrong = wrongType(types);
    add("wrong-type", `${JSON.stringify(wrong)} where ${types.join(" or ")} is required`, wrong);
  }
  if ("const" in s) {
    const other = typeof s.const === "string" ? `${s.const}_other` : typeof s.const === "number" ? s.const + 1 : typeof s.const === "boolean" ? !s.const : "other";
    add("not-in-enum", `${JSON.stringify(other)} instead of the constant ${JSON.stringify(s.const)}`, other);
  }
  if (Array.isArray(s.enum)) {
    const other = notInEnum(s.enum);
    if (other !== undefined) add("not-in-enum", `${JSON.stringify(other)} is not one of the allowed values`, other);
  }

  if (typeof value === "string") stringVariants(s, value, add);
  else if (typeof value === "number") numberVariants(s, value, types, add);
  else if (Array.isArray(value)) {
    if (s.minItems !== undefined && s.minItems > 0) add("too-few-items", `${s.minItems - 1} items, fewer than minItems ${s.minItems}`, value.slice(0, s.minItems - 1));
    if (s.maxItems !== undefined && s.maxItems < MAX_LENGTH_VARIANT) {
      const filler = value[0] ?? null;
      add("too-many-items", `${s.maxItems + 1} items, more than maxItems ${s.maxItems}`, [...value, ...Array(s.maxItems + 1 - value.length).fill(filler)]);
    }
    if (s.uniqueItems && value.length > 0) add("duplicate-items", "the first item repeated although items must be unique", [...value, value[0]]);
    value.slice(0, ITEMS_VISITED).forEach((item, i) => {
      const sub = s.prefixItems?.[i] ?? s.items;
      if (sub !== undefined) collect(sub, item, [...tokens, String(i)], ctx, out);
    });
  } else if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const name of s.required ?? []) if (name in obj) add("missing-required", `required property "${name}" left out`, REMOVE, [...tokens, name]);
    if (s.additionalProperties === false) {
      let extra = "unexpected_property";
      while (extra in obj || (s.properties && extra in s.properties)) extra += "_";
      add("unexpected-property", `property "${extra}" added where additional properties are not allowed`, true, [...tokens, extra]);
    }
    for (const [name, v] of Object.entries(obj)) {
      const sub = s.properties?.[name] ?? patternSchema(s, name) ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined);
      if (sub !== undefined) collect(sub, v, [...tokens, name], ctx, out);
    }
  }
}

function patternSchema(s: JsonSchemaObject, name: string): JsonSchema | undefined {
  const pp = s.patternProperties as Record<string, JsonSchema> | undefined;
  return pp ? Object.entries(pp).find(([re]) => new RegExp(re, "u").test(name))?.[1] : undefined;
}

type Add = (kind: InvalidKind, description: string, replacement: unknown) => void;

function stringVariants(s: JsonSchemaObject, value: string, add: Add): void {
  const min = s.minLength ?? 0;
  const max = s.maxLength;
  if (max !== undefined && max < MAX_LENGTH_VARIANT) add("too-long", `${max + 1} characters, more than maxLength ${max}`, "x".repeat(max + 1));
  if (min > 0) add("too-short", `${min - 1} characters, fewer than minLength ${min}`, codePoints(value).slice(0, min - 1).join(""));
  // Replacements keep a valid length so the label names the only thing wrong.
  const fits = (t: string) => codePoints(t).length >= min && (max === undefined || codePoints(t).length <= max);
  const padded = (t: string) => (codePoints(t).length >= min ? t : t + "!".repeat(min - codePoints(t).length));
  if (s.pattern !== undefined) {
    const re = new RegExp(s.pattern, "u");
    const bad = ["", "!", " ", "~~~", "0", "a", "\n"].map(padded).find((t) => fits(t) && !re.test(t));
    if (bad !== undefined) add("pattern-mismatch", `${JSON.stringify(bad)} does not match the pattern ${s.pattern}`, bad);
  }
  const check = s.format === undefined ? undefined : formatCheck(s.format);
  if (check) {
    const bad = badFormatCandidates(s.format!).map(padded).find((t) => fits(t) && !check(t));
    if (bad !== undefined) add("bad-format", `${JSON.stringify(bad)} is not a valid ${s.format}`, bad);
  }
}

function numberVariants(s: JsonSchemaObject, value: number, types: JsonType[], add: Add): void {
  const step = types.includes("integer") && !types.includes("number") ? 1 : Math.max(1, Math.abs(value) * 1e-6);
  if (s.minimum !== undefined) add("below-minimum", `${s.minimum - step} is below the minimum ${s.minimum}`, s.minimum - step);
  if (s.exclusiveMinimum !== undefined) add("below-minimum", `${s.exclusiveMinimum} equals the exclusive minimum`, s.exclusiveMinimum);
  if (s.maximum !== undefined) add("above-maximum", `${s.maximum + step} is above the maximum ${s.maximum}`, s.maximum + step);
  if (s.exclusiveMaximum !== undefined) add("above-maximum", `${s.exclusiveMaximum} equals the exclusive maximum`, s.exclusiveMaximum);
  if (s.multipleOf !== undefined) add("not-multiple-of", `${value + s.multipleOf / 2} is not a multiple of ${s.multipleOf}`, value + s.multipleOf / 2);
}
