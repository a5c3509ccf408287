/** Request builders and small JSON helpers for the stream scenarios of both APIs. */
import { jsonBody, type Exchange, type HttpRequest } from "../../core/exchange.ts";
import { jsonRequest } from "../../core/http.ts";
import type { Target } from "../../core/target.ts";

export const MANAGED = "managed-deep-agents" as const;
export const AGENT_SERVER = "agent-server" as const;

/** Keys the Managed API documents for the metadata half of a messages-tuple event (ls_* only on model chunks). */
export const MANAGED_TUPLE_KEYS = { tupleMetadataKeys: ["langgraph_node", "run_id", "thread_id", "assistant_id"], modelMetadataKeys: ["ls_model_name", "ls_provider"] };
export const AGENT_SERVER_TUPLE_KEYS = { tupleMetadataKeys: ["langgraph_node"], modelMetadataKeys: [] };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function managedReq(t: Target, method: string, path: string, body?: unknown): HttpRequest {
  return jsonRequest(method, `${t.managedUrl}${path}`, body, { "x-api-key": t.apiKey ?? "" });
}

export function serverReq(t: Target, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): HttpRequest {
  return jsonRequest(method, `${t.agentServerUrl}${path}`, body, headers);
}

export function streamReq(req: HttpRequest, headers: Record<string, string> = {}): HttpRequest {
  return { ...req, headers: { ...req.headers, accept: "text/event-stream", ...headers } };
}

export function json(x: Exchange): any {
  return jsonBody(x.response);
}

/** Repeats `read` until `done` accepts its value or the time is up; returns every value seen. */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000, everyMs = 50): Promise<T[]> {
  const seen: T[] = [];
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await read();
    seen.push(v);
    if (done(v) || performance.now() > deadline) return seen;
    await sleep(everyMs);
  }
}

export const TERMINAL_RUN = ["success", "error", "interrupted", "timeout"];
export const userMessage = (content = "hi") => ({ messages: [{ role: "user", content }] });
