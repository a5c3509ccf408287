/** Checks that hold for every response, whatever was sent. */
import { jsonBody, mediaType } from "../../core/exchange.ts";
import { defineCheck } from "./types.ts";

const MAX_SCHEMA_MESSAGES = 5;

export const notAServerError = defineCheck("not_a_server_error", ({ exchange }) => {
  const { status, body } = exchange.response;
  return status >= 500 ? [`answered ${status}: ${body.slice(0, 200) || "(empty body)"}`] : [];
});

export const statusCodeDocumented = defineCheck("status_code_documented", ({ exchange, contract }) => {
  const { status } = exchange.response;
  return contract.responseFor(status) ? [] : [`answered ${status}, which is not documented (documented: ${contract.statuses.join(", ")})`];
});

/** application/json matches application/json, application/* and * / *; parameters are ignored. */
function mediaMatches(actual: string, documented: string): boolean {
  const [dt, ds] = mediaType(documented).split("/");
  const [at, as] = actual.split("/");
  return (dt === "*" || dt === at) && (ds === "*" || ds === as);
}

export const contentTypeDocumented = defineCheck("content_type_documented", ({ exchange, contract }) => {
  const { status, headers, body } = exchange.response;
  const doc = contract.responseFor(status);
  if (!doc) return [];
  const actual = mediaType(headers["content-type"]);
  if (doc.mediaTypes.length === 0) return body.length > 0 ? [`answered ${status} with a ${actual || "untyped"} body where no body is documented`] : [];
  if (!actual) return body.length > 0 ? [`answered ${status} with a body but no Content-Type (documented: ${doc.mediaTypes.join(", ")})`] : [];
  return doc.mediaTypes.some((m) => mediaMatches(actual, m)) ? [] : [`answered ${status} as ${actual}; documented: ${doc.mediaTypes.join(", ")}`];
});

export const responseSchema = defineCheck("response_schema", ({ exchange, contract }) => {
  const { status, headers, body } = exchange.response;
  const doc = contract.responseFor(status);
  if (!doc) return [];
  const actual = mediaType(headers["content-type"]);
  // A documented non-JSON media type (an event stream, Prometheus text) is not read as JSON.
  const matched = doc.mediaTypes.find((m) => mediaMatches(actual, m));
  if (matched && !/json/.test(mediaType(matched))) return [];
  // Judge JSON bodies against the documented JSON schema even when mislabelled: a wrong label is another check's finding.
  const documentedJson = doc.mediaTypes.find((m) => /json/.test(m));
  if (!documentedJson && !/json/.test(actual)) return [];
  const parsed = jsonBody(exchange.response);
  const schemaMedia = documentedJson ?? actual;
  if (parsed === undefined) {
    if (body.length === 0 && doc.mediaTypes.length === 0) return [];
    const errors = contract.validateBody(status, schemaMedia, null);
    return errors === undefined ? [] : [`the ${status} body is not JSON: ${JSON.stringify(body.slice(0, 120))}`];
  }
  const errors = contract.validateBody(status, schemaMedia, parsed) ?? [];
  const shown = errors.slice(0, MAX_SCHEMA_MESSAGES).map((e) => `${status} body: ${e}`);
  // The rest are counted on the last line shown, so every line names a concrete error.
  if (errors.length > MAX_SCHEMA_MESSAGES) shown[shown.length - 1] += ` (and ${errors.length - MAX_SCHEMA_MESSAGES} more schema errors)`;
  return shown;
});

export const responseHeadersDocumented = defineCheck("response_headers_documented", ({ exchange, contract }) => {
    const { status, headers } = exchange.response;
    const doc = contract.responseFor(status);
    if (!doc) return [];
    const out: string[] = [];
    for (const h of doc.headers) {
      const value = headers[h.name.toLowerCase()];
      if (value === undefined) {
        if (h.required) out.push(`the required header ${h.name} is missing from the ${status} response`);
        continue;
      }
      for (const e of contract.validateHeader(status, h.name, value) ?? []) out.push(`header ${h.name}: ${e}`);
    }
    return out;
  },
);
