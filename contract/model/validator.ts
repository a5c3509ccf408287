/**
 * Validates values against the spec's schemas with one Ajv 2020 instance holding the whole normalised document,
 * so `$ref`s (recursive ones too) resolve inside it. Compiled validators are cached per schema.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { mediaType } from "../../core/exchange.ts";
import { forEachSchema } from "./walk.ts";
import type { JsonSchema, JsonSchemaObject, LoadedSpec, MediaTypeEntry, Operation, ResponseEntry, SchemaRef } from "./types.ts";

// ajv-formats is CommonJS; under ESM its function may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const DOC_ID = "spec";
/** OpenAPI words that may appear where Ajv reads schemas; declared so strict mode accepts them. */
const OPENAPI_SCHEMA_WORDS = ["example", "discriminator", "xml", "externalDocs"];
const MAX_ENUM_SHOWN = 8;

export interface Validator {
  readonly spec: LoadedSpec;
  /** Messages like `/items/0/id: must match format "uuid"`; empty when the value is valid. */
  validate(ref: SchemaRef, value: unknown): string[];
  /** Same, for a schema object; its local `$ref`s resolve in the document. */
  validateSchema(schema: JsonSchema, value: unknown): string[];
  /** Boolean form of validateSchema, for generators. */
  matches(schema: JsonSchema, value: unknown): boolean;
}

export function createValidator(spec: LoadedSpec): Validator {
  const doc = spec.document;
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allErrors: true, allowUnionTypes: true, logger: false });
  addFormats(ajv);
  declareVocabulary(ajv, doc);
  ajv.addSchema(doc as object, DOC_ID);

  // Schema objects of the document are validated through their pointer, so they share Ajv's compiled refs.
  const pointers = new WeakMap<object, string>();
  forEachSchema(doc, (schema, ptr) => {
    if (!pointers.has(schema)) pointers.set(schema, ptr);
  });
  const byRef = new Map<string, ValidateFunction>();
  const byObject = new WeakMap<object, ValidateFunction>();
  // Schemas built outside the document (merged branches, `{ $ref }` wrappers) arrive as fresh objects: key them by content.
  const byText = new Map<string, ValidateFunction>();

  const compileRef = (ref: SchemaRef): ValidateFunction => {
    let fn = byRef.get(ref);
    if (!fn) {
      fn = ajv.compile({ $ref: `${DOC_ID}${ref}` });
      byRef.set(ref, fn);
    }
    return fn;
  };
  const compileSchema = (schema: JsonSchemaObject): ValidateFunction => {
    const ptr = pointers.get(schema);
    if (ptr) return compileRef(ptr);
    if (typeof schema.$ref === "string" && Object.keys(schema).length === 1 && schema.$ref.startsWith("#")) return compileRef(schema.$ref);
    let fn = byObject.get(schema);
    if (!fn) {
      const anchored = anchorRefs(schema) as object;
      const text = JSON.stringify(anchored);
      fn = byText.get(text) ?? ajv.compile(anchored);
      byText.set(text, fn);
      byObject.set(schema, fn);
    }
    return fn;
  };
  const run = (fn: ValidateFunction, value: unknown) => (fn(value) ? [] : formatErrors(fn.errors ?? []));

  return {
    spec,
    validate: (ref, value) => run(compileRef(ref), value),
    validateSchema: (schema, value) => (typeof schema === "boolean" ? (schema ? [] : ["(root): no value is allowed here"]) : run(compileSchema(schema), value)),
    matches: (schema, value) => (typeof schema === "boolean" ? schema : compileSchema(schema)(value) === true),
  };
}

/** Strict mode rejects unknown keywords: declare the document's top-level fields, OpenAPI schema words and x- extensions. */
function declareVocabulary(ajv: Ajv2020, doc: object): void {
  const words = new Set([...Object.keys(doc), ...OPENAPI_SCHEMA_WORDS]);
  const formats = new Set<string>();
  forEachSchema(doc, (schema) => {
    for (const key of Object.keys(schema)) if (key.startsWith("x-")) words.add(key);
    if (typeof schema.format === "string") formats.add(schema.format);
  });
  for (const word of words) if (!ajv.getKeyword(word)) ajv.addKeyword(word);
  // Formats Ajv does not know (int8, decimal, …) are annotations: accept any value.
  for (const format of formats) if (!ajv.formats[format]) ajv.addFormat(format, true);
}

/** A copy of a schema whose local refs point into the document added under DOC_ID. */
function anchorRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(anchorRefs);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#") ? DOC_ID + v : anchorRefs(v)]));
}

function formatErrors(errors: ErrorObject[]): string[] {
  // Inside a failed anyOf/oneOf, every branch's complaint is noise: keep the combinator's own message only.
  const combinators = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.schemaPath + "/");
  const kept = errors.filter((e) => !combinators.some((prefix) => e.schemaPath.startsWith(prefix)));
  return [...new Set(kept.map(formatError))];
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath || "(root)";
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `${where}: missing required property "${String(p.missingProperty)}"`;
    case "additionalProperties":
      return `${where}: unexpected property "${String(p.additionalProperty)}"`;
    case "enum": {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      const shown = allowed.slice(0, MAX_ENUM_SHOWN).map((v) => JSON.stringify(v)).join(", ");
      return `${where}: must be one of ${shown}${allowed.length > MAX_ENUM_SHOWN ? ", …" : ""}`;
    }
    case "const":
      return `${where}: must equal ${JSON.stringify(p.allowedValue)}`;
    case "anyOf":
    case "oneOf":
      return `${where}: ${e.keyword === "oneOf" && p.passingSchemas ? "matches more than one" : "matches none"} of the ${e.keyword} alternatives`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}

/** The documented response covering a status: exact code, then its range (4XX), then default. */
export function responseFor(op: Operation, status: number): ResponseEntry | undefined {
  const exact = String(status);
  const range = `${Math.floor(status / 100)}XX`;
  return op.responses.find((r) => r.status === exact) ?? op.responses.find((r) => r.status === range) ?? op.responses.find((r) => r.status === "default");
}

/** The documented media type entry matching a Content-Type: exact, then type/*, then * / *. */
export function mediaEntryFor(entries: MediaTypeEntry[], contentType: string): MediaTypeEntry | undefined {
  const actual = mediaType(contentType);
  const [type] = actual.split("/");
  const normalised = entries.map((e) => ({ e, m: mediaType(e.mediaType) }));
  return (normalised.find(({ m }) => m === actual) ?? normalised.find(({ m }) => m === `${type}/*`) ?? normalised.find(({ m }) => m === "*/*"))?.e;
}

/** Pointer to the schema documented for a response status and media type, if any. */
export function responseSchemaFor(op: Operation, status: number, contentType: string): SchemaRef | undefined {
  const response = responseFor(op, status);
  return response ? mediaEntryFor(response.content, contentType)?.schemaRef : undefined;
}

/** Pointer to the schema of a documented response header (name compared case-insensitively), if any. */
export function responseHeaderSchemaFor(op: Operation, status: number, name: string): SchemaRef | undefined {
  return responseFor(op, status)?.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.schemaRef;
}
