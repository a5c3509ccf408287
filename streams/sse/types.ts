/** Shared shapes of the SSE layer: what the reader yields and what the framing validator reports. */

/** One dispatched server-sent event, as the WHATWG event-stream rules define it. */
export interface SseEvent {
  /** 0-based index of this event in its stream. */
  index: number;
  /** The `event` field, or "message" when absent or empty. */
  event: string;
  /** The `data` lines joined with "\n". */
  data: string;
  /** The `id` field of this event, when this event carried one. */
  id?: string;
  /** The last-event-id buffer after this event (ids persist across events). */
  lastEventId: string;
  /** A valid `retry` field of this event, in milliseconds. */
  retry?: number;
  /** Byte offset of the event's first line in the stream. */
  offset: number;
  /** performance.now() when the bytes that completed this event arrived. */
  receivedAt: number;
}

/** A breach of the event-stream framing rules, located by byte offset and event index. */
export interface FramingIssue {
  rule: string;
  offset: number;
  /** Index of the event being assembled when the problem was seen. */
  eventIndex: number;
  message: string;
}

/** A request that opens a stream. Header names in lower case. */
export interface SseRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Every read is bounded: a stream that never starts or never ends becomes an end reason, not a hang. */
export interface SseLimits {
  /** Whole-stream deadline from send, in milliseconds. */
  deadlineMs: number;
  /** Stop after this many events. */
  maxEvents: number;
  /** Stop when no byte arrives for this long (optional). */
  idleTimeoutMs?: number;
  /** Run the strict framing validator on the bytes (default true; the load driver turns it off). */
  validateFraming?: boolean;
  /** Keep at most this many framing issues (default 100). */
  maxIssues?: number;
  /** Caps on one line, one event and the whole body (defaults: the suite's limits). */
  maxLineBytes?: number;
  maxEventBytes?: number;
  maxBytes?: number;
}

/** Why a stream ended: by itself ("closed"), broken ("error"), stopped by us ("aborted"), or at a bound. */
export type SseEndReason = "closed" | "deadline" | "max-events" | "idle-timeout" | "max-bytes" | "line-too-long" | "event-too-large" | "aborted" | "error";

export interface SseEnd {
  reason: SseEndReason;
  /** performance.now() when the stream ended. */
  endAt: number;
  bytes: number;
  events: number;
  /** True when the body closed in the middle of an event (bytes after the last blank line). */
  partialEvent: boolean;
  error?: string;
}

/** An open stream. `events()` may be iterated once; memory stays flat however long the stream is. */
export interface SseStream {
  status: number;
  headers: Record<string, string>;
  /** performance.now() just before the request was sent, and when response headers arrived. */
  sentAt: number;
  headersAt: number;
  /** performance.now() when the first body byte arrived, once it has. */
  firstByteAt?: number;
  events(): AsyncIterable<SseEvent>;
  /** Reads the whole body as text instead of events (for error responses); capped at 1 MiB. */
  text(): Promise<string>;
  /** Framing issues found so far (complete once `end` has resolved). */
  readonly framingIssues: FramingIssue[];
  /** Resolves when the stream is over, for whatever reason; never rejects. */
  readonly end: Promise<SseEnd>;
  abort(): void;
}
