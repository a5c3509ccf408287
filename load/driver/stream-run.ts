/**
 * Times one streamed run on the SSE reader's stamps (sentAt, headersAt, each event's receivedAt, endAt):
 * each instant is taken once, by the reader, and turned into a RunTimeline here.
 */
import { RunRecorder, type ErrorKind, type RunTimeline } from "../metrics/timeline.ts";
import { tokenClassifier, type TokenMode } from "../../streams/grammar/tokens.ts";
import type { SseEnd, SseLimits, SseRequest, SseStream } from "../../streams/sse/types.ts";

export type StreamOpener = (req: SseRequest, limits: SseLimits) => Promise<SseStream>;

export interface StreamRunInput {
  open: StreamOpener;
  request: SseRequest;
  limits: SseLimits;
  mode: TokenMode;
  /** Receives every inter-token gap as it happens. */
  onGap: (ms: number) => void;
  /** Open loop: the scheduled arrival time. */
  intendedAt?: number;
  /** The load's hard stop: aborts the stream; the run then counts as cut-at-cap. */
  stop: AbortSignal;
}

export async function streamRun(i: StreamRunInput): Promise<RunTimeline> {
  const before = performance.now();
  let stream: SseStream;
  try {
    stream = await i.open(i.request, i.limits);
  } catch {
    return new RunRecorder(before, i.onGap, i.intendedAt).finish(performance.now(), i.stop.aborted ? "cut-at-cap" : "connect");
  }
  const rec = new RunRecorder(stream.sentAt, i.onGap, i.intendedAt);
  const onStop = () => stream.abort();
  i.stop.addEventListener("abort", onStop, { once: true });
  let broken = false;
  try {
    rec.headers(stream.headersAt, stream.status);
    if (stream.status < 200 || stream.status >= 300) {
      await stream.text();
      rec.fail("http");
    } else {
      const isToken = tokenClassifier(i.mode);
      try {
        for await (const e of stream.events()) {
          rec.event(e.receivedAt, isToken(e));
          if (e.event === "error" || e.event.startsWith("error|")) rec.fail("error-event");
        }
      } catch {
        broken = true; // the end reason below usually says more precisely why
      }
    }
    const end = await stream.end;
    return rec.finish(end.endAt, endError(end, i.stop.aborted) ?? (broken ? "stream-broken" : undefined));
  } finally {
    i.stop.removeEventListener("abort", onStop);
  }
}

function endError(end: SseEnd, stopped: boolean): ErrorKind | undefined {
  switch (end.reason) {
    case "closed":
      return end.partialEvent ? "partial-event" : undefined;
    case "aborted":
      return stopped ? "cut-at-cap" : "stream-broken";
    case "error":
      return "stream-broken";
    default:
      return end.reason;
  }
}
