/**
 * Scenarios build each run's requests: an untimed thread creation, then the timed stream request. One per
 * API; the driver knows nothing else about either.
 */
import type { Dispatcher } from "undici";
import type { TokenMode } from "../metrics/tokens.ts";
import type { SseRequest } from "../../streams/sse/types.ts";
import { postJson } from "./http.ts";
import { lowerCaseHeaders } from "../../core/http.ts";

export interface Scenario {
  name: string;
  /** Every URL this scenario sends to starts with this (checked against the allow-list). */
  baseUrl: string;
  /** Which events carry model output on this scenario's streams. */
  mode: TokenMode;
  /** Untimed setup: creates a thread and returns its id. */
  createThread(dispatcher: Dispatcher, signal?: AbortSignal): Promise<string>;
  /** The timed request that opens a run on `threadId`. */
  streamRequest(threadId: string): SseRequest;
}

/** The scripted model's knobs (reference/upstream/scripted-model.ts); the synthetic source reads them too. */
export interface ModelKnobs {
  tokens?: number;
  delayMs?: number;
  firstTokenDelayMs?: number;
}

const knobs = (m: ModelKnobs | undefined): Record<string, number> => {
  const c: Record<string, number> = {};
  if (m?.tokens !== undefined) c.fake_tokens = m.tokens;
  if (m?.delayMs !== undefined) c.fake_delay_ms = m.delayMs;
  if (m?.firstTokenDelayMs !== undefined) c.fake_first_token_delay_ms = m.firstTokenDelayMs;
  return c;
};

const threadIdOf = (body: unknown): string => {
  const b = body as { thread_id?: unknown; id?: unknown } | null;
  const id = b?.thread_id ?? b?.id;
  if (typeof id !== "string" || !id) throw new Error("thread creation answered without a thread id");
  return id;
};

const trim = (url: string) => url.replace(/\/+$/, "");

export interface AgentServerScenarioOptions {
  baseUrl: string;
  assistantId: string;
  message?: string;
  mode?: TokenMode;
  model?: ModelKnobs;
  /** Extra request headers (e.g. auth for a deployed server). */
  headers?: Record<string, string>;
  /** Metadata of the threads it creates, so they are recognisable as the suite's. */
  metadata?: Record<string, string>;
}

/** LangGraph Agent Server: POST /threads, then POST /threads/{id}/runs/stream with assistant_id. */
export function agentServerScenario(o: AgentServerScenarioOptions): Scenario {
  const base = trim(o.baseUrl);
  const headers = lowerCaseHeaders(o.headers ?? {});
  const mode = o.mode ?? "messages-tuple";
  const configurable = knobs(o.model);
  return {
    name: `agent-server:${o.assistantId}`,
    baseUrl: base,
    mode,
    async createThread(dispatcher, signal) {
      return threadIdOf(await postJson(dispatcher, `${base}/threads`, { metadata: o.metadata ?? {} }, headers, signal));
    },
    streamRequest(threadId) {
      const body: Record<string, unknown> = {
        assistant_id: o.assistantId,
        input: { messages: [{ role: "user", content: o.message ?? "hello" }] },
        stream_mode: [mode],
      };
      if (Object.keys(configurable).length) body.config = { configurable };
      return streamPost(`${base}/threads/${encodeURIComponent(threadId)}/runs/stream`, body, headers);
    },
  };
}

export interface ManagedScenarioOptions {
  /** Base URL ending in /v1/deepagents. */
  baseUrl: string;
  apiKey: string;
  agentId: string;
  message?: string;
  model?: ModelKnobs;
  /** Metadata of the threads it creates, so they are recognisable as the suite's. */
  metadata?: Record<string, string>;
}

/** Managed Deep Agents API: POST /threads with agent_id, then POST /threads/{id}/runs/stream (messages-tuple). */
export function managedScenario(o: ManagedScenarioOptions): Scenario {
  const base = trim(o.baseUrl);
  const headers = { "x-api-key": o.apiKey };
  const configurable = knobs(o.model);
  return {
    name: `managed:${o.agentId}`,
    baseUrl: base,
    mode: "messages-tuple",
    async createThread(dispatcher, signal) {
      return threadIdOf(await postJson(dispatcher, `${base}/threads`, { agent_id: o.agentId, metadata: o.metadata ?? {} }, headers, signal));
    },
    streamRequest(threadId) {
      const body: Record<string, unknown> = {
        agent_id: o.agentId,
        input: { messages: [{ role: "user", content: o.message ?? "hello" }] },
        stream_mode: ["messages-tuple"],
      };
      // StreamRunRequest allows extra properties; the reference forwards config to the scripted model.
      if (Object.keys(configurable).length) body.config = { configurable };
      return streamPost(`${base}/threads/${encodeURIComponent(threadId)}/runs/stream`, body, headers);
    },
  };
}

function streamPost(url: string, body: unknown, headers: Record<string, string>): SseRequest {
  return { method: "POST", url, headers: { ...headers, "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify(body) };
}

