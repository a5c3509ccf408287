/**
 * The suite's HTTP client for non-streaming calls: undici with a per-request deadline and a body cap, so a
 * server that never answers or answers forever becomes an error value, not a hang.
 */
import { request as undiciRequest, type Dispatcher } from "undici";
import type { Exchange, HttpRequest } from "./exchange.ts";
import { limits } from "./limits.ts";
import { waitOnTarget } from "./target-time.ts";

export interface SendOptions {
  /** Whole-exchange deadline in milliseconds (default: the requestTimeoutMs limit). */
  timeoutMs?: number;
  /** A longer body is a TransportError (default: the maxBodyBytes limit). */
  maxBodyBytes?: number;
  /**
   * For streams that may never end: stop reading this long after the headers and keep what arrived
   * (the exchange is then marked `truncated`). Without it, the body is read to its end.
   */
  bodyWindowMs?: number;
  /** Ends the exchange early (e.g. the user's interrupt): a TransportError of kind "aborted". */
  signal?: AbortSignal;
  /** A shared connection pool (default: undici's global one). */
  dispatcher?: Dispatcher;
}

/**
 * No usable answer: no connection, no complete response within the deadline, a body over the cap, the
 * caller's own abort, or (kind "target-down") the suite had already stopped sending to this target.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly request: HttpRequest,
    readonly kind: "timeout" | "connection" | "body-too-large" | "aborted" | "target-down",
  ) {
    super(message);
  }
}

export async function send(req: HttpRequest, options: SendOptions = {}): Promise<Exchange> {
  const waited = waitOnTarget();
  try {
    return await exchange(req, options);
  } finally {
    waited();
  }
}

async function exchange(req: HttpRequest, options: SendOptions): Promise<Exchange> {
  const timeoutMs = options.timeoutMs ?? limits().requestTimeoutMs;
  const maxBodyBytes = options.maxBodyBytes ?? limits().maxBodyBytes;
  const signal = options.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), options.signal]) : AbortSignal.timeout(timeoutMs);
  const sentAt = performance.now();
  let res;
  try {
    res = await undiciRequest(req.url, {
      method: req.method.toUpperCase() as "GET",
      headers: req.headers,
      body: req.body,
      signal,
      dispatcher: options.dispatcher,
    });
  } catch (error) {
    throw transportError(error, req, timeoutMs, options.signal);
  }
  const headersAt = performance.now();
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const window = options.bodyWindowMs === undefined ? undefined : setTimeout(() => {
    truncated = true;
    res.body.destroy();
  }, options.bodyWindowMs);
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        res.body.destroy();
        // A stream read for a window may be long: the cap cuts it like the window's end does.
        if (options.bodyWindowMs !== undefined) {
          truncated = true;
          break;
        }
        throw new TransportError(`the response body exceeded the suite's cap of ${maxBodyBytes} bytes`, req, "body-too-large");
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof TransportError) throw error;
    if (!truncated) throw transportError(error, req, timeoutMs, options.signal);
  } finally {
    clearTimeout(window);
  }
  const endAt = performance.now();
  return {
    request: req,
    response: { status: res.statusCode, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks).toString("utf8") },
    timings: { sentAt, headersAt, endAt },
    ...(truncated ? { truncated } : {}),
  };
}

export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** What undici's error codes mean, in the words a report needs. */
const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by the server",
  UND_ERR_SOCKET: "connection closed by the server",
  UND_ERR_HEADERS_OVERFLOW: "response headers larger than the client accepts",
  HPE_HEADER_OVERFLOW: "response headers larger than the client accepts",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "the body did not match its Content-Length",
};

function transportError(error: unknown, req: HttpRequest, timeoutMs: number, signal: AbortSignal | undefined): TransportError {
  if (signal?.aborted) return new TransportError("stopped by the suite before the answer was complete", req, "aborted");
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError" || e?.code === "UND_ERR_ABORTED") {
    return new TransportError(`no complete response within ${timeoutMs} ms`, req, "timeout");
  }
  const code = e?.code ?? e?.cause?.code;
  const known = code ? CONNECTION_ERRORS[code] : undefined;
  return new TransportError(known ? `${known} (${code})` : `${code ?? "error"}: ${e?.message ?? String(error)}`, req, "connection");
}

/** Convenience for JSON calls. */
export function jsonRequest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): HttpRequest {
  const h: Record<string, string> = { accept: "application/json", ...lowerCaseHeaders(headers) };
  if (body !== undefined) h["content-type"] = "application/json";
  return { method, url, headers: h, body: body === undefined ? undefined : JSON.stringify(body) };
}

const lowerCaseHeaders = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
