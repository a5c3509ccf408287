/**
 * Times one streamed run with no body stream and no async step per event: over the driver's own HTTP/1.1
 * client (h1.ts) for http targets, over undici's dispatcher handler API for https. Each socket read is
 * stamped once (performance.now()), its bytes fed to the suite's strict SSE parser (the same framing and the
 * same caps on a line, an event and the whole body as the reader), and the events it completes go to the
 * RunRecorder synchronously. A run holds only the parser's current line and event and a few scalars,
 * whatever the target sends.
 */
import type { Dispatcher } from "undici";
import type { H1Pool, H1Sink } from "./h1.ts";
import { limits as suiteLimits } from "../../core/limits.ts";
import { tokenClassifier, type TokenClassifier, type TokenMode } from "../../streams/grammar/tokens.ts";
import { SseParser } from "../../streams/sse/parser.ts";
import type { SseEvent, SseLimits, SseRequest } from "../../streams/sse/types.ts";
import { RunRecorder, type ErrorKind, type RunTimeline } from "../metrics/timeline.ts";

/** One run as an observer sees it: the same object for every event of the run. */
export interface ObservedRun {
  readonly sentAt: number;
}

/** Sees each event of each run (the calibration probe); nothing is observed when it is absent. */
export type EventObserver = (e: SseEvent, run: ObservedRun) => void;

export interface StreamRunInput {
  /** https streams (and http ones when `h1` is absent). */
  dispatcher: Dispatcher;
  /** http streams. */
  h1?: H1Pool;
  request: SseRequest;
  limits: SseLimits;
  mode: TokenMode;
  /** Receives every inter-token gap as it happens. */
  onGap: (ms: number) => void;
  /** Open loop: the scheduled arrival time. */
  intendedAt?: number;
  /** The load's hard stop: aborts the stream; the run then counts as cut-at-cap. */
  stop: AbortSignal;
  observe?: EventObserver;
}

/** An error answer's body is drained up to this much, then the connection is closed (its status is the finding). */
const ERROR_BODY_CAP = 1024 * 1024;

/** Resolves with the run's timeline once the stream is over, for whatever reason; never rejects. */
export function streamRun(i: StreamRunInput): Promise<RunTimeline> {
  return new Promise((resolve) => new RunHandler(i, resolve).start());
}

/** Why a run's stream ended, before it is turned into an error kind. */
type End = "closed" | "connect" | "stopped" | "broken" | Extract<ErrorKind, "deadline" | "idle-timeout" | "max-events" | "max-bytes" | "line-too-long" | "event-too-large">;

class RunHandler implements Dispatcher.DispatchHandler, H1Sink {
  private rec!: RunRecorder;
  private sentAt = 0;
  private observed: ObservedRun | undefined;
  private abort: (() => void) | undefined;
  private parser: SseParser | undefined;
  private isToken: TokenClassifier | undefined;
  private gotHeaders = false;
  private done = false;
  private bytes = 0;
  private delivered = 0;
  private lastByteAt = 0;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly maxBytes: number;

  constructor(
    private readonly i: StreamRunInput,
    private readonly resolve: (t: RunTimeline) => void,
  ) {
    this.maxBytes = i.limits.maxBytes ?? suiteLimits().maxStreamBytes;
  }

  start(): void {
    const { request: req, limits, stop } = this.i;
    this.sentAt = performance.now();
    this.lastByteAt = this.sentAt;
    this.rec = new RunRecorder(this.sentAt, this.i.onGap, this.i.intendedAt);
    if (this.i.observe) this.observed = { sentAt: this.sentAt };
    if (stop.aborted) return this.end("stopped");
    stop.addEventListener("abort", this.onStop, { once: true });
    this.deadlineTimer = setTimeout(() => this.end(this.gotHeaders ? "deadline" : "connect"), limits.deadlineMs);
    if (limits.idleTimeoutMs !== undefined) this.idleTimer = setTimeout(this.checkIdle, limits.idleTimeoutMs);
    try {
      const url = new URL(req.url);
      if (this.i.h1 && url.protocol === "http:") return this.i.h1.send({ method: req.method, url, headers: req.headers, body: req.body }, this);
      this.i.dispatcher.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: req.method.toUpperCase() as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body ?? null,
          // Our own timers bound the exchange; undici's would cut long quiet streams.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        this,
      );
    } catch {
      this.end("connect");
    }
  }

  // The h1 client's side.
  onStart(abort: () => void): void {
    this.abort = abort;
    if (this.done) abort();
  }

  onHead(status: number, now: number): void {
    this.head(status, now);
  }

  onBody(bytes: Buffer, now: number): void {
    this.body(bytes, now);
  }

  onEnd(): void {
    this.end("closed");
  }

  onError(): void {
    this.end(this.gotHeaders ? "broken" : "connect");
  }

  // undici's side.
  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.onStart(() => controller.abort(new Error("run over")));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number): void {
    this.head(status, performance.now());
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body(chunk, performance.now());
  }

  onResponseEnd(): void {
    this.end("closed");
  }

  onResponseError(): void {
    this.end(this.gotHeaders ? "broken" : "connect");
  }

  private head(status: number, now: number): void {
    if (this.done) return;
    this.gotHeaders = true;
    this.lastByteAt = now;
    this.rec.headers(now, status);
    if (status >= 200 && status < 300) {
      const l = this.i.limits;
      this.parser = new SseParser({ validate: false, maxLineBytes: l.maxLineBytes, maxEventBytes: l.maxEventBytes });
      this.isToken = tokenClassifier(this.i.mode);
    } else this.rec.fail("http");
  }

  private body(chunk: Buffer, now: number): void {
    if (this.done) return;
    this.lastByteAt = now;
    this.bytes += chunk.length;
    const parser = this.parser;
    if (parser === undefined) {
      if (this.bytes > ERROR_BODY_CAP) this.end("broken");
      return;
    }
    if (this.bytes > this.maxBytes) return this.end("max-bytes");
    const events = parser.feed(chunk, now);
    // Events completed before a cut still count; the stream then ends at the bound.
    const take = Math.min(events.length, this.i.limits.maxEvents - this.delivered);
    for (let k = 0; k < take; k++) {
      const e = events[k]!;
      this.rec.event(now, this.isToken!(e));
      if (e.event === "error" || e.event.startsWith("error|")) this.rec.fail("error-event");
      if (this.observed) this.i.observe!(e, this.observed);
    }
    this.delivered += take;
    if (parser.overflow) this.end(parser.overflow === "line" ? "line-too-long" : "event-too-large");
    else if (this.delivered >= this.i.limits.maxEvents) this.end("max-events");
  }

  private onStop = (): void => this.end("stopped");

  /** Re-arms for the time left rather than resetting a timer on every chunk. */
  private checkIdle = (): void => {
    const idleMs = this.i.limits.idleTimeoutMs!;
    if (this.done) return;
    const quiet = performance.now() - this.lastByteAt;
    // Timers may fire up to a millisecond early against performance.now().
    if (quiet >= idleMs - 1) this.end(this.gotHeaders ? "idle-timeout" : "connect");
    else this.idleTimer = setTimeout(this.checkIdle, idleMs - quiet);
  };

  private end(how: End): void {
    if (this.done) return;
    this.done = true;
    const endAt = performance.now();
    clearTimeout(this.deadlineTimer);
    clearTimeout(this.idleTimer);
    this.i.stop.removeEventListener("abort", this.onStop);
    // Only a body that closed by itself can have cut an event; a stop on our side is not the server's doing.
    const partial = how === "closed" && this.parser !== undefined && this.parser.finish();
    if (how !== "closed") this.abort?.();
    this.resolve(this.rec.finish(endAt, errorOf(how, partial, this.i.stop.aborted)));
  }
}

function errorOf(how: End, partial: boolean, stopped: boolean): ErrorKind | undefined {
  switch (how) {
    case "closed":
      return partial ? "partial-event" : undefined;
    case "connect":
      return stopped ? "cut-at-cap" : "connect";
    case "stopped":
      return "cut-at-cap";
    case "broken":
      return "stream-broken";
    default:
      return how;
  }
}
