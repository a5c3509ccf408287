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
  /**
   * Every event must carry an id: the document makes a stream resumable (Last-Event-ID) only for runs
   * created with stream_resumable=true, so only those streams and their joins promise ids.
   */
  idsRequired: boolean;
  /**
   * How long the run takes to produce its events when the target's pace is known (an embedded reference's
   * scripted model: tokens × delay); without it, incremental delivery cannot be told from a fast run.
   */
  producedOverMs?: number;
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

/** A rule's verdict on one stream: its violations (none: passed), or why it could not judge this stream. */
export type RuleOutcome = Violation[] | { notJudged: string };

export interface StreamRule {
  readonly check: CheckName;
  event(e: SseEvent): void;
  finish(outcome: StreamOutcome): RuleOutcome;
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

/** A rule from an event handler and an end handler; the end handler may say why the stream cannot be judged. */
function rule(check: CheckName, onEvent: (e: SseEvent, p: Problems) => void, onFinish?: (o: StreamOutcome, p: Problems) => string | void): StreamRule {
  const p = new Problems(check);
  return {
    check,
    event: (e) => onEvent(e, p),
    finish: (o) => {
      const notJudged = onFinish?.(o, p);
      return notJudged ? { notJudged } : p.violations();
    },
  };
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

/** Ids are opaque tokens: only their presence is promised (their order is proven by resuming with them). */
function idsPresent(x: StreamExpectation): StreamRule {
  return rule(
    "ids_present",
    (e, p) => {
      if (x.idsRequired && e.id === undefined) p.add(`${at(e)} has no id, so a client cannot resume after it`);
    },
    () => (x.idsRequired ? undefined : "the document promises event ids only for runs created with stream_resumable=true"),
  );
}

/**
 * A stream delivered as it happens spreads its events over the time the run takes to produce them; a
 * buffering server or proxy delivers them together once the run is over. The spread is measured between
 * events as they arrive (never from the request: a server may queue a run before it starts), against the
 * production time the target's known pace gives. Without a known pace, or for a run too short to tell,
 * the stream is not judged.
 */
function deliveredIncrementally(x: StreamExpectation, minProducedMs = 200, minShare = 0.25): StreamRule {
  let first: number | undefined;
  let last: number | undefined;
  let events = 0;
  return rule(
    "delivered_incrementally",
    (e) => {
      first ??= e.receivedAt;
      last = e.receivedAt;
      events++;
    },
    (_o, p) => {
      if (x.producedOverMs === undefined) return "the target's pace is unknown, so a fast run cannot be told from a buffered one";
      if (x.producedOverMs < minProducedMs) return `the run produces its events within ${x.producedOverMs} ms, too short to tell`;
      if (first === undefined || last === undefined || events < 2) return "fewer than two events";
      const spread = last - first;
      if (spread < minShare * x.producedOverMs) {
        p.add(`${events} events arrived within ${Math.round(spread)} ms, from a run that takes at least ${x.producedOverMs} ms to produce them: it was buffered, not streamed`);
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
    idsPresent(x),
    deliveredIncrementally(x),
  ];
}

/** Names of the rules every judged stream reports, in order. */
export const STREAM_RULE_NAMES = streamRules({ modes: [], subgraphs: false, idsRequired: false, expectError: false, tupleMetadataKeys: [], modelMetadataKeys: [] }).map((r) => r.check);
