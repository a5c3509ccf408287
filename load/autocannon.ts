/**
 * Throughput and latency of plain JSON endpoints with autocannon. Its own latency histogram has 1 ms
 * resolution (loopback answers show as 0 ms), so each response time from its `response` event goes into our
 * microsecond HDR histogram instead. Every run is bounded by a mandatory duration.
 */
import autocannon from "autocannon";
import { jsonRequest, send } from "../core/http.ts";
import { jsonBody } from "../core/exchange.ts";
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
  baseUrl: string;
  endpoint: JsonEndpoint;
  /** Sent with every request (e.g. X-Api-Key); never printed. */
  headers?: Record<string, string>;
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
  const url = `${o.baseUrl.replace(/\/+$/, "")}${o.endpoint.path}`;
  assertAllowedTarget(url, o.allowHosts);
  const connections = o.connections ?? 10;
  const histogram = LatencyHistogram.create();
  const body = o.endpoint.body === undefined ? undefined : JSON.stringify(o.endpoint.body);
  const options: autocannon.Options = {
    url,
    method: o.endpoint.method,
    headers: { ...o.headers, accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body,
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

export type JsonApi =
  | { api: "agent-server"; baseUrl: string; assistantId: string; headers?: Record<string, string> }
  | { api: "managed"; baseUrl: string; agentId: string; apiKey: string };

/**
 * Creates what the endpoints need (a thread; on the Agent Server also a run) and returns the endpoint list:
 * create thread, get thread, search threads, and get run (Agent Server) or list threads (Managed API, which has
 * no get-run operation).
 */
export async function prepareJsonEndpoints(target: JsonApi, allowHosts: string[] = []): Promise<{ endpoints: JsonEndpoint[]; headers: Record<string, string> }> {
  const base = target.baseUrl.replace(/\/+$/, "");
  assertAllowedTarget(base, allowHosts);
  const headers = target.api === "managed" ? { "x-api-key": target.apiKey } : (target.headers ?? {});
  const post = async (path: string, payload: unknown) => {
    const ex = await send(jsonRequest("POST", `${base}${path}`, payload, headers), { timeoutMs: 30_000 });
    if (ex.response.status >= 300) throw new Error(`setup POST ${path} answered ${ex.response.status}`);
    return jsonBody(ex.response) as Record<string, unknown> | undefined;
  };
  if (target.api === "managed") {
    const thread = await post("/threads", { agent_id: target.agentId });
    const id = String(thread?.thread_id ?? thread?.id ?? "");
    if (!id) throw new Error("setup: thread creation answered without an id");
    return {
      headers,
      endpoints: [
        { name: "create thread", method: "POST", path: "/threads", body: { agent_id: target.agentId } },
        { name: "get thread", method: "GET", path: `/threads/${id}` },
        { name: "search threads", method: "POST", path: "/threads/search", body: { limit: 10 } },
        { name: "list threads", method: "GET", path: `/threads?agent_id=${encodeURIComponent(target.agentId)}&page_size=20` },
      ],
    };
  }
  const thread = await post("/threads", {});
  const threadId = String(thread?.thread_id ?? "");
  if (!threadId) throw new Error("setup: thread creation answered without a thread_id");
  const run = await post(`/threads/${threadId}/runs`, { assistant_id: target.assistantId, input: { messages: [{ role: "user", content: "hello" }] } });
  const runId = String(run?.run_id ?? "");
  if (!runId) throw new Error("setup: run creation answered without a run_id");
  return {
    headers,
    endpoints: [
      { name: "create thread", method: "POST", path: "/threads", body: {} },
      { name: "get thread", method: "GET", path: `/threads/${threadId}` },
      { name: "search threads", method: "POST", path: "/threads/search", body: { limit: 10 } },
      { name: "get run", method: "GET", path: `/threads/${threadId}/runs/${runId}` },
    ],
  };
}
