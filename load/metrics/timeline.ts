/**
 * The timing model of one streamed run. Every instant is stamped once, on one clock (performance.now() of
 * the driving process, in milliseconds); every metric is derived from these stamps by the functions below.
 */

/** Why a run did not complete normally. */
export type ErrorKind =
  /** Thread creation (untimed setup) failed. */
  | "setup"
  /** No response headers: connection refused, reset or timed out before headers. */
  | "connect"
  /** The response status was not 2xx (the status is kept in `status`). */
  | "http"
  /** The stream carried an SSE `error` event. */
  | "error-event"
  /** The body closed in the middle of an event. */
  | "partial-event"
  /** The stream broke off with a transport error after the headers. */
  | "stream-broken"
  /** The per-stream deadline passed before the stream ended. */
  | "deadline"
  /** No byte arrived for the idle timeout. */
  | "idle-timeout"
  /** The per-stream event cap was reached. */
  | "max-events"
  /** A per-stream byte cap was reached: the whole body, one line or one event. */
  | "max-bytes"
  | "line-too-long"
  | "event-too-large"
  /** Still running when the load's hard duration cap (plus grace) ran out; aborted by the driver. */
  | "cut-at-cap"
  /** The driver itself failed on this run (a bug in the suite, not the target). */
  | "driver";

export interface RunTimeline {
  /** Open loop only: when the arrival process scheduled this run. */
  intendedAt?: number;
  /** Just before the stream request was written (thread creation is earlier and untimed). */
  sentAt: number;
  /** Response headers received. */
  headersAt?: number;
  /** First SSE event of any kind (metadata included). */
  firstEventAt?: number;
  /** First token event (see tokens.ts). */
  firstTokenAt?: number;
  /** Last token event. */
  lastTokenAt?: number;
  /** Stream over: closed, failed or aborted. */
  endAt: number;
  /** Number of token events. */
  tokens: number;
  /** Largest gap between consecutive token events of this run, in ms (0 with fewer than two). */
  maxGapMs: number;
  error?: ErrorKind;
  /** HTTP status when one arrived. */
  status?: number;
}

/** Per-run metrics in milliseconds; undefined when the run has no such instant. */
export interface RunMetrics {
  timeToHeaders?: number;
  timeToFirstEvent?: number;
  ttft?: number;
  /** (last token − first token) / (n − 1); needs n ≥ 2. */
  tpot?: number;
  e2e: number;
  tokens: number;
  maxGap: number;
}

export function runMetrics(t: RunTimeline): RunMetrics {
  const since = (at: number | undefined) => (at === undefined ? undefined : at - t.sentAt);
  return {
    timeToHeaders: since(t.headersAt),
    timeToFirstEvent: since(t.firstEventAt),
    ttft: since(t.firstTokenAt),
    tpot: t.tokens >= 2 && t.firstTokenAt !== undefined && t.lastTokenAt !== undefined ? (t.lastTokenAt - t.firstTokenAt) / (t.tokens - 1) : undefined,
    e2e: t.endAt - t.sentAt,
    tokens: t.tokens,
    maxGap: t.maxGapMs,
  };
}

/**
 * Builds a RunTimeline as events arrive, holding only scalars. Each gap between consecutive token events
 * goes to `onGap` at once (ITL samples are pooled across runs, as vLLM does), so nothing grows per token.
 */
export class RunRecorder {
  private readonly t: RunTimeline;

  constructor(sentAt: number, private readonly onGap: (ms: number) => void = () => undefined, intendedAt?: number) {
    this.t = { sentAt, endAt: sentAt, tokens: 0, maxGapMs: 0 };
    if (intendedAt !== undefined) this.t.intendedAt = intendedAt;
  }

  headers(at: number, status: number): void {
    this.t.headersAt = at;
    this.t.status = status;
  }

  /** One SSE event, received at `at`; `isToken` when it carries model output. */
  event(at: number, isToken: boolean): void {
    this.t.firstEventAt ??= at;
    if (!isToken) return;
    const previous = this.t.lastTokenAt;
    if (previous === undefined) this.t.firstTokenAt = at;
    else {
      const gap = at - previous;
      this.onGap(gap);
      if (gap > this.t.maxGapMs) this.t.maxGapMs = gap;
    }
    this.t.lastTokenAt = at;
    this.t.tokens++;
  }

  /** Marks the run over; the first error kind given wins. */
  finish(at: number, error?: ErrorKind): RunTimeline {
    this.t.endAt = at;
    if (error && !this.t.error) this.t.error = error;
    return this.t;
  }

  fail(error: ErrorKind): void {
    this.t.error ??= error;
  }
}
