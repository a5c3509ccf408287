/**
 * Opens an event stream over undici `request` (not fetch: lower cost per event, no automatic reconnects) and
 * reads it with the strict parser. Every instant is stamped with performance.now() once, here; every read is
 * bounded by a deadline, an event cap and an optional idle timeout, so a stream that never starts or never
 * ends becomes an end reason rather than a hang.
 */
import { request, type Dispatcher } from "undici";
import { flattenHeaders } from "../../core/http.ts";
import { limits as suiteLimits } from "../../core/limits.ts";
import { SseParser } from "./parser.ts";
import type { SseEnd, SseEndReason, SseEvent, SseLimits, SseRequest, SseStream } from "./types.ts";

export interface OpenSseOptions {
  /** A shared undici Agent, for many concurrent streams. */
  dispatcher?: Dispatcher;
}

/** text() reads at most this much. */
const TEXT_CAP = 1024 * 1024;
/** Events waiting for the consumer past this pause the socket until it catches up (keeps memory flat). */
const HIGH_WATER = 1024;

type Body = Dispatcher.ResponseData["body"];

/**
 * Sends the request and resolves once response headers arrive. Rejects (one-line Error) only when there is
 * no response: connection failure, or no headers within the deadline or idle timeout.
 */
export async function openSse(req: SseRequest, limits: SseLimits, options: OpenSseOptions = {}): Promise<SseStream> {
  const controller = new AbortController();
  let timedOut: string | undefined;
  const giveUp = (what: string, ms: number) =>
    setTimeout(() => {
      timedOut = `no response headers from ${where(req.url)} within the ${what} of ${ms} ms`;
      controller.abort();
    }, ms);
  const deadline = giveUp("deadline", limits.deadlineMs);
  const idle = limits.idleTimeoutMs === undefined ? undefined : giveUp("idle timeout", limits.idleTimeoutMs);
  const sentAt = performance.now();
  let res: Dispatcher.ResponseData;
  try {
    res = await request(req.url, {
      method: req.method.toUpperCase() as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
      dispatcher: options.dispatcher,
      // Our own timers bound the exchange; undici's would cut long quiet streams.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  } catch (error) {
    throw new Error(timedOut ?? `${req.method.toUpperCase()} ${where(req.url)} failed before a response: ${describe(error)}`);
  } finally {
    clearTimeout(deadline);
    clearTimeout(idle);
  }
  return new Stream(res, limits, sentAt, performance.now());
}

class Stream implements SseStream {
  readonly status: number;
  readonly headers: Record<string, string>;
  firstByteAt: number | undefined;
  readonly end: Promise<SseEnd>;

  private readonly body: Body;
  private readonly parser: SseParser;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly idleMs: number | undefined;
  private resolveEnd!: (end: SseEnd) => void;
  private done: SseEnd | undefined;
  private mode: "unread" | "events" | "text" = "unread";
  private bytes = 0;
  private delivered = 0;
  private lastByteAt: number;
  private deadlineTimer: NodeJS.Timeout;
  private idleTimer: NodeJS.Timeout | undefined;
  private paused = false;
  // Events waiting for the consumer: queue[head..].
  private queue: (SseEvent | undefined)[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  // text() mode.
  private chunks: Buffer[] = [];
  private textPromise: Promise<string> | undefined;

  constructor(
    res: Dispatcher.ResponseData,
    limits: SseLimits,
    readonly sentAt: number,
    readonly headersAt: number,
  ) {
    this.status = res.statusCode;
    this.headers = flattenHeaders(res.headers);
    this.body = res.body;
    this.parser = new SseParser({ validate: limits.validateFraming ?? true, maxIssues: limits.maxIssues ?? 100, maxLineBytes: limits.maxLineBytes, maxEventBytes: limits.maxEventBytes });
    this.maxEvents = limits.maxEvents;
    this.maxBytes = limits.maxBytes ?? suiteLimits().maxStreamBytes;
    this.idleMs = limits.idleTimeoutMs;
    this.lastByteAt = headersAt;
    this.end = new Promise((resolve) => (this.resolveEnd = resolve));
    this.deadlineTimer = setTimeout(() => this.finish("deadline"), Math.max(0, limits.deadlineMs - (headersAt - sentAt)));
    if (this.idleMs !== undefined) this.idleTimer = setTimeout(this.checkIdle, this.idleMs);
    this.body.on("end", () => this.finish("closed"));
    this.body.on("error", (error) => this.finish("error", describe(error)));
  }

  get framingIssues() {
    return this.parser.issues;
  }

  events(): AsyncIterable<SseEvent> {
    if (this.mode !== "unread") throw new Error(`this stream's body is already being read${this.mode === "events" ? " as events" : " as text"}`);
    this.mode = "events";
    this.read();
    const iterator: AsyncIterator<SseEvent> = {
      next: () => this.next(),
      // A consumer that stops early leaves nobody to read: close the connection.
      return: async () => {
        this.finish("aborted");
        return { value: undefined, done: true };
      },
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }

  text(): Promise<string> {
    if (this.mode === "text") return this.textPromise!;
    if (this.mode !== "unread") throw new Error("this stream's body is already being read as events");
    this.mode = "text";
    this.textPromise = this.end.then(() => Buffer.concat(this.chunks).toString("utf8"));
    this.read();
    return this.textPromise;
  }

  abort(): void {
    this.finish("aborted");
  }

  private read(): void {
    if (this.done) return;
    this.body.on("data", this.onData);
  }

  private onData = (chunk: Buffer): void => {
    if (this.done) return;
    const now = performance.now();
    this.firstByteAt ??= now;
    this.lastByteAt = now;
    this.bytes += chunk.length;
    if (this.mode === "text") return this.collect(chunk);
    if (this.bytes > this.maxBytes) return this.finish("max-bytes");
    const events = this.parser.feed(chunk, now);
    if (this.parser.overflow) {
      // Events completed before the cut still count; the stream ends at the bound.
      this.enqueue(events);
      return this.finish(this.parser.overflow === "line" ? "line-too-long" : "event-too-large");
    }
    if (events.length === 0) return;
    this.enqueue(events);
  };

  private enqueue(events: SseEvent[]): void {
    const take = Math.min(events.length, this.maxEvents - this.delivered);
    for (let k = 0; k < take; k++) this.queue.push(events[k]);
    this.delivered += take;
    this.wake?.();
    if (this.delivered >= this.maxEvents) this.finish("max-events");
    else if (this.queue.length - this.head >= HIGH_WATER) {
      this.paused = true;
      this.body.pause();
    }
  }

  private collect(chunk: Buffer): void {
    const room = TEXT_CAP - (this.bytes - chunk.length);
    if (chunk.length <= room) return void this.chunks.push(chunk);
    this.chunks.push(chunk.subarray(0, room));
    this.finish("aborted", `body longer than ${TEXT_CAP} bytes; read cut there`);
  }

  private async next(): Promise<IteratorResult<SseEvent>> {
    for (;;) {
      if (this.head < this.queue.length) {
        const value = this.queue[this.head]!;
        this.queue[this.head++] = undefined;
        if (this.head === this.queue.length) {
          this.queue.length = 0;
          this.head = 0;
        } else if (this.head >= HIGH_WATER) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        if (this.paused && this.queue.length - this.head <= HIGH_WATER / 2) {
          this.paused = false;
          this.lastByteAt = performance.now(); // waiting on our consumer is not the server being idle
          this.body.resume();
        }
        return { value, done: false };
      }
      if (this.done) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** Re-arms for the time left rather than resetting a timer on every chunk. */
  private checkIdle = (): void => {
    if (this.done || this.idleMs === undefined) return;
    if (this.paused) this.lastByteAt = performance.now();
    const quiet = performance.now() - this.lastByteAt;
    // Timers may fire up to a millisecond early against performance.now().
    if (quiet >= this.idleMs - 1) this.finish("idle-timeout");
    else this.idleTimer = setTimeout(this.checkIdle, this.idleMs - quiet);
  };

  private finish(reason: SseEndReason, error?: string): void {
    if (this.done) return;
    clearTimeout(this.deadlineTimer);
    clearTimeout(this.idleTimer);
    const reading = this.mode === "events";
    // Only a body that closed by itself can have cut an event; a stop on our side is not the server's doing.
    const partialEvent = reading && (reason === "closed" ? this.parser.finish() : reason === "error" && this.parser.midEvent);
    if (reason !== "closed") this.body.destroy();
    this.done = { reason, endAt: performance.now(), bytes: this.bytes, events: this.delivered, partialEvent };
    if (error !== undefined) this.done.error = error;
    this.resolveEnd(this.done);
    this.wake?.();
  }
}

/** Origin and path only: enough to say which request failed without echoing a query string. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const message = e?.cause?.message ?? e?.message ?? String(error);
  const text = code && !message.includes(code) ? `${code}: ${message}` : message;
  return text.replace(/\s+/g, " ").trim();
}
