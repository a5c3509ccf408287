/**
 * JSON Schema → fast-check arbitrary. Values are valid by construction where the keywords allow it; the few
 * constraints that cannot be built directly (oneOf exclusivity, lossy allOf merges, not, if/then/else …) are
 * enforced by filtering with the spec's validator, so generation and judgement always agree.
 */
import fc from "fast-check";
import { deref } from "../model/refs.ts";
import type { JsonSchema, JsonSchemaObject, JsonType } from "../model/types.ts";
import type { Validator } from "../model/validator.ts";
import { formatArbitrary, NUMERIC_FORMAT_BOUNDS } from "./formats.ts";
import { filtered, GeneratorError } from "./filter.ts";
import { ANNOTATIONS, flatten } from "./merge.ts";

export { GeneratorError } from "./filter.ts";

/** Where a string ends up decides its alphabet: JSON takes anything, a path segment or header does not. */
export type TextMode = "json" | "path" | "query" | "header";

export interface GenContext {
  document: unknown;
  /** Exact check of a value against a schema (the spec validator's `matches`). */
  matches: (schema: JsonSchema, value: unknown) => boolean;
  /** How many times a recursive `$ref` may nest inside itself (default 2). */
  maxRecursion: number;
  text: TextMode;
}

export function genContext(validator: Validator, options: { maxRecursion?: number; text?: TextMode } = {}): GenContext {
  return { document: validator.spec.document, matches: validator.matches, maxRecursion: options.maxRecursion ?? 2, text: options.text ?? "json" };
}

/** An arbitrary of values valid against the schema; throws GeneratorError when none can be built. */
export function arbitraryFor(schema: JsonSchema, ctx: GenContext): fc.Arbitrary<unknown> {
  const arb = new Builder(ctx).build(schema);
  if (!arb) throw new GeneratorError("no value satisfies this schema within the recursion limit");
  return arb;
}

type Arb = fc.Arbitrary<unknown>;

/** Default cap on generated collection sizes when the schema sets none: small values keep runs fast. */
const EXTRA_ITEMS = 3;
const MAX_EXTRA_KEYS = 3;
const EDGE_LENGTH_LIMIT = 4096;
const MAIN_WEIGHT = 6;

const char = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));
/**
 * One code point per unit, so lengths agree with Ajv's code-point count. JSON text is mostly printable ASCII
 * with any other code point (not a lone surrogate) mixed in.
 */
const UNITS: Record<TextMode, fc.Arbitrary<string>> = {
  json: fc.oneof({ arbitrary: char(0x20, 0x7e), weight: 8 }, { arbitrary: char(0, 0xd7ff), weight: 1 }, { arbitrary: char(0xe000, 0x10ffff), weight: 1 }),
  path: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"),
  query: char(0x20, 0x7e),
  header: char(0x21, 0x7e),
};

/** Names for extra object keys: identifier-like, as real free-form maps (metadata, config) use. */
const EXTRA_KEY = fc.tuple(char(0x61, 0x7a), fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789_"), maxLength: 9 })).map(([a, b]) => a + b);
const ANY_JSON = fc.jsonValue({ maxDepth: 2 });

const OBJECT_WORDS = ["properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties", "propertyNames"];
const ARRAY_WORDS = ["items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"];
const STRING_WORDS = ["minLength", "maxLength", "pattern"];
const NUMBER_WORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
/** Keywords built only by filtering with the validator. */
const CHECKED_WORDS = ["if", "dependentRequired", "dependentSchemas", "propertyNames", "contains", "unevaluatedProperties", "unevaluatedItems", "minProperties", "maxProperties"];

const codePoints = (s: string) => [...s].length;

/** Mostly the main arbitrary, sometimes a boundary case (shortest, longest, all optional keys …). */
function biased(main: Arb, edges: Arb[]): Arb {
  return edges.length === 0 ? main : fc.oneof({ arbitrary: main, weight: MAIN_WEIGHT }, ...edges.map((arbitrary) => ({ arbitrary, weight: 1 })));
}

/** Stable text of a JSON value with sorted keys, so uniqueness matches Ajv's deep equality. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

class Builder {
  private readonly stack = new Map<string, number>();
  private readonly memo = new Map<string, Arb | null>();
  private truncations = 0;

  constructor(private readonly ctx: GenContext) {}

  build(schema: JsonSchema): Arb | undefined {
    if (schema === true) return this.anyValue();
    if (schema === false) return undefined;
    if (schema.$ref !== undefined && Object.keys(schema).every((k) => k === "$ref" || ANNOTATIONS.has(k))) return this.ref(schema.$ref);
    if (schema.$ref !== undefined || schema.allOf !== undefined) {
      const merged = flatten(this.ctx.document, schema);
      if (merged.schema === false) return undefined;
      const arb = this.build(merged.schema);
      return arb && merged.lossy ? filtered(arb, (v) => this.ctx.matches(schema, v), "the combined allOf parts") : arb;
    }
    const arb = this.direct(schema);
    const checked = CHECKED_WORDS.filter((k) => k in schema);
    return arb && checked.length ? filtered(arb, (v) => this.ctx.matches(schema, v), checked.join(", ")) : arb;
  }

  private ref(ref: string): Arb | undefined {
    const depth = this.stack.get(ref) ?? 0;
    if (depth >= this.ctx.maxRecursion) {
      this.truncations++;
      return undefined;
    }
    const cached = this.memo.get(ref);
    if (cached !== undefined) return cached ?? undefined;
    const target = deref<JsonSchema>(this.ctx.document, { $ref: ref });
    if (target.value === undefined) throw new GeneratorError(`$ref ${ref}: ${target.broken ?? "resolves nowhere"}`);
    const before = this.truncations;
    this.stack.set(ref, depth + 1);
    const arb = this.build(target.value);
    this.stack.set(ref, depth);
    // A result that hit the recursion limit depends on the current nesting, so only complete ones are reused.
    if (this.truncations === before) this.memo.set(ref, arb ?? null);
    return arb;
  }

  private direct(s: JsonSchemaObject): Arb | undefined {
    if ("const" in s || Array.isArray(s.enum)) {
      // Listed values still have to meet the schema's other keywords (type, bounds …).
      const allowed = ("const" in s ? [s.const] : s.enum!).filter((v) => this.ctx.matches(s, v));
      return allowed.length ? fc.constantFrom(...allowed) : undefined;
    }
    if (s.anyOf !== undefined || s.oneOf !== undefined) return this.alternatives(s);
    if (s.not !== undefined) {
      const { not, ...rest } = s;
      const arb = this.build(rest);
      return arb && filtered(arb, (v) => !this.ctx.matches(not, v), "not");
    }
    const types = typesOf(s);
    if (!types) return this.anyValue();
    const arbs = types.flatMap((t) => {
      const arb = this.ofType(t, s);
      return arb ? [{ arbitrary: arb, weight: t === "null" ? 1 : 3 }] : [];
    });
    if (arbs.length === 0) return undefined;
    return arbs.length === 1 ? arbs[0]!.arbitrary : fc.oneof(...arbs);
  }

  private alternatives(s: JsonSchemaObject): Arb | undefined {
    const key = s.anyOf !== undefined ? "anyOf" : "oneOf";
    const branches = s[key]!;
    const rest: JsonSchemaObject = { ...s };
    delete rest[key];
    const withRest = Object.keys(rest).some((k) => !ANNOTATIONS.has(k));
    let arbs = branches.flatMap((branch) => {
      const arb = this.build(withRest ? { allOf: [rest, branch] } : branch);
      return arb ? [arb] : [];
    });
    if (key === "oneOf" && branches.length > 1) {
      const exactlyOne = (v: unknown) => branches.filter((b) => this.ctx.matches(b, v)).length === 1;
      // A branch whose values always match a sibling too can never be chosen; drop it rather than filter forever.
      arbs = arbs.filter((arb) => fc.sample(arb, { numRuns: 12, seed: 1 }).some(exactlyOne)).map((arb) => filtered(arb, exactlyOne, "oneOf (exactly one branch)"));
    }
    if (arbs.length === 0) return undefined;
    return arbs.length === 1 ? arbs[0] : fc.oneof(...arbs);
  }

  private ofType(t: JsonType, s: JsonSchemaObject): Arb | undefined {
    switch (t) {
      case "null": return fc.constant(null);
      case "boolean": return fc.boolean();
      case "integer": return integers(s);
      case "number": return numbers(s);
      case "string": return this.strings(s);
      case "array": return this.arrays(s);
      case "object": return this.objects(s);
    }
  }

  private anyValue(): Arb {
    return this.ctx.text === "json" ? ANY_JSON : this.strings({})!;
  }

  private strings(s: JsonSchemaObject): Arb | undefined {
    const text = this.ctx.text;
    // Empty path segments or header values do not survive the trip, so they start at one character.
    const min = Math.max(s.minLength ?? 0, text === "path" || text === "header" ? 1 : 0);
    const max = s.maxLength;
    if (max !== undefined && min > max) return undefined;
    const within = (v: string) => codePoints(v) >= min && (max === undefined || codePoints(v) <= max) && (text === "json" || [...v].every((c) => UNIT_CHECK[text](c)));
    if (s.format !== undefined) {
      const arb = formatArbitrary(s.format);
      if (arb) return s.pattern === undefined ? filtered(arb, within, `format ${s.format} with the length bounds`) : filtered(arb, (v) => within(v) && new RegExp(s.pattern!, "u").test(v), `format ${s.format} with pattern ${s.pattern}`);
    }
    if (s.pattern !== undefined) {
      const re = new RegExp(s.pattern, "u");
      return filtered(fc.stringMatching(new RegExp(s.pattern)), (v) => within(v) && re.test(v), `pattern ${s.pattern} with the length bounds`);
    }
    const unit = UNITS[text];
    const edges: Arb[] = [];
    if (min > 0) edges.push(fc.string({ unit, minLength: min, maxLength: min }));
    if (max !== undefined && max > min && max <= EDGE_LENGTH_LIMIT) edges.push(fc.string({ unit, minLength: max, maxLength: max }));
    return biased(fc.string({ unit, minLength: min, ...(max !== undefined ? { maxLength: max } : {}) }), edges);
  }

  private arrays(s: JsonSchemaObject): Arb | undefined {
    const prefix = (s.prefixItems ?? []).map((p) => this.build(p));
    if (prefix.some((a) => a === undefined)) return undefined;
    const minItems = s.minItems ?? 0;
    const maxItems = s.maxItems;
    if (maxItems !== undefined && minItems > maxItems) return undefined;
    const minRest = Math.max(0, minItems - prefix.length);
    const capRest = maxItems !== undefined ? Math.max(0, maxItems - prefix.length) : minRest + EXTRA_ITEMS;
    const item = s.items === false ? undefined : this.build(s.items ?? true);
    const list = (minLength: number, maxLength: number): Arb | undefined => {
      if (!item) return minLength === 0 ? fc.constant([]) : undefined;
      return s.uniqueItems ? fc.uniqueArray(item, { minLength, maxLength, selector: canonical }) : fc.array(item, { minLength, maxLength });
    };
    const rest = list(minRest, capRest);
    if (!rest) return undefined;
    const edges = [list(minRest, minRest), ...(maxItems !== undefined && capRest > minRest && capRest <= 50 ? [list(capRest, capRest)] : [])].filter((a): a is Arb => !!a);
    const tail = biased(rest, edges);
    if (prefix.length === 0) return tail;
    return fc.tuple(fc.tuple(...(prefix as Arb[])), tail).map(([head, more]) => [...head, ...(more as unknown[])]);
  }

  private objects(s: JsonSchemaObject): Arb | undefined {
    const props = s.properties ?? {};
    const required = new Set(s.required ?? []);
    const model: Record<string, Arb> = {};
    for (const [name, sub] of Object.entries(props)) {
      const arb = this.build(sub);
      if (arb) model[name] = arb;
      else if (required.has(name)) return undefined;
    }
    const ap = s.additionalProperties;
    for (const name of required) {
      if (name in model) continue;
      if (ap === false) return undefined;
      const arb = this.build(ap ?? true);
      if (!arb) return undefined;
      model[name] = arb;
    }
    const requiredKeys = Object.keys(model).filter((k) => required.has(k));
    const onlyRequired = Object.fromEntries(requiredKeys.map((k) => [k, model[k]!]));
    // Plain prototypes: null-prototype objects break Ajv's deep equality (uniqueItems) and surprise callers.
    const record = (m: Record<string, Arb>, keys?: string[]) => fc.record(m, { noNullPrototype: true, ...(keys ? { requiredKeys: keys } : {}) });
    const declared = biased(record(model, requiredKeys), [record(model), record(onlyRequired)]);

    // Free-form objects (no declared properties) and explicit additionalProperties schemas get extra keys.
    const extrasWanted = (ap !== undefined && typeof ap === "object") || (Object.keys(props).length === 0 && ap !== false && s.patternProperties === undefined);
    if (!extrasWanted) return declared;
    const value = this.build(ap === undefined ? true : ap);
    if (!value) return declared;
    const key = EXTRA_KEY.filter((k) => !(k in props));
    // Size the extras so min/maxProperties are usually met already; the final check enforces them exactly.
    const minKeys = Math.max(0, (s.minProperties ?? 0) - requiredKeys.length);
    const maxKeys = Math.max(minKeys, Math.min(MAX_EXTRA_KEYS, (s.maxProperties ?? Infinity) - requiredKeys.length));
    return fc.tuple(declared, fc.dictionary(key, value, { minKeys, maxKeys, noNullPrototype: true })).map(([d, extra]) => ({ ...extra, ...(d as object) }));
  }
}

const UNIT_CHECK: Record<Exclude<TextMode, "json">, (c: string) => boolean> = {
  path: (c) => /^[A-Za-z0-9\-._~]$/.test(c),
  query: (c) => /^[\x20-\x7e]$/.test(c),
  header: (c) => /^[\x21-\x7e]$/.test(c),
};

/** Declared types, or types implied by the keywords present; undefined when anything goes. */
function typesOf(s: JsonSchemaObject): JsonType[] | undefined {
  if (s.type !== undefined) return Array.isArray(s.type) ? s.type : [s.type];
  const has = (words: string[]) => words.some((w) => w in s);
  const implied: JsonType[] = [];
  if (has(OBJECT_WORDS)) implied.push("object");
  if (has(ARRAY_WORDS)) implied.push("array");
  if (has(STRING_WORDS) || (typeof s.format === "string" && !(s.format in NUMERIC_FORMAT_BOUNDS))) implied.push("string");
  if (has(NUMBER_WORDS)) implied.push("number");
  return implied.length ? implied : undefined;
}

interface Range {
  min: number;
  max: number;
  minExcluded: boolean;
  maxExcluded: boolean;
}

function range(s: JsonSchemaObject, fallback: { min: number; max: number }): Range {
  const bounds = (s.format && NUMERIC_FORMAT_BOUNDS[s.format]) || fallback;
  let r: Range = { min: bounds.min, max: bounds.max, minExcluded: false, maxExcluded: false };
  if (s.minimum !== undefined && s.minimum >= r.min) r = { ...r, min: s.minimum, minExcluded: false };
  if (s.exclusiveMinimum !== undefined && s.exclusiveMinimum >= r.min) r = { ...r, min: s.exclusiveMinimum, minExcluded: true };
  if (s.maximum !== undefined && s.maximum <= r.max) r = { ...r, max: s.maximum, maxExcluded: false };
  if (s.exclusiveMaximum !== undefined && s.exclusiveMaximum <= r.max) r = { ...r, max: s.exclusiveMaximum, maxExcluded: true };
  return r;
}

const isMultiple = (v: number, m: number) => Number.isInteger(v / m);

function integers(s: JsonSchemaObject): Arb | undefined {
  const r = range(s, { min: -(2 ** 31), max: 2 ** 31 - 1 });
  const min = r.minExcluded ? Math.floor(r.min) + 1 : Math.ceil(r.min);
  const max = r.maxExcluded ? Math.ceil(r.max) - 1 : Math.floor(r.max);
  if (min > max) return undefined;
  const m = s.multipleOf;
  if (m === undefined) return fc.integer({ min, max });
  if (Number.isInteger(m)) {
    const lo = Math.ceil(min / m);
    const hi = Math.floor(max / m);
    return lo > hi ? undefined : fc.integer({ min: lo, max: hi }).map((k) => k * m + 0);
  }
  return filtered(fc.integer({ min, max }), (v) => isMultiple(v, m), `multipleOf ${m}`);
}

function numbers(s: JsonSchemaObject): Arb | undefined {
  const r = range(s, { min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
  if (r.min > r.max || (r.min === r.max && (r.minExcluded || r.maxExcluded))) return undefined;
  const m = s.multipleOf;
  if (m !== undefined) {
    const lo = Math.ceil(r.min / m);
    const hi = Math.floor(r.max / m);
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi) return undefined;
    const inRange = (v: number) => (r.minExcluded ? v > r.min : v >= r.min) && (r.maxExcluded ? v < r.max : v <= r.max);
    return filtered(fc.integer({ min: lo, max: hi }).map((k) => k * m + 0), (v) => inRange(v) && isMultiple(v, m), `multipleOf ${m}`);
  }
  const doubles = fc.double({ min: r.min, max: r.max, minExcluded: r.minExcluded, maxExcluded: r.maxExcluded, noNaN: true, noDefaultInfinity: true });
  // Whole numbers are what most APIs see; keep them common next to fast-check's awkward doubles.
  const wholeMin = Math.max(Math.ceil(r.min) + (r.minExcluded && Number.isInteger(r.min) ? 1 : 0), -1e9);
  const wholeMax = Math.min(Math.floor(r.max) - (r.maxExcluded && Number.isInteger(r.max) ? 1 : 0), 1e9);
  return wholeMin <= wholeMax ? fc.oneof(doubles, fc.integer({ min: wholeMin, max: wholeMax })) : doubles;
}
