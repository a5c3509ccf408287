/**
 * Rewrites OpenAPI 3.0 schema idioms into JSON Schema 2020-12, so one validator and one generator serve both
 * versions: `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, and the single `example`.
 */
import { forEachSchema } from "./walk.ts";
import type { JsonSchemaObject, JsonType } from "./types.ts";

/** Keywords that describe rather than constrain; they stay on the outer schema when it is wrapped. */
const ANNOTATIONS = new Set(["title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "externalDocs", "xml"]);
const COMPOSITE = ["$ref", "allOf", "anyOf", "oneOf"];

function nullable(schema: JsonSchemaObject): void {
  const flag = schema.nullable;
  delete schema.nullable;
  if (flag !== true) return;
  if (COMPOSITE.some((k) => k in schema)) {
    // `type: [..., "null"]` would not reach into a $ref or allOf, so accept null beside the whole schema instead.
    const inner: JsonSchemaObject = {};
    for (const [k, v] of Object.entries(schema)) {
      if (ANNOTATIONS.has(k)) continue;
      inner[k] = v;
      delete schema[k];
    }
    schema.anyOf = [inner, { type: "null" }];
    return;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.includes("null")) schema.type = [...types, "null"] as JsonType[];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
}

function exclusiveBound(schema: JsonSchemaObject, exclusive: "exclusiveMinimum" | "exclusiveMaximum", bound: "minimum" | "maximum"): void {
  const flag = schema[exclusive] as unknown;
  if (typeof flag !== "boolean") return;
  if (flag && typeof schema[bound] === "number") {
    schema[exclusive] = schema[bound];
    delete schema[bound];
  } else {
    delete schema[exclusive];
  }
}

function example(schema: JsonSchemaObject): void {
  if (!("example" in schema)) return;
  if (schema.examples === undefined) schema.examples = [schema.example];
  delete schema.example;
}

/** Returns a normalised deep copy; 3.1 documents only get `example` folded into `examples`. */
export function normalizeDocument<T>(doc: T, openapiVersion: string): T {
  const copy = structuredClone(doc);
  const is30 = openapiVersion.startsWith("3.0");
  forEachSchema(copy, (schema) => {
    if (is30) {
      nullable(schema);
      exclusiveBound(schema, "exclusiveMinimum", "minimum");
      exclusiveBound(schema, "exclusiveMaximum", "maximum");
    }
    example(schema);
  });
  return copy;
}
