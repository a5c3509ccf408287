/** The typed operation catalogue of a loaded spec: one Operation per path + method, references resolved. */
import type { OpenAPIV3, OpenAPIV3_1 } from "openapi-types";
import { mediaType } from "../../core/exchange.ts";
import { deref, pointer } from "./refs.ts";
import type {
  HttpMethod,
  JsonSchema,
  LoadedSpec,
  MediaTypeEntry,
  Operation,
  OperationSecurity,
  Parameter,
  RequestBody,
  ResponseEntry,
  ResponseHeader,
  SecurityScheme,
} from "./types.ts";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Ref = OpenAPIV3.ReferenceObject;
type Doc = OpenAPIV3_1.Document;

/** Operations in document order. */
export function operations(spec: LoadedSpec): Operation[] {
  const doc = spec.document;
  const out: Operation[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const itemPtr = pointer("paths", path);
    const item = deref<OpenAPIV3_1.PathItemObject>(doc, rawItem as OpenAPIV3_1.PathItemObject);
    if (!item.value) continue;
    const itemBase = item.ref ?? itemPtr;
    for (const method of Object.keys(item.value).filter((k): k is (typeof METHODS)[number] => (METHODS as readonly string[]).includes(k))) {
      const op = item.value[method] as OpenAPIV3_1.OperationObject;
      const opPtr = `${itemBase}/${method}`;
      const parameters = mergeParameters(
        collectParameters(doc, item.value.parameters, `${itemBase}/parameters`),
        collectParameters(doc, op.parameters, `${opPtr}/parameters`),
      );
      const responseList = responses(doc, op.responses, `${opPtr}/responses`);
      out.push({
        specId: spec.id,
        operationId: op.operationId ?? synthesizeId(method, path),
        operationIdSynthesized: op.operationId === undefined,
        method: method.toUpperCase() as HttpMethod,
        path,
        pointer: opPtr,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: op.tags ?? [],
        deprecated: op.deprecated === true,
        parameters,
        requestBody: requestBody(doc, op.requestBody, `${opPtr}/requestBody`),
        responses: responseList,
        security: security(doc, op.security ?? doc.security ?? []),
        streaming: responseList.some((r) => r.content.some((c) => mediaType(c.mediaType) === "text/event-stream")),
      });
    }
  }
  return out;
}

/** "get" + "/threads/{thread_id}" → "get_threads_thread_id". */
const synthesizeId = (method: string, path: string) => [method, ...path.split(/[^A-Za-z0-9]+/).filter(Boolean)].join("_");

function collectParameters(doc: Doc, list: (OpenAPIV3_1.ParameterObject | Ref)[] | undefined, base: string): Parameter[] {
  return (list ?? []).flatMap((raw, i) => {
    const p = deref<OpenAPIV3_1.ParameterObject>(doc, raw);
    if (!p.value) return [];
    const ptr = p.ref ?? `${base}/${i}`;
    const where = p.value.in as Parameter["in"];
    const style = p.value.style ?? (where === "query" || where === "cookie" ? "form" : "simple");
    return [{
      name: p.value.name,
      in: where,
      required: where === "path" ? true : p.value.required === true,
      ...schemaOf(p.value, ptr),
      style,
      explode: p.value.explode ?? style === "form",
      deprecated: p.value.deprecated === true,
      ...(p.value.description ? { description: p.value.description } : {}),
    }];
  });
}

/** A parameter or header gives its schema either directly or through a (JSON) `content` entry. */
function schemaOf(p: { schema?: unknown; content?: Record<string, { schema?: unknown }> }, ptr: string): { schema?: JsonSchema; schemaRef?: string } {
  if (p.schema !== undefined) return { schema: p.schema as JsonSchema, schemaRef: `${ptr}/schema` };
  const json = Object.entries(p.content ?? {}).find(([mt]) => /json/.test(mt));
  if (json?.[1].schema !== undefined) return { schema: json[1].schema as JsonSchema, schemaRef: `${ptr}/content/${escape(json[0])}/schema` };
  return {};
}

const escape = (token: string) => pointer(token).slice(2);

function mergeParameters(pathLevel: Parameter[], opLevel: Parameter[]): Parameter[] {
  const key = (p: Parameter) => `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;
  const overridden = new Set(opLevel.map(key));
  return [...pathLevel.filter((p) => !overridden.has(key(p))), ...opLevel];
}

function content(doc: Doc, raw: Record<string, OpenAPIV3_1.MediaTypeObject> | undefined, base: string): MediaTypeEntry[] {
  return Object.entries(raw ?? {}).map(([mediaType, media]) => ({
    mediaType,
    ...(media.schema !== undefined ? { schema: media.schema as JsonSchema, schemaRef: `${base}/${escape(mediaType)}/schema` } : {}),
    examples: examples(doc, media),
  }));
}

function examples(doc: Doc, media: OpenAPIV3_1.MediaTypeObject): MediaTypeEntry["examples"] {
  const named = Object.entries(media.examples ?? {}).flatMap(([name, raw]) => {
    const ex = deref<OpenAPIV3_1.ExampleObject>(doc, raw).value;
    // An externalValue example lives outside the document: nothing to send or check here.
    return ex && "value" in ex ? [{ name, value: ex.value as unknown }] : [];
  });
  return media.example !== undefined ? [{ name: "example", value: media.example as unknown }, ...named] : named;
}

function requestBody(doc: Doc, raw: OpenAPIV3_1.RequestBodyObject | Ref | undefined, base: string): RequestBody | undefined {
  if (!raw) return undefined;
  const rb = deref<OpenAPIV3_1.RequestBodyObject>(doc, raw);
  if (!rb.value) return undefined;
  return { required: rb.value.required === true, content: content(doc, rb.value.content, `${rb.ref ?? base}/content`) };
}

function responses(doc: Doc, raw: OpenAPIV3_1.ResponsesObject | undefined, base: string): ResponseEntry[] {
  return Object.entries(raw ?? {}).flatMap(([status, value]) => {
    const r = deref<OpenAPIV3_1.ResponseObject>(doc, value);
    if (!r.value) return [];
    const ptr = r.ref ?? `${base}/${escape(status)}`;
    const headers: ResponseHeader[] = Object.entries(r.value.headers ?? {}).flatMap(([name, h]) => {
      const header = deref<OpenAPIV3_1.HeaderObject>(doc, h);
      if (!header.value) return [];
      return [{ name, required: header.value.required === true, ...schemaOf(header.value as never, header.ref ?? `${ptr}/headers/${escape(name)}`) }];
    });
    return [{ status: /^[1-5]xx$/i.test(status) ? status.toUpperCase() : status, description: r.value.description ?? "", content: content(doc, r.value.content, `${ptr}/content`), headers }];
  });
}

function security(doc: Doc, requirements: OpenAPIV3_1.SecurityRequirementObject[]): OperationSecurity {
  const schemes: SecurityScheme[] = [];
  for (const requirement of requirements) {
    for (const schemeName of Object.keys(requirement)) {
      if (schemes.some((s) => s.schemeName === schemeName)) continue;
      const raw = doc.components?.securitySchemes?.[schemeName];
      const s = raw ? deref<OpenAPIV3_1.SecuritySchemeObject>(doc, raw).value : undefined;
      if (s?.type === "apiKey") schemes.push({ type: "apiKey", schemeName, in: s.in as "header" | "query" | "cookie", name: s.name });
      else if (s?.type === "http") schemes.push({ type: "http", schemeName, scheme: s.scheme.toLowerCase() });
      else schemes.push({ type: (s?.type as "oauth2" | "openIdConnect" | "mutualTLS" | undefined) ?? "unknown", schemeName });
    }
  }
  const apiKey = schemes.find((s): s is Extract<SecurityScheme, { type: "apiKey" }> => s.type === "apiKey" && s.in === "header");
  return {
    optional: requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0),
    schemes,
    ...(apiKey ? { apiKeyHeader: apiKey.name } : {}),
  };
}
