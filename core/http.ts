/**
 * The suite's HTTP client for non-streaming calls: undici with a per-request deadline and a body cap, so a
 * server that never answers or answers forever becomes an error value, not a hang.
 */
import { request as undiciRequest, type Dispatcher } from "undici";
import type { Exchange, HttpRequest } from "./exchange.ts";

export interface SendOptions {
  /** Whole-exchange deadline in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Bodies longer than this are cut and flagged (default 8 MiB). */
  maxBodyBytes?: number;
  /**
   * For streams that may never end: stop reading this long after the headers and keep what arrived
   * (the exchange is then marked `truncated`). Without it, the body is read to its end.
   */
  bodyWindowMs?: number;
  /** Ends the exchange early (e.g. the user's interrupt); reported like a timeout. */
  signal?: AbortSignal;
  /** A shared connection pool (default: undici's global one). */
  dispatcher?: Dispatcher;
}

export class TransportError extends Error {
  constructor(
    message: string,
    readonly request: HttpRequest,
    readonly kind: "timeout" | "connection" | "body-too-large",
  ) {
    super(message);
  }
}

export async function send(req: HttpRequest, options: SendOptions = {}): Promise<Exchange> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
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
    throw transportError(error, req, timeoutMs);
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
        throw new TransportError(`response body exceeded ${maxBodyBytes} bytes`, req, "body-too-large");
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof TransportError) throw error;
    if (!truncated) throw transportError(error, req, timeoutMs);
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

function transportError(error: unknown, req: HttpRequest, timeoutMs: number): TransportError {
  const e = error as { name?: string; code?: string; message?: string };
  if (e?.name === "TimeoutError" || e?.name === "AbortError" || e?.code === "UND_ERR_ABORTED") {
    return new TransportError(`no complete response within ${timeoutMs} ms`, req, "timeout");
  }
  return new TransportError(`${e?.code ?? "error"}: ${e?.message ?? String(error)}`, req, "connection");
}

/** Convenience for JSON calls. */
export function jsonRequest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): HttpRequest {
  const h: Record<string, string> = { accept: "application/json", ...lowerCaseHeaders(headers) };
  if (body !== undefined) h["content-type"] = "application/json";
  return { method, url, headers: h, body: body === undefined ? undefined : JSON.stringify(body) };
}

const lowerCaseHeaders = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
