/**
 * Load scenarios build each run's requests: an untimed thread creation, then the timed stream request. One
 * per API; the driver knows nothing else about either. Setup calls go through the suite's API client.
 */
import type { Dispatcher } from "undici";
import { ApiClient } from "../../core/client.ts";
import { jsonBody } from "../../core/exchange.ts";
import type { TokenMode } from "../../streams/grammar/tokens.ts";
import type { SseRequest } from "../../streams/sse/types.ts";
import type { Endpoint } from "../../core/target.ts";

export interface LoadScenario {
  name: string;
  /** Every URL this scenario sends to starts with this (checked against the allow-list). */
  baseUrl: string;
  /** Which events carry model output on this scenario's streams. */
  mode: TokenMode;
  /** Untimed setup: creates a thread and returns its id. */
  createThread(dispatcher: Dispatcher, signal?: AbortSignal): Promise<string>;
  /** The timed request that opens a run on `threadId`. */
  streamRequest(threadId: string): SseRequest;
  /** Plain data a worker thread rebuilds this scenario from (scenarioFromSpec); absent on hand-made scenarios. */
  spec?: ScenarioSpec;
}

export interface ScenarioSpec {
  api: "agent-server" | "managed";
  endpoint: Endpoint;
  timeoutMs?: number;
  /** The assistant (Agent Server) or agent (Managed API). */
  id: string;
  mode?: TokenMode;
  message?: string;
  runConfig?: Record<string, unknown>;
  metadata?: Record<string, string>;
}

interface CommonOptions {
  client: ApiClient;
  message?: string;
  /** The run's `config` (an embedded reference's model knobs); none on other targets. */
  runConfig?: Record<string, unknown>;
  /** Metadata of the threads it creates, so they are recognisable as the suite's. */
  metadata?: Record<string, string>;
}

async function newThread(client: ApiClient, body: unknown, dispatcher: Dispatcher, signal?: AbortSignal): Promise<string> {
  const x = await client.call("POST", "/threads", body, { dispatcher, signal });
  if (x.response.status < 200 || x.response.status >= 300) throw new Error(`POST /threads answered ${x.response.status}: ${x.response.body.slice(0, 200)}`);
  const b = jsonBody(x.response) as { thread_id?: unknown; id?: unknown } | undefined;
  const id = b?.thread_id ?? b?.id;
  if (typeof id !== "string" || !id) throw new Error("thread creation answered without a thread id");
  return id;
}

function streamPost(client: ApiClient, threadId: string, body: Record<string, unknown>): SseRequest {
  const req = client.request("POST", `/threads/${encodeURIComponent(threadId)}/runs/stream`, body, { headers: { accept: "text/event-stream" } });
  return { method: "POST", url: req.url, headers: req.headers, body: req.body };
}

const input = (message?: string) => ({ messages: [{ role: "user", content: message ?? "hello" }] });

/** LangGraph Agent Server: POST /threads, then POST /threads/{id}/runs/stream with assistant_id. */
export function agentServerScenario(o: CommonOptions & { assistantId: string; mode?: TokenMode }): LoadScenario {
  const mode = o.mode ?? "messages-tuple";
  return {
    spec: { ...specOf(o), api: "agent-server", id: o.assistantId, mode },
    name: `agent-server:${o.assistantId}`,
    baseUrl: o.client.baseUrl,
    mode,
    createThread: (dispatcher, signal) => newThread(o.client, { metadata: o.metadata ?? {} }, dispatcher, signal),
    streamRequest: (threadId) => streamPost(o.client, threadId, { assistant_id: o.assistantId, input: input(o.message), stream_mode: [mode], ...(o.runConfig ? { config: o.runConfig } : {}) }),
  };
}

/** Managed Deep Agents API: POST /threads with agent_id, then POST /threads/{id}/runs/stream (messages-tuple). */
export function managedScenario(o: CommonOptions & { agentId: string }): LoadScenario {
  return {
    spec: { ...specOf(o), api: "managed", id: o.agentId },
    name: `managed:${o.agentId}`,
    baseUrl: o.client.baseUrl,
    mode: "messages-tuple",
    createThread: (dispatcher, signal) => newThread(o.client, { agent_id: o.agentId, metadata: o.metadata ?? {} }, dispatcher, signal),
    // StreamRunRequest allows extra properties; the reference forwards config to the scripted model.
    streamRequest: (threadId) => streamPost(o.client, threadId, { agent_id: o.agentId, input: input(o.message), stream_mode: ["messages-tuple"], ...(o.runConfig ? { config: o.runConfig } : {}) }),
  };
}

const specOf = (o: CommonOptions) => {
  const { baseUrl, auth, timeoutMs } = o.client.options;
  return { endpoint: { baseUrl, ...(auth ? { auth } : {}) }, timeoutMs, message: o.message, runConfig: o.runConfig, metadata: o.metadata };
};

/** The scenario a spec describes, with a client of its own (for a worker thread). */
export function scenarioFromSpec(spec: ScenarioSpec): LoadScenario {
  const common = { client: new ApiClient({ ...spec.endpoint, timeoutMs: spec.timeoutMs }), message: spec.message, runConfig: spec.runConfig, metadata: spec.metadata };
  return spec.api === "managed" ? managedScenario({ ...common, agentId: spec.id }) : agentServerScenario({ ...common, assistantId: spec.id, mode: spec.mode });
}
