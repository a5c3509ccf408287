/**
 * Opens a stream, feeds every event to the stream rules as it arrives, and keeps only a bounded digest:
 * the verdict of each rule, delivery timings, and the first events (for the report), never the whole stream.
 */
import type { CheckName } from "../core/checks.ts";
import type { Violation } from "../results/finding.ts";
import type { HttpRequest } from "../core/exchange.ts";
import { limits } from "../core/limits.ts";
import { EventTape, record } from "../core/recording.ts";
import { waitOnTarget } from "../core/target-time.ts";
import { openSse } from "./sse/reader.ts";
import type { SseEnd, SseEvent, SseLimits } from "./sse/types.ts";
import { streamRules, type RuleOutcome, type StreamExpectation } from "./grammar/rules.ts";
import { aiText, isAiMessage } from "./grammar/tokens.ts";

export interface StreamTimings {
  /** Milliseconds from send. */
  headersMs: number;
  endMs: number;
}

export interface JudgedStream {
  status: number;
  headers: Record<string, string>;
  /** Body of a non-stream (error) response. */
  body?: string;
  /** Each rule's verdict by name: its violations (empty when it passed), or why it could not judge. */
  rules: Map<CheckName, RuleOutcome>;
  timings: StreamTimings;
  end: SseEnd;
  /** The first events, with data cut short. */
  head: { event: string; id?: string; data: string }[];
  events: number;
  /** Every event (id, name, data); kept only when asked for, for short streams. */
  log?: { id?: string; event: string; data: string }[];
  /** What the stream said the run produced, to compare with the thread's final state. */
  output: StreamedOutput;
}

/** Text of each AI message as its messages-tuple chunks spelled it, and the last root `values` state. */
export interface StreamedOutput {
  textById: Map<string, string>;
  lastValues?: unknown;
}

function collectOutput(e: SseEvent, out: StreamedOutput): void {
  if (e.event === "values") {
    try {
      out.lastValues = JSON.parse(e.data);
    } catch {
      // event_payloads reports data that is not JSON
    }
  } else if (e.event.split("|")[0] === "messages") {
    try {
      const [chunk] = JSON.parse(e.data) as [{ id?: string }];
      if (chunk?.id && isAiMessage(chunk)) out.textById.set(chunk.id, (out.textById.get(chunk.id) ?? "") + aiText(chunk));
    } catch {
      // idem
    }
  }
}

export interface JudgeOptions {
  limits?: Partial<SseLimits>;
  /** Keep every event (for resume comparisons on short streams). */
  keepLog?: boolean;
  /** Called with each event, e.g. to abort after a few. */
  onEvent?(e: SseEvent, abort: () => void): void;
}

const HEAD = 20;

export async function judgeStream(req: HttpRequest, x: StreamExpectation, options: JudgeOptions = {}): Promise<JudgedStream> {
  const waited = waitOnTarget();
  try {
    return await judge(req, x, options);
  } finally {
    waited();
  }
}

async function judge(req: HttpRequest, x: StreamExpectation, options: JudgeOptions): Promise<JudgedStream> {
  const l = limits();
  const startedAt = Date.now();
  const t0 = performance.now();
  let stream;
  try {
    stream = await openSse(req, { deadlineMs: l.streamDeadlineMs, maxEvents: l.maxEvents, idleTimeoutMs: l.streamIdleMs, ...options.limits });
  } catch (error) {
    record({ startedAt, durationMs: performance.now() - t0, request: req, error: (error as Error).message });
    throw error;
  }
  const sentAt = stream.sentAt;
  const headersMs = stream.headersAt - sentAt;
  const answer = { status: stream.status, headers: stream.headers };
  if (stream.status >= 300) {
    const body = await stream.text();
    const end = await stream.end;
    record({ startedAt, durationMs: end.endAt - sentAt, request: req, response: { ...answer, body } });
    return { status: stream.status, headers: stream.headers, body, rules: new Map(), timings: { headersMs, endMs: end.endAt - sentAt }, end, head: [], events: 0, output: { textById: new Map() } };
  }
  const rules = streamRules(x);
  const head: JudgedStream["head"] = [];
  const log: JudgedStream["log"] = options.keepLog ? [] : undefined;
  const output: StreamedOutput = { textById: new Map() };
  const tape = new EventTape();
  for await (const e of stream.events()) {
    collectOutput(e, output);
    tape.add(e);
    for (const r of rules) r.event(e);
    if (head.length < HEAD) head.push({ event: e.event, id: e.id, data: e.data.slice(0, 300) });
    log?.push({ id: e.id, event: e.event, data: e.data });
    options.onEvent?.(e, () => stream.abort());
  }
  const end = await stream.end;
  record({ startedAt, durationMs: end.endAt - sentAt, request: req, response: answer, events: tape.events, eventCount: tape.count, end: end.reason });
  const outcome = { status: stream.status, headers: stream.headers, sentAt, end, framingIssues: stream.framingIssues };
  return {
    status: stream.status,
    headers: stream.headers,
    rules: new Map(rules.map((r) => [r.check, r.finish(outcome)])),
    timings: { headersMs, endMs: end.endAt - sentAt },
    end,
    head,
    events: end.events,
    log,
    output,
  };
}
