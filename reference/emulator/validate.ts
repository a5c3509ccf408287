/**
 * Hand-written request validation. The schemas in schemas.ts restate the documented contract in this small
 * vocabulary; the OpenAPI document is deliberately not loaded, so a bug in the suite's own validator cannot
 * hide a matching bug here. In lenient mode (a fault of the reference) wrong types are coerced and missing
 * fields defaulted instead of being rejected.
 */
import { invalidBody, missingField } from "./errors.ts";

export type Schema =
  | { kind: "string"; format?: "uuid" | "uri"; nonBlank?: boolean; values?: readonly string[] }
  | { kind: "boolean" }
  | { kind: "integer"; min?: number; max?: number }
  | { kind: "array"; items: Schema; min?: number; max?: number }
  | { kind: "object"; props: Record<string, Schema>; required: readonly string[]; rest?: Schema }
  | { kind: "nullable"; of: Schema }
  | { kind: "any" };

type Props = Record<string, Schema>;

export const str = (o: { format?: "uuid" | "uri"; nonBlank?: boolean } = {}): Schema => ({ kind: "string", ...o });
export const uuid = (): Schema => str({ format: "uuid" });
export const uri = (): Schema => str({ format: "uri" });
export const oneOf = (...values: string[]): Schema => ({ kind: "string", values });
export const bool = (): Schema => ({ kind: "boolean" });
export const int = (min?: number, max?: number): Schema => ({ kind: "integer", min, max });
export const arr = (items: Schema, o: { min?: number; max?: number } = {}): Schema => ({ kind: "array", items, ...o });
export const obj = (props: Props, required: readonly string[] = [], rest?: Schema): Schema => ({ kind: "object", props, required, rest });
/** An object whose every value follows one schema (additionalProperties). */
export const mapOf = (value: Schema): Schema => obj({}, [], value);
export const nullable = (of: Schema): Schema => ({ kind: "nullable", of });
export const any = (): Schema => ({ kind: "any" });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === "string" && UUID.test(v);
const isUri = (v: string) => URL.canParse(v);
export const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);

const describe = (s: Schema): string => {
  switch (s.kind) {
    case "string":
      if (s.values) return `one of ${s.values.map((v) => `'${v}'`).join(", ")}`;
      if (s.format === "uuid") return "a UUID string";
      if (s.format === "uri") return "an absolute URI string";
      return s.nonBlank ? "a non-empty string" : "a string";
    case "boolean":
      return "a boolean";
    case "integer":
      return s.min !== undefined && s.max !== undefined ? `an integer from ${s.min} to ${s.max}` : "an integer";
    case "array":
      return s.min ? `a non-empty array` : "an array";
    case "object":
      return "an object";
    case "nullable":
      return `${describe(s.of)} or null`;
    case "any":
      return "a value";
  }
};

const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Validates (strict) or coerces (lenient) `value` against `schema`; returns the value to use. */
export function check(value: unknown, schema: Schema, path: string, lenient: boolean): any {
  const wrong = (fallback: () => unknown, why = `'${path}' must be ${describe(schema)}, not ${typeName(value)}`) => {
    if (lenient) return fallback();
    throw invalidBody(why);
  };
  switch (schema.kind) {
    case "any":
      return value;
    case "nullable":
      return value === null ? null : check(value, schema.of, path, lenient);
    case "boolean":
      if (typeof value === "boolean") return value;
      return wrong(() => value === "true" || value === 1);
    case "integer": {
      if (typeof value !== "number" || !Number.isInteger(value)) return wrong(() => clamp(Math.trunc(Number(value)) || (schema.min ?? 0), schema));
      if ((schema.min !== undefined && value < schema.min) || (schema.max !== undefined && value > schema.max)) return wrong(() => clamp(value, schema));
      return value;
    }
    case "string": {
      if (typeof value !== "string") return wrong(() => lenientString(value, schema));
      if (schema.values && !schema.values.includes(value)) return wrong(() => schema.values![0], `'${path}' must be ${describe(schema)}: '${value}' is not`);
      if (schema.nonBlank && value.trim() === "") {
        if (lenient) return "untitled";
        throw missingField(path, describe(schema));
      }
      if (schema.format === "uuid" && !UUID.test(value)) return wrong(() => value, `'${path}' must be a UUID`);
      if (schema.format === "uri" && !isUri(value)) return wrong(() => value, `'${path}' must be an absolute URI`);
      return value;
    }
    case "array": {
      if (!Array.isArray(value)) return wrong(() => []);
      if (schema.min !== undefined && value.length < schema.min) return wrong(() => value, `'${path}' must have at least ${schema.min} item(s)`);
      if (schema.max !== undefined && value.length > schema.max) return wrong(() => value.slice(0, schema.max), `'${path}' must have at most ${schema.max} items`);
      return value.map((item, i) => check(item, schema.items, `${path}[${i}]`, lenient));
    }
    case "object": {
      if (!isObject(value)) return wrong(() => checkObject({}, schema, path, lenient));
      return checkObject(value, schema, path, lenient);
    }
  }
}

function checkObject(value: Record<string, unknown>, schema: Extract<Schema, { kind: "object" }>, path: string, lenient: boolean) {
  const out: Record<string, unknown> = {};
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of schema.required) {
    if (value[key] !== undefined) continue;
    const s = schema.props[key]!;
    if (!lenient) throw missingField(at(key), describe(s));
    out[key] = check(undefined, s, at(key), true);
  }
  for (const [key, v] of Object.entries(value)) {
    const s = schema.props[key] ?? schema.rest;
    out[key] = s ? check(v, s, at(key), lenient) : v;
  }
  return out;
}

function lenientString(value: unknown, s: Extract<Schema, { kind: "string" }>): string {
  if (s.values) return s.values[0]!;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return s.nonBlank ? "untitled" : "";
}

const clamp = (n: number, s: { min?: number; max?: number }) => Math.min(s.max ?? n, Math.max(s.min ?? n, n));

/** Parses a JSON request body and checks it; an absent body counts as `{}` when the body is optional. */
export function parseBody(raw: Buffer, schema: Schema, o: { lenient: boolean; optional?: boolean }): any {
  const text = raw.toString("utf8").trim();
  if (!text) {
    if (o.optional) return check({}, schema, "", o.lenient);
    if (o.lenient) return check({}, schema, "", true);
    throw invalidBody("Provide a JSON request body: this operation requires one");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (o.lenient) return check({}, schema, "", true);
    throw invalidBody("Provide a valid JSON request body: the body could not be parsed as JSON");
  }
  if (!isObject(value) && !o.lenient) throw invalidBody(`Provide a JSON object as the request body, not ${typeName(value)}`);
  return check(value, schema, "", o.lenient);
}

/** Reads one query parameter against a schema (query values are strings; booleans and integers are parsed). */
export function queryParam(query: URLSearchParams, name: string, schema: Schema, required = false): any {
  const raw = query.get(name);
  if (raw === null) {
    if (required) throw missingField(name, describe(schema));
    return undefined;
  }
  let value: unknown = raw;
  if (schema.kind === "boolean") {
    value = raw === "true" || raw === "1" ? true : raw === "false" || raw === "0" ? false : raw;
  } else if (schema.kind === "integer" && /^-?\d+$/.test(raw)) {
    value = Number(raw);
  }
  return check(value, schema, name, false);
}
