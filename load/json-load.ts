/**
 * Throughput and latency of the plain JSON endpoints (get, list, search, count) under concurrency, with
 * autocannon. Its own latency histogram has 1 ms resolution (loopback answers show as 0 ms), so each
 * response time from its `response` event goes into our microsecond HDR histogram instead. Every run is
 * bounded by a mandatory duration. Only reads are loaded: nothing is created that would need cleaning up.
 */
import autocannon from "autocannon";
import type { ApiClient } from "../core/client.ts";
import { jsonBody } from "../core/exchange.ts";
import type { SpecId } from "../core/target.ts";
import { LatencyHistogram, type LatencySummary } from "./metrics/histogram.ts";
import { assertAllowedTarget } from "./driver/safety.ts";

export interface JsonEndpoint {
  name: string;
  method: "GET" | "POST";
  /** Path appended to the API base URL. */
  path: string;
  body?: unknown;
}

export interface JsonLoadOptions {
  client: ApiClient;
  endpoint: JsonEndpoint;
  /** Mandatory bound, in seconds (at most 600). */
  durationS: number;
  connections?: number;
  /** Optional cap on requests; the duration still bounds the run. */
  maxRequests?: number;
  /** Per-request timeout in seconds (default 10). */
  timeoutS?: number;
  allowHosts?: string[];
}

export interface JsonLoadResult {
  endpoint: string;
  method: string;
  path: string;
  connections: number;
  duration_s: number;
  requests: number;
  requests_per_s: number;
  /** Response time per request (send → full response), from autocannon's response event, µs resolution. */
  latency_ms: LatencySummary;
  status: { "2xx": number; non2xx: number };
  errors: number;
  timeouts: number;
  /** The latency histogram, encoded for merging (LatencyHistogram.decode). */
  histogram: string;
}

export async function runJsonLoad(o: JsonLoadOptions): Promise<JsonLoadResult> {
  if (!(o.durationS > 0 && o.durationS <= 600)) throw new Error(`durationS is mandatory and must be in (0, 600], got ${o.durationS}`);
  const url = o.client.url(o.endpoint.path);
  assertAllowedTarget(url, o.allowHosts);
  const connections = o.connections ?? 10;
  const histogram = LatencyHistogram.create();
  const request = o.client.request(o.endpoint.method, o.endpoint.path, o.endpoint.body);
  const options: autocannon.Options = {
    url,
    method: o.endpoint.method,
    headers: request.headers,
    body: request.body,
    connections,
    duration: o.durationS,
    timeout: o.timeoutS ?? 10,
  };
  // Not `amount`, which would override the duration; this cap ends the run early and keeps the duration bound.
  if (o.maxRequests !== undefined) {
    if (!Number.isInteger(o.maxRequests) || o.maxRequests < connections) throw new Error(`maxRequests must be an integer of at least connections (${connections})`);
    options.maxOverallRequests = o.maxRequests;
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, r) => (error ? reject(new Error(`autocannon failed: ${(error as Error).message ?? error}`)) : resolve(r)));
    instance.on("response", (_client, _status, _bytes, ms) => histogram.recordMs(ms));
  });
  const requests = result["2xx"] + result.non2xx;
  return {
    endpoint: o.endpoint.name,
    method: o.endpoint.method,
    path: o.endpoint.path,
    connections,
    duration_s: result.duration,
    requests,
    requests_per_s: result.duration > 0 ? requests / result.duration : 0,
    latency_ms: histogram.summary(),
    status: { "2xx": result["2xx"], non2xx: result.non2xx },
    errors: result.errors,
    timeouts: result.timeouts,
    histogram: histogram.encode(),
  };
}

/**
 * Makes the one thread the reads point at (tagged, for the caller to delete) and returns the read-only
 * endpoints: get thread, list or list runs, search and count.
 */
export async function jsonEndpoints(spec: SpecId, client: ApiClient, o: { agentId?: string; tag: string }): Promise<{ threadId: string; endpoints: JsonEndpoint[] }> {
  const metadata = { agentwire: o.tag };
  const x = await client.call("POST", "/threads", spec === "managed-deep-agents" ? { agent_id: o.agentId, metadata } : { metadata });
  const body = jsonBody(x.response) as { thread_id?: unknown; id?: unknown } | undefined;
  const threadId = body?.thread_id ?? body?.id;
  if (x.response.status >= 300 || typeof threadId !== "string") throw new Error(`POST /threads answered ${x.response.status}${typeof threadId === "string" ? "" : " without a thread id"}`);
  if (spec === "managed-deep-agents") {
    const agent = encodeURIComponent(o.agentId ?? "");
    return {
      threadId,
      endpoints: [
        { name: "get thread", method: "GET", path: `/threads/${threadId}` },
        { name: "list threads", method: "GET", path: `/threads?agent_id=${agent}&page_size=20` },
        { name: "search threads", method: "POST", path: "/threads/search", body: { metadata, limit: 10 } },
        { name: "count threads", method: "GET", path: `/threads/count?agent_id=${agent}` },
      ],
    };
  }
  return {
    threadId,
    endpoints: [
      { name: "get thread", method: "GET", path: `/threads/${threadId}` },
      { name: "list runs", method: "GET", path: `/threads/${threadId}/runs?limit=10` },
      { name: "search threads", method: "POST", path: "/threads/search", body: { metadata, limit: 10 } },
      { name: "count threads", method: "POST", path: "/threads/count", body: { metadata } },
    ],
  };
}
