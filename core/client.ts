/**
 * The suite's one API client. Requests are built with the API's credentials (the header its document's
 * security scheme names) and sent through a chain of small interceptors over the transport in ./http.ts:
 * a deadline on every request, the run's abort signal, request counting, and an observer for recording.
 * Redaction happens where anything is written (reproducers, reports), never here.
 */
import type { Dispatcher } from "undici";
import type { Exchange, HttpRequest } from "./exchange.ts";
import { jsonRequest, send as transport, type SendOptions } from "./http.ts";
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

/** Tells `observe` of every exchange that got an answer (for counting and recording). */
export const observe =
  (onExchange: (x: Exchange) => void): Interceptor =>
  (next) =>
  async (req, o) => {
    const x = await next(req, o);
    onExchange(x);
    return x;
  };

export interface ApiClientOptions extends Endpoint {
  /** Deadline of one request (default 30 s). */
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

const DEFAULT_TIMEOUT_MS = 30_000;

export class ApiClient {
  readonly send: Send;
  /** Requests answered so far (transport failures are not answers). */
  requests = 0;

  constructor(readonly options: ApiClientOptions) {
    const interceptors = [deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS), abortWith(options.signal), pool(options.dispatcher), observe((x) => (this.requests++, options.onExchange?.(x)))];
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
