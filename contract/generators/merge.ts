/**
 * Flattens `allOf` (and `$ref` with sibling keywords) into one schema a generator can build from. Where two
 * parts cannot be combined exactly, the result is marked lossy and the generator filters by the original schema.
 */
import { deref } from "../model/refs.ts";
import type { JsonSchema, JsonSchemaObject, JsonType } from "../model/types.ts";

/** Keywords that describe rather than constrain. */
export const ANNOTATIONS = new Set(["title", "description", "default", "examples", "example", "deprecated", "readOnly", "writeOnly", "externalDocs", "xml", "$comment", "discriminator"]);

export interface Merged {
  /** `false` when the parts contradict each other (no value can match). */
  schema: JsonSchemaObject | false;
  /** Some constraint was dropped while merging: generated values must be checked against the original. */
  lossy: boolean;
}

const constraintKeys = (s: JsonSchemaObject) => Object.keys(s).filter((k) => !ANNOTATIONS.has(k) && !k.startsWith("x-"));

/** Resolves a `$ref` (sibling keywords are merged in, as JSON Schema 2020-12 applies both) and flattens allOf. */
export function flatten(doc: unknown, schema: JsonSchemaObject, seen: ReadonlySet<string> = new Set()): Merged {
  if (schema.$ref === undefined && schema.allOf === undefined) return { schema, lossy: false };
  // A ref that includes itself through allOf has no flat form; leave it to the final check.
  if (schema.$ref !== undefined && seen.has(schema.$ref)) return { schema: {}, lossy: true };
  const inside = schema.$ref === undefined ? seen : new Set([...seen, schema.$ref]);
  const parts: JsonSchema[] = [];
  const rest: JsonSchemaObject = { ...schema };
  delete rest.allOf;
  delete rest.$ref;
  if (schema.$ref !== undefined) {
    const target = deref<JsonSchema>(doc, { $ref: schema.$ref });
    if (target.value === undefined) return { schema: false, lossy: false };
    parts.push(target.value);
  }
  parts.push(...(schema.allOf ?? []));
  if (constraintKeys(rest).length > 0) parts.push(rest);
  let merged: Merged = { schema: {}, lossy: false };
  for (const part of parts) {
    if (part === false) return { schema: false, lossy: false };
    if (part === true) continue;
    const flat = flatten(doc, part, inside);
    if (flat.schema === false) return { schema: false, lossy: false };
    const next = mergeTwo(merged.schema as JsonSchemaObject, flat.schema);
    merged = { schema: next.schema, lossy: merged.lossy || flat.lossy || next.lossy };
    if (merged.schema === false) return merged;
  }
  return merged;
}

const TYPE_ORDER: JsonType[] = ["null", "boolean", "object", "array", "number", "integer", "string"];

function intersectTypes(a: JsonSchemaObject["type"], b: JsonSchemaObject["type"]): JsonType[] | undefined {
  if (a === undefined) return b === undefined ? undefined : ([] as JsonType[]).concat(b);
  if (b === undefined) return ([] as JsonType[]).concat(a);
  const as = new Set(([] as JsonType[]).concat(a));
  const bs = new Set(([] as JsonType[]).concat(b));
  // integer is a subset of number.
  return TYPE_ORDER.filter((t) => (as.has(t) && bs.has(t)) || (t === "integer" && ((as.has("integer") && bs.has("number")) || (as.has("number") && bs.has("integer")))));
}

function mergeTwo(a: JsonSchemaObject, b: JsonSchemaObject): Merged {
  const out: JsonSchemaObject = { ...a };
  let lossy = false;
  for (const [key, value] of Object.entries(b)) {
    if (ANNOTATIONS.has(key)) continue;
    const current = out[key];
    if (current === undefined) {
      out[key] = value;
      continue;
    }
    switch (key) {
      case "type": {
        const t = intersectTypes(a.type, b.type)!;
        if (t.length === 0) return { schema: false, lossy };
        out.type = t.length === 1 ? t[0] : t;
        break;
      }
      case "properties": {
        const props = { ...(current as Record<string, JsonSchema>) };
        for (const [name, sub] of Object.entries(value as Record<string, JsonSchema>)) props[name] = props[name] === undefined ? sub : { allOf: [props[name]!, sub] };
        out.properties = props;
        break;
      }
      case "required":
        out.required = [...new Set([...(current as string[]), ...(value as string[])])];
        break;
      case "enum": {
        const allowed = (value as unknown[]).map((v) => JSON.stringify(v));
        out.enum = (current as unknown[]).filter((v) => allowed.includes(JSON.stringify(v)));
        if ((out.enum as unknown[]).length === 0) return { schema: false, lossy };
        break;
      }
      case "const":
        if (JSON.stringify(current) !== JSON.stringify(value)) return { schema: false, lossy };
        break;
      case "minimum": case "exclusiveMinimum": case "minLength": case "minItems": case "minProperties":
        out[key] = Math.max(current as number, value as number);
        break;
      case "maximum": case "exclusiveMaximum": case "maxLength": case "maxItems": case "maxProperties":
        out[key] = Math.min(current as number, value as number);
        break;
      case "uniqueItems":
        out.uniqueItems = current === true || value === true;
        break;
      case "not":
        out.not = { anyOf: [current as JsonSchema, value as JsonSchema] };
        break;
      case "items": case "additionalProperties":
        if (value === false || current === false) out[key] = false;
        else if (value !== true) out[key] = current === true ? (value as JsonSchema) : { allOf: [current as JsonSchema, value as JsonSchema] };
        break;
      default:
        // Two patterns, formats, anyOfs …: keep the first, let the final check enforce the rest.
        if (JSON.stringify(current) !== JSON.stringify(value)) lossy = true;
    }
  }
  return { schema: out, lossy };
}
