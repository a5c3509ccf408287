/**
 * Stream rules: each is a small incremental check fed one event at a time, so a stream of any length is
 * judged with flat memory. A rule reports violations when the stream is over.
 */
import type { CheckName } from "../../core/checks.ts";
import type { Violation } from "../../results/finding.ts";
import { mediaType } from "../../core/exchange.ts";
import type { FramingIssue, SseEnd, SseEvent } from "../sse/types.ts";
import { allowedEvents, splitEventName } from "./modes.ts";
import { PAYLOADS, type PayloadContext } from "./payloads.ts";

/** What the client asked for and what the API documents for this stream. */
export interface StreamExpectation extends PayloadContext {
  modes: string[];
  subgraphs: boolean;
  /** Every event must carry an id (streams a client can resume). */
  idsRequired: boolean;
  /** The run is expected to fail, so the stream must end with an `error` event. */
  expectError: boolean;
  /** The stream resumes after a Last-Event-ID, so it starts mid-run (no metadata event first). */
  resumed?: boolean;
}

/** Everything known once the stream is over. */
export interface StreamOutcome {
  status: number;
  headers: Record<string, string>;
  sentAt: number;
  end: SseEnd;
  framingIssues: FramingIssue[];
}

export interface StreamRule {
  readonly check: CheckName;
  event(e: SseEvent): void;
  finish(outcome: StreamOutcome): Violation[];
}

const MAX_REPORTED = 3;

/** Collects at most a few messages per rule and counts the rest. */
class Problems {
  private list: string[] = [];
  private extra = 0;
  constructor(private readonly check: CheckName) {}
  add(message: string) {
    if (this.list.length < MAX_REPORTED) this.list.push(message);
    else this.extra++;
  }
  violations(): Violation[] {
    const out = this.list.map((message) => ({ check: this.check, message }));
    if (this.extra) out.push({ check: this.check, message: `…and ${this.extra} more like these` });
    return out;
  }
}

const at = (e: SseEvent) => `event #${e.index} (${e.event}, byte ${e.offset})`;

function rule(check: CheckName, onEvent: (e: SseEvent, p: Problems) => void, onFinish?: (o: StreamOutcome, p: Problems) => void): StreamRule {
  const p = new Problems(check);
  return { check, event: (e) => onEvent(e, p), finish: (o) => (onFinish?.(o, p), p.violations()) };
}

const streamContentType = (): StreamRule =>
  rule("stream_content_type", () => undefined, (o, p) => {
    const type = mediaType(o.headers["content-type"]);
    if (type !== "text/event-stream") p.add(`a run stream is served as ${JSON.stringify(o.headers["content-type"] ?? "(none)")}, not text/event-stream`);
  });

const sseFraming = (): StreamRule =>
  rule("sse_framing", () => undefined, (o, p) => {
    for (const i of o.framingIssues) p.add(`${i.rule} at byte ${i.offset} (event #${i.eventIndex}): ${i.message}`);
  });

const streamTerminates = (): StreamRule =>
  rule("stream_terminates", () => undefined, (o, p) => {
    // Any end but closed, broken or stopped by the suite is one of the suite's bounds.
    if (!["closed", "error", "aborted"].includes(o.end.reason)) p.add(`the stream did not end by itself: it reached the suite's bound ${o.end.reason} after ${Math.round(o.end.endAt - o.sentAt)} ms, ${o.end.events} events, ${o.end.bytes} bytes`);
    else if (o.end.reason === "error") p.add(`the stream broke: ${o.end.error ?? "connection error"}`);
    if (o.end.partialEvent) p.add("the body closed in the middle of an event (bytes after the last blank line)");
  });

function metadataFirst(x: StreamExpectation): StreamRule {
  let seen = false;
  return rule(
    "metadata_first",
    (e, p) => {
      if (e.index !== 0 || x.resumed) return;
      seen = true;
      if (e.event !== "metadata") p.add(`the first event is ${JSON.stringify(e.event)}, not metadata`);
    },
    (o, p) => {
      if (!seen && o.status < 300 && !x.resumed) p.add("the stream carried no event at all");
    },
  );
}

function eventNames(x: StreamExpectation): StreamRule {
  const allowed = allowedEvents(x.modes, x.subgraphs);
  return rule("event_names", (e, p) => {
    const { base, namespace } = splitEventName(e.event);
    if (!allowed.has(base)) p.add(`${at(e)}: ${JSON.stringify(base)} is not an event of the requested modes ${JSON.stringify(x.modes)}`);
    else if (namespace.length && !x.subgraphs) p.add(`${at(e)}: a namespaced event although stream_subgraphs was not requested`);
    else if (namespace.some((s) => s.length === 0)) p.add(`${at(e)}: empty namespace segment`);
  });
}

function eventPayloads(x: StreamExpectation): StreamRule {
  return rule("event_payloads", (e, p) => {
    const { base } = splitEventName(e.event);
    const shape = PAYLOADS[base];
    if (!shape) return; // unknown names are event_names' business
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      p.add(`${at(e)}: data is not JSON`);
      return;
    }
    const problem = shape(data, x);
    if (problem) p.add(`${at(e)}: ${problem}`);
  });
}

function errorEvent(x: StreamExpectation): StreamRule {
  let errorAt = -1;
  let last = -1;
  return rule(
    "error_event",
    (e, p) => {
      if (errorAt >= 0) p.add(`${at(e)} follows the error event #${errorAt}; an error ends the stream`);
      if (splitEventName(e.event).base === "error" && errorAt < 0) errorAt = e.index;
      last = e.index;
    },
    (o, p) => {
      if (o.status >= 300) return;
      if (x.expectError && errorAt < 0) p.add(`the run failed but the stream has no error event (${last + 1} events)`);
      if (!x.expectError && errorAt >= 0) p.add(`an error event (#${errorAt}) in a run that should succeed`);
    },
  );
}

function idsIncrease(): StreamRule {
  let previous: number | undefined;
  return rule("ids_increase", (e, p) => {
    if (e.id === undefined) return;
    if (!/^\d+$/.test(e.id)) {
      p.add(`${at(e)}: id ${JSON.stringify(e.id)} is not a decimal counter`);
      return;
    }
    const n = Number(e.id);
    if (previous !== undefined && n <= previous) p.add(`${at(e)}: id ${n} does not increase (previous ${previous})`);
    previous = n;
  });
}

function idsPresent(x: StreamExpectation): StreamRule {
  return rule("ids_present", (e, p) => {
    if (x.idsRequired && e.id === undefined) p.add(`${at(e)} has no id, so a client cannot resume after it`);
  });
}

/**
 * A stream that is delivered as it happens spreads its events over the run; a buffering server or proxy
 * delivers them together at the end. Judged only when the stream lasted long enough to tell.
 */
function deliveredIncrementally(minSpanMs = 250, minShare = 0.2): StreamRule {
  let first: number | undefined;
  let last: number | undefined;
  return rule(
    "delivered_incrementally",
    (e) => {
      first ??= e.receivedAt;
      last = e.receivedAt;
    },
    (o, p) => {
      if (first === undefined || last === undefined) return;
      const span = last - o.sentAt;
      if (span < minSpanMs) return;
      if (last - first < minShare * span) {
        p.add(`all events arrived within ${Math.round(last - first)} ms at the end of a ${Math.round(span)} ms stream: it was buffered, not streamed`);
      }
    },
  );
}

/** The rules that judge any run stream on its own. */
export function streamRules(x: StreamExpectation): StreamRule[] {
  return [
    streamContentType(),
    sseFraming(),
    streamTerminates(),
    metadataFirst(x),
    eventNames(x),
    eventPayloads(x),
    errorEvent(x),
    idsIncrease(),
    idsPresent(x),
    deliveredIncrementally(),
  ];
}

/** Names of the rules every judged stream reports, in order. */
export const STREAM_RULE_NAMES = streamRules({ modes: [], subgraphs: false, idsRequired: false, expectError: false, tupleMetadataKeys: [], modelMetadataKeys: [] }).map((r) => r.check);
