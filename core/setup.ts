/**
 * Preparing a unit (creating the agent, thread or assistant it needs) with requests that must succeed. A
 * refusal is evidence about the target (the `fixture_setup` check), with the request that failed and its
 * status; no usable answer at all means the target cannot be tested.
 */
import type { ApiClient } from "./client.ts";
import { jsonBody, mediaType, type Exchange, type HttpRequest } from "./exchange.ts";
import { TransportError } from "./http.ts";
import { limits } from "./limits.ts";

export class SetupError extends Error {
  constructor(
    message: string,
    /** The operation of the request that failed. */
    readonly operationId: string,
    readonly request: HttpRequest,
    readonly status?: number,
    /** Set when no usable answer came back (refused, reset, timed out, over a cap). */
    readonly transport?: TransportError["kind"],
  ) {
    super(message);
  }
}

/** Where a request went, without its query string (which could carry anything). */
const what = (req: HttpRequest) => `${req.method.toUpperCase()} ${new URL(req.url).pathname}`;

/** A setup request that got no usable answer. */
export const setupTransportError = (operationId: string, error: TransportError) => new SetupError(`${what(error.request)}: ${error.message}`, operationId, error.request, undefined, error.kind);

/**
 * The JSON body of a setup request's answer: a non-2xx status, a body that is not JSON, or one without
 * the `want`ed string field is a SetupError.
 */
export function setupAnswer(operationId: string, x: Exchange, want?: string): any {
  const { status, headers, body } = x.response;
  const fail = (why: string) => new SetupError(`${what(x.request)} answered ${status}${why}`, operationId, x.request, status);
  if (status < 200 || status >= 300) throw fail(`${headers.location ? ` (to ${headers.location}, not followed)` : ""}: ${excerpt(body)}`);
  if (!body) {
    if (want) throw fail(` without a body (a "${want}" was expected)`);
    return undefined;
  }
  const type = mediaType(headers["content-type"]);
  if (!/[/+]json$/.test(type)) throw fail(` with content-type ${JSON.stringify(headers["content-type"] ?? "(none)")}, not JSON`);
  const json = jsonBody(x.response) as Record<string, unknown> | undefined;
  if (json === undefined) throw fail(` with a body that is not JSON: ${excerpt(body)}`);
  if (want && (typeof json?.[want] !== "string" || json[want] === "")) throw fail(` without a "${want}": ${excerpt(body)}`);
  return json;
}

/** Sends a setup request with the setup deadline and returns its JSON body (see setupAnswer). */
export async function setupCall(api: ApiClient, operationId: string, method: string, path: string, body?: unknown, want?: string): Promise<any> {
  try {
    return setupAnswer(operationId, await api.call(method, path, body, { timeoutMs: limits().setupTimeoutMs }), want);
  } catch (error) {
    throw error instanceof TransportError ? setupTransportError(operationId, error) : error;
  }
}

const excerpt = (body: string) => JSON.stringify(body.length > 160 ? `${body.slice(0, 160)}…` : body);
