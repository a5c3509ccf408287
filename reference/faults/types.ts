/** How a named fault plugs into the reference's front proxy. */
import type { CheckName } from "../../core/checks.ts";

export type ReferenceApi = "managed" | "agent-server";

/** A request as the front proxy received it (body fully read: requests are small). */
export interface ProxiedRequest {
  api: ReferenceApi;
  method: string;
  /** Path without the query string, e.g. /v1/deepagents/agents/123. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface BufferedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One SSE event as the stream transforms see it. */
export interface ProxyEvent {
  event: string;
  data: string;
  id?: string;
}

/** Rewrites a stream one event at a time (the front re-frames the output), or at the byte level. */
export type StreamTransform = (
  | { kind: "events"; event(e: ProxyEvent): EventOutput | Promise<EventOutput> }
  | { kind: "bytes"; chunk(b: Buffer): Buffer[]; end(): Buffer[] }
) & {
  /** Rewrite the response headers of the stream. */
  headers?(h: Record<string, string>): Record<string, string>;
  /** After the upstream ends, keep the client connection open, sending a comment line every second. */
  holdOpen?: boolean;
};

/** Events to send for one input event; `close` ends the client's stream right after them. */
export interface EventOutput {
  events: ProxyEvent[];
  close?: boolean;
}

export interface FaultHooks {
  /** Which requests the hooks below apply to. */
  match(req: ProxiedRequest): boolean;
  /** Hold the request back this long before it is handled. */
  delayMs?: number;
  /** Rewrite the request, or answer it without forwarding. */
  request?(req: ProxiedRequest): ProxiedRequest | BufferedResponse;
  /** Rewrite a non-stream response (the front buffers it when a fault needs it). */
  response?(res: BufferedResponse, req: ProxiedRequest): BufferedResponse;
  /** Rewrite an event-stream response. */
  stream?(req: ProxiedRequest): StreamTransform;
}

export interface FaultContext {
  /** The key the reference accepts. */
  apiKey: string;
}

export interface Fault {
  name: string;
  /** The API(s) whose traffic the fault breaks. */
  apis: ReferenceApi[];
  /** The documented rule this fault breaks, in one sentence. */
  rule: string;
  /** The checks that report it (each has a fault-matrix case in the project's tests). */
  caughtBy: CheckName[];
  /**
   * Set when the shipped documents allow what the fault does, so it breaks only a document that says more
   * (what that document must say). Its checks are shown to catch it against such a copy in the project's
   * tests; run against the shipped documents it must raise nothing, and the peer bench leaves it out.
   */
  stricterDocument?: string;
  /** Emulator options the fault needs (for faults that live inside the emulator). */
  emulator?: { lenientValidation?: boolean };
  /** Creates fresh hooks (with their own state) for one reference instance. */
  hooks?(ctx: FaultContext): FaultHooks;
}
