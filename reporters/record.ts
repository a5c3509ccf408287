/**
 * Writes the run's record of exchanges (--record): HAR 1.2, which browsers' devtools and HAR viewers import,
 * or NDJSON, one exchange a line with what a replay needs (method, URL, headers with the key as ***, body).
 * The records arrive redacted and cut (core/recording.ts); each piece written is redacted once more, so a
 * secret a target put where no field is redacted (a header's name) is not written either.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { STATUS_CODES } from "node:http";
import { RECORD_BODY_BYTES, type RecordedBody, type RecordedEvent, type RecordedExchange } from "../core/recording.ts";
import { redact } from "../core/redact.ts";

export const RECORD_FORMATS = ["har", "ndjson"] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

const cutNote = (b: RecordedBody) => (b.cut ? { comment: `cut: the first ${RECORD_BODY_BYTES} of ${b.bytes} bytes` } : {});

/** Events as the event-stream format spells them, to be read as the body of a text/event-stream answer. */
export function eventStreamText(events: RecordedEvent[]): string {
  const field = (name: string, value: string) => value.split("\n").map((line) => `${name}: ${line}\n`).join("");
  return events.map((e) => `${e.id === undefined ? "" : field("id", e.id)}${field("event", e.event)}${field("data", e.data)}\n`).join("");
}

const headerList = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));

function queryOf(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function content(r: NonNullable<RecordedExchange["response"]>) {
  const mimeType = r.headers["content-type"] ?? "";
  if (r.events) {
    const text = eventStreamText(r.events);
    const omitted = (r.eventCount ?? r.events.length) - r.events.length;
    return { size: Buffer.byteLength(text), mimeType, text, ...(omitted > 0 ? { comment: `cut: the first ${r.events.length} of ${r.eventCount} events (${RECORD_BODY_BYTES} bytes of data)` } : {}) };
  }
  if (!r.body) return { size: 0, mimeType };
  return { size: r.body.bytes, mimeType, text: r.body.text, ...cutNote(r.body) };
}

/** One exchange as a HAR 1.2 entry; one without an answer has status 0 and says why in `_error`, as browsers write it. */
export function harEntry(e: RecordedExchange) {
  const req = e.request;
  const r = e.response;
  return {
    startedDateTime: e.startedAt,
    time: e.durationMs,
    request: {
      method: req.method,
      url: req.url,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: headerList(req.headers),
      queryString: queryOf(req.url),
      ...(req.body ? { postData: { mimeType: req.headers["content-type"] ?? "", text: req.body.text, ...cutNote(req.body) } } : {}),
      headersSize: -1,
      bodySize: req.body?.bytes ?? 0,
    },
    response: {
      status: r?.status ?? 0,
      statusText: (r && STATUS_CODES[r.status]) ?? "",
      httpVersion: r ? "HTTP/1.1" : "",
      cookies: [],
      headers: r ? headerList(r.headers) : [],
      content: r ? content(r) : { size: 0, mimeType: "x-unknown" },
      redirectURL: r?.headers.location ?? "",
      headersSize: -1,
      bodySize: r?.body?.bytes ?? -1,
    },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    ...(e.unit ? { comment: e.unit } : {}),
    ...(e.error ? { _error: e.error } : {}),
    ...(r?.end ? { _end: r.end } : {}),
  };
}

/**
 * Writes `exchanges` to `file` in `format`, piece by piece (a full run's record can be large); returns how
 * many were written.
 */
export function writeRecord(format: RecordFormat, file: string, exchanges: Iterable<RecordedExchange>, tool: { name: string; version: string }): number {
  const fd = openSync(file, "w", 0o600);
  const put = (text: string) => writeSync(fd, redact(text));
  let n = 0;
  try {
    if (format === "ndjson") {
      for (const e of exchanges) put(`${JSON.stringify(e)}\n`), n++;
      return n;
    }
    const comment = `The exchanges of agentwire's contract and streams phases (not the load phase's). Secrets are ***; bodies, and each stream's events, are cut at ${RECORD_BODY_BYTES} bytes, marked where they were.`;
    put(`{"log":{"version":"1.2","creator":${JSON.stringify({ name: tool.name, version: tool.version })},"comment":${JSON.stringify(comment)},"entries":[`);
    for (const e of exchanges) put(`${n++ ? "," : ""}\n${JSON.stringify(harEntry(e))}`);
    put("\n]}}\n");
    return n;
  } finally {
    closeSync(fd);
  }
}
