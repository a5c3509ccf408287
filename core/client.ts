/**
 * The suite's one API client. Requests are built with the API's credentials (the header its document's
 * security scheme names) and sent through a chain of small interceptors over the transport in ./http.ts:
 * a deadline on every request, the run's abort signal, waits that honour a rate limit's Retry-After, a
 * breaker that stops sending to a target that has stopped answering, request counting, an observer, and
 * the run's record of exchanges (--record).
 * Redaction happens where anything is written (reproducers, reports), never here.
 */
import type { Dispatcher } from "undici";
import type { Exchange, HttpRequest } from "./exchange.ts";
import { jsonRequest, send as transport, TransportError, type SendOptions } from "./http.ts";
import { limits } from "./limits.ts";
import { sleep } from "./poll.ts";
import { record, recording } from "./recording.ts";
import { endpointOf, type Endpoint, type SpecId, type Target } from "./target.ts";

export type Send = (req: HttpRequest, options?: SendOptions) => Promise<Exchange>;
export type Interceptor = (next: Send) => Send;

/** Applies interceptors around `base`; the first one listed sees the request first. */
const compose = (base: Send, ...interceptors: Interceptor[]): Send => interceptors.reduceRight<Send>((next, i) => i(next), base);

/** A default deadline for every request (a caller may ask for another). */
export const deadline =
  (timeoutMs: number): Interceptor =>
  (next) =>
  (req, o = {}) =>
    next(req, { timeoutMs, ...o });

/** Ends every request when the run is aborted (a caller's own signal still applies too). */
const abortWith =
  (signal: AbortSignal | undefined): Interceptor =>
  (next) =>
  (req, o = {}) =>
    next(req, signal ? { ...o, signal: o.signal ? AbortSignal.any([signal, o.signal]) : signal } : o);

/** Sends through one connection pool unless the caller names another. */
export const pool =
  (dispatcher: Dispatcher | undefined): Interceptor =>
  (next) =>
  (req, o = {}) =>
    next(req, dispatcher && !o.dispatcher ? { ...o, dispatcher } : o);

/**
 * A 429 says the request was not processed (RFC 6585) and how long to wait (RFC 9110 Retry-After): staging
 * servers rate-limit, and a verdict must be about the API, not about the suite's pace. The request is sent
 * again after that wait, a few times at most; a wait beyond the bound, or the last 429, is the answer.
 */
const honourRateLimits =
  (retries: number, maxWaitMs: number, budgetMs: number): Interceptor =>
  (next) =>
  async (req, o = {}) => {
    for (let attempt = 0; ; attempt++) {
      const x = await next(req, o);
      if (x.response.status !== 429 || attempt >= retries) return x;
      const wait = retryAfterMs(x.response.headers["retry-after"], attempt);
      if (wait > maxWaitMs || rateLimitWaitMs + wait > budgetMs || o.signal?.aborted) return x;
      rateLimitWaitMs += wait;
      await sleep(wait, o.signal);
    }
  };

/** What this process has waited for rate limits so far (bounded by the rateLimitBudgetMs limit). */
let rateLimitWaitMs = 0;

/** Retry-After as milliseconds (delay-seconds or an HTTP date); without one, 1, 2, 4 … seconds. */
export function retryAfterMs(value: string | undefined, attempt: number, now = Date.now()): number {
  const backoff = 1000 * 2 ** attempt;
  if (value === undefined) return backoff;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? backoff : Math.max(0, at - now);
}

/**
 * Counts requests in a row that got no usable answer from one target (host and port). Past the threshold
 * it trips: every later request to that target fails at once, and `onTrip` listeners hear why, once.
 */
export class Breaker {
  private failures = 0;
  private last = "";
  /** Why the suite stopped sending to this target; undefined while it still sends. */
  tripped: string | undefined;

  constructor(
    readonly origin: string,
    private readonly threshold: number,
  ) {}

  /** Throws when the breaker has tripped. */
  check(req: HttpRequest): void {
    if (this.tripped) throw new TransportError(this.tripped, req, "target-down");
  }

  answered(): void {
    this.failures = 0;
  }

  /** A failure of the caller's own making (its abort) says nothing about the target. */
  failed(why: string, kind?: TransportError["kind"]): void {
    if (kind === "aborted" || kind === "target-down" || this.tripped) return;
    this.last = why;
    if (++this.failures < this.threshold) return;
    this.tripped = `stopped sending to ${this.origin}: ${this.failures} requests in a row got no usable answer (last: ${this.last})`;
    for (const listener of tripListeners) listener(this.tripped);
  }
}

const breakers = new Map<string, Breaker>();
const tripListeners: ((reason: string) => void)[] = [];

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/** The breaker of the target `url` belongs to, shared by every client and stream of this process. */
export function breakerFor(url: string): Breaker {
  const origin = originOf(url);
  let b = breakers.get(origin);
  if (!b) breakers.set(origin, (b = new Breaker(origin, limits().breakerThreshold)));
  return b;
}

/** Hears every breaker that trips in this process (e.g. to tell the other processes of the run). */
export const onBreakerTrip = (listener: (reason: string) => void) => void tripListeners.push(listener);

/** The reason of the first tripped breaker of this process, if any. */
export const trippedBreaker = (): string | undefined => [...breakers.values()].find((b) => b.tripped)?.tripped;

/** Fails fast once the target's breaker has tripped; tells the breaker of every answer and every failure. */
const failFast: Interceptor = (next) => async (req, o) => {
  const breaker = breakerFor(req.url);
  breaker.check(req);
  try {
    const x = await next(req, o);
    breaker.answered();
    return x;
  } catch (error) {
    if (error instanceof TransportError) breaker.failed(error.message, error.kind);
    throw error;
  }
};

/** Tells `observe` of every exchange that got an answer (for counting and recording). */
export const observe =
  (onExchange: (x: Exchange) => void): Interceptor =>
  (next) =>
  async (req, o) => {
    const x = await next(req, o);
    onExchange(x);
    return x;
  };

/** Hands every request sent, answered or not, to the process's record (--record); each 429 retry is its own. */
const recordEach: Interceptor = (next) => async (req, o) => {
  if (!recording()) return next(req, o);
  const startedAt = Date.now();
  const t0 = performance.now();
  try {
    const x = await next(req, o);
    record({ startedAt, durationMs: x.timings.endAt - x.timings.sentAt, request: req, response: x.response, ...(x.truncated ? { end: "window" } : {}) });
    return x;
  } catch (error) {
    if (error instanceof TransportError) record({ startedAt, durationMs: performance.now() - t0, request: req, error: error.message });
    throw error;
  }
};

export interface ApiClientOptions extends Endpoint {
  /** Deadline of one request (default: the requestTimeoutMs limit). */
  timeoutMs?: number;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  onExchange?(x: Exchange): void;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Leave the credentials out (default: sent). */
  auth?: boolean;
}

export class ApiClient {
  readonly send: Send;
  /** Requests answered so far (transport failures are not answers). */
  requests = 0;

  constructor(readonly options: ApiClientOptions) {
    const interceptors = [
      deadline(options.timeoutMs ?? limits().requestTimeoutMs),
      abortWith(options.signal),
      pool(options.dispatcher),
      honourRateLimits(limits().rateLimitRetries, limits().rateLimitMaxWaitMs, limits().rateLimitBudgetMs),
      failFast,
      observe((x) => (this.requests++, options.onExchange?.(x))),
      recordEach,
    ];
    this.send = compose(transport, ...interceptors);
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** The headers an authorised request carries. */
  authHeaders(): Record<string, string> {
    const a = this.options.auth;
    return a ? { [a.header]: a.value } : {};
  }

  /** A path of this API (or an absolute URL, e.g. a Location header's) as a full URL. */
  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.options.baseUrl}${path}`;
  }

  /** Builds a JSON request to this API, with its credentials unless told otherwise. */
  request(method: string, path: string, body?: unknown, o: RequestOptions = {}): HttpRequest {
    return jsonRequest(method, this.url(path), body, { ...(o.auth === false ? {} : this.authHeaders()), ...o.headers });
  }

  /** Builds and sends a JSON request. */
  call(method: string, path: string, body?: unknown, o: RequestOptions & SendOptions = {}): Promise<Exchange> {
    const { headers, auth, ...send } = o;
    return this.send(this.request(method, path, body, { headers, auth }), send);
  }

  /** The same API with other options (another signal, deadline or observer). */
  with(options: Partial<ApiClientOptions>): ApiClient {
    return new ApiClient({ ...this.options, ...options });
  }
}

/** The client of one API of a target; undefined when the target does not serve it. */
export function clientFor(target: Target, spec: SpecId, options: Omit<ApiClientOptions, keyof Endpoint> = {}): ApiClient | undefined {
  const endpoint = endpointOf(target, spec);
  return endpoint && new ApiClient({ ...endpoint, ...options });
}
