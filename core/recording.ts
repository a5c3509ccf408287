/**
 * What `--record` keeps of each exchange: the request as sent and the answer as received (for a stream, its
 * events), secrets replaced, every body and every stream's events cut at RECORD_BODY_BYTES, saying so. A
 * process hands each record to the sink set with recordTo (the runner's workers append them to a part file
 * of their own); with no sink nothing is built.
 */
import type { HttpRequest, HttpResponse } from "./exchange.ts";
import { isSecretHeader, redact, REDACTED, redactRequest } from "./redact.ts";

/** Bytes kept of one body, and of the data of one stream's events together. */
export const RECORD_BODY_BYTES = 64 * 1024;

export interface RecordedBody {
  /** The body (redacted), at most RECORD_BODY_BYTES of it. */
  text: string;
  /** Its whole size in bytes, as received. */
  bytes: number;
  /** The text is the first RECORD_BODY_BYTES only. */
  cut?: true;
}

export interface RecordedEvent {
  id?: string;
  event: string;
  data: string;
}

export interface RecordedExchange {
  /** When the request was sent (wall clock, ISO 8601). */
  startedAt: string;
  /** From send to the end of the answer, or to the failure. */
  durationMs: number;
  /** The unit of the run it belongs to ("<api> › <operationId> › <family>", a flow, a scenario); none while preparing. */
  unit?: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: RecordedBody };
  response?: {
    status: number;
    headers: Record<string, string>;
    body?: RecordedBody;
    /** A stream's events in order, as many as fit in RECORD_BODY_BYTES of data. */
    events?: RecordedEvent[];
    /** Events the stream delivered in all (more than `events` holds when it was cut). */
    eventCount?: number;
    /** How the suite stopped reading: a stream's end reason, or "window" for a body read for a limited time. */
    end?: string;
  };
  /** No answer: why (a timeout, a refused connection …). */
  error?: string;
}

type Sink = (e: RecordedExchange) => void;
let sink: Sink | undefined;
let currentUnit: string | undefined;

/** Sends every exchange of this process to `s` from now on (undefined: record nothing). */
export const recordTo = (s: Sink | undefined) => void (sink = s);

export const recording = (): boolean => sink !== undefined;

/** Names the unit this process works on (a Playwright worker runs one at a time); undefined between units. */
export const recordingUnit = (title: string | undefined) => void (currentUnit = title);

/** Redacted first, then cut: a cut must never leave part of a secret behind. */
export function recordedBody(text: string): RecordedBody {
  const clean = redact(text);
  const bytes = Buffer.byteLength(text);
  const kept = Buffer.from(clean);
  if (kept.length <= RECORD_BODY_BYTES) return { text: clean, bytes };
  // A multi-byte character cut in two becomes U+FFFD: dropped.
  return { text: kept.subarray(0, RECORD_BODY_BYTES).toString("utf8").replace(/\uFFFD$/, ""), bytes, cut: true };
}

const redactedHeaders = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, isSecretHeader(k) ? REDACTED : redact(v)]));

export interface Observed {
  /** Date.now() at send. */
  startedAt: number;
  durationMs: number;
  request: HttpRequest;
  response?: Pick<HttpResponse, "status" | "headers"> & { body?: string };
  events?: RecordedEvent[];
  eventCount?: number;
  end?: string;
  error?: string;
}

/** Builds the record of one exchange and hands it to the sink, if there is one. */
export function record(o: Observed): void {
  if (!sink) return;
  const req = redactRequest(o.request);
  const r = o.response;
  sink({
    startedAt: new Date(o.startedAt).toISOString(),
    durationMs: Math.round(o.durationMs * 10) / 10,
    ...(currentUnit ? { unit: redact(currentUnit) } : {}),
    request: { method: req.method, url: req.url, headers: req.headers, ...(o.request.body === undefined ? {} : { body: recordedBody(o.request.body) }) },
    ...(r
      ? {
          response: {
            status: r.status,
            headers: redactedHeaders(r.headers),
            ...(r.body === undefined ? {} : { body: recordedBody(r.body) }),
            ...(o.events ? { events: o.events, eventCount: o.eventCount ?? o.events.length } : {}),
            ...(o.end ? { end: o.end } : {}),
          },
        }
      : {}),
    ...(o.error ? { error: redact(o.error) } : {}),
  });
}

/**
 * Collects a stream's events for its record, redacted, until their data reaches RECORD_BODY_BYTES; the
 * rest are only counted. Does nothing when the process records nothing.
 */
export class EventTape {
  readonly events: RecordedEvent[] = [];
  count = 0;
  private bytes = 0;

  add(e: { id?: string; event: string; data: string }): void {
    if (!sink) return;
    this.count++;
    if (this.bytes >= RECORD_BODY_BYTES) return;
    const data = recordedBody(e.data);
    this.bytes += Buffer.byteLength(data.text);
    this.events.push({ ...(e.id === undefined ? {} : { id: redact(e.id) }), event: redact(e.event), data: data.text });
  }
}
