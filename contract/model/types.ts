/** Shapes of the spec model: a loaded document, JSON Schema nodes, and the typed operation catalogue. */
import type { OpenAPIV3_1 } from "openapi-types";

/** A JSON Schema (2020-12 semantics after normalisation). Known keywords are typed; the rest stay open. */
export type JsonSchema = boolean | JsonSchemaObject;

export interface JsonSchemaObject {
  $ref?: string;
  type?: JsonType | JsonType[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  // numbers
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  // strings
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  // arrays
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  // objects
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema;
  minProperties?: number;
  maxProperties?: number;
  // composition
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  default?: unknown;
  examples?: unknown[];
  [keyword: string]: unknown;
}

export type JsonType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null";

/** A JSON pointer into the spec document in URI-fragment form, e.g. "#/components/schemas/Thread". */
export type SchemaRef = string;

export interface LoadedSpec {
  /** "managed-deep-agents", "agent-server", or a slug of info.title for other documents. */
  id: string;
  /** The path or URL it was loaded from. */
  source: string;
  title: string;
  /** The `openapi` field as declared, e.g. "3.0.3" or "3.1.0". */
  openapiVersion: string;
  /** The document with 3.0 schema idioms rewritten to JSON Schema 2020-12 (see normalize.ts). */
  document: OpenAPIV3_1.Document;
}

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  /** Absent when the parameter documents no schema (or uses `content` with a non-JSON media type). */
  schema?: JsonSchema;
  schemaRef?: SchemaRef;
  /** Serialisation; defaults applied: form for query/cookie, simple for path/header. */
  style: string;
  explode: boolean;
  deprecated: boolean;
  description?: string;
}

export interface MediaTypeEntry {
  mediaType: string;
  schema?: JsonSchema;
  schemaRef?: SchemaRef;
  /** Documented examples (`example`, or each of `examples` with a value), $refs resolved. */
  examples: { name: string; value: unknown }[];
}

export interface RequestBody {
  required: boolean;
  content: MediaTypeEntry[];
}

export interface ResponseHeader {
  name: string;
  required: boolean;
  schema?: JsonSchema;
  schemaRef?: SchemaRef;
}

export interface ResponseEntry {
  /** The status key as written: "200", "4XX" or "default". */
  status: string;
  description: string;
  content: MediaTypeEntry[];
  headers: ResponseHeader[];
}

export type SecurityScheme =
  | { type: "apiKey"; schemeName: string; in: "header" | "query" | "cookie"; name: string }
  | { type: "http"; schemeName: string; scheme: string }
  | { type: "oauth2" | "openIdConnect" | "mutualTLS" | "unknown"; schemeName: string };

export interface OperationSecurity {
  /** True when the operation can be called without credentials (no requirement, or an empty alternative). */
  optional: boolean;
  /** Schemes named by the requirement alternatives, in document order, without duplicates. */
  schemes: SecurityScheme[];
  /** Header carrying an API key, when one of the schemes is an apiKey in a header (e.g. "X-Api-Key"). */
  apiKeyHeader?: string;
}

export interface Operation {
  specId: string;
  operationId: string;
  /** True when the document gives no operationId and one was made from method and path. */
  operationIdSynthesized: boolean;
  method: HttpMethod;
  path: string;
  /** Pointer to the operation object, e.g. "#/paths/~1threads/post". */
  pointer: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  /** Path-level and operation-level parameters merged (operation wins), $refs resolved. */
  parameters: Parameter[];
  requestBody?: RequestBody;
  responses: ResponseEntry[];
  security: OperationSecurity;
  /** Some response is documented as text/event-stream. */
  streaming: boolean;
}
