/** Small typed helpers the project tests use to talk to a reference. */
import { send, jsonRequest } from "../../core/http.ts";
import type { Exchange } from "../../core/exchange.ts";
import { jsonBody } from "../../core/exchange.ts";
import { openSse } from "../../streams/sse/reader.ts";
import type { SseEvent, SseEnd, SseStream } from "../../streams/sse/types.ts";

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
  exchange: Exchange;
}

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const exchange = await send(jsonRequest(method, url, body, headers));
  return { status: exchange.response.status, headers: exchange.response.headers, text: exchange.response.body, json: jsonBody(exchange.response), exchange };
}

/** A client of the Managed API with the reference's key (override per call with headers). */
export function managed(base: string, apiKey: string) {
  const auth = { "x-api-key": apiKey };
  return {
    get: (path: string, headers: Record<string, string> = auth) => call("GET", `${base}${path}`, undefined, headers),
    post: (path: string, body?: unknown, headers: Record<string, string> = auth) => call("POST", `${base}${path}`, body, headers),
    patch: (path: string, body?: unknown) => call("PATCH", `${base}${path}`, body, auth),
    delete: (path: string) => call("DELETE", `${base}${path}`, undefined, auth),
    send: (method: string, path: string, body?: unknown) => call(method, `${base}${path}`, body, auth),
    stream: (path: string, body: unknown, limits: Partial<StreamLimits> = {}) =>
      readStream({ method: "POST", url: `${base}${path}`, headers: { ...auth, "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify(body) }, limits),
  };
}

export function agentServer(base: string) {
  return {
    get: (path: string, headers: Record<string, string> = {}) => call("GET", `${base}${path}`, undefined, headers),
    post: (path: string, body?: unknown) => call("POST", `${base}${path}`, body),
    stream: (path: string, body: unknown, limits: Partial<StreamLimits> = {}) =>
      readStream({ method: "POST", url: `${base}${path}`, headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify(body) }, limits),
    join: (path: string, headers: Record<string, string> = {}, limits: Partial<StreamLimits> = {}) =>
      readStream({ method: "GET", url: `${base}${path}`, headers: { accept: "text/event-stream", ...headers } }, limits),
  };
}

interface StreamLimits {
  deadlineMs: number;
  maxEvents: number;
  /** Stop reading (abort) after this many events. */
  abortAfter?: number;
}

export interface ReadStream {
  stream: SseStream;
  events: SseEvent[];
  end: SseEnd;
  /** performance.now() at send. */
  sentAt: number;
}

export async function readStream(req: Parameters<typeof openSse>[0], limits: Partial<StreamLimits>): Promise<ReadStream> {
  const stream = await openSse(req, { deadlineMs: limits.deadlineMs ?? 20_000, maxEvents: limits.maxEvents ?? 10_000 });
  const events: SseEvent[] = [];
  if (stream.status < 300) {
    for await (const e of stream.events()) {
      events.push(e);
      if (limits.abortAfter !== undefined && events.length >= limits.abortAfter) {
        stream.abort();
        break;
      }
    }
  } else await stream.text();
  return { stream, events, end: await stream.end, sentAt: stream.sentAt };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `read` returns a value accepted by `done`, or gives up after `timeoutMs` returning the last value. */
export async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await read();
  while (!done(v) && Date.now() < deadline) {
    await sleep(everyMs);
    v = await read();
  }
  return v;
}
