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
