/**
 * Wraps the driver's stream opener to compare its timestamps with the synthetic source's: each event carries
 * the source's send time on the shared monotonic clock, the metadata event its request-arrival time. The
 * driver's code path is unchanged; the probe only reads the events it yields (one regex per event).
 */
import { LatencyHistogram } from "../metrics/histogram.ts";
import type { StreamOpener } from "../driver/stream-run.ts";
import { RECEIVED_KEY, SENT_KEY } from "../../reference/synthetic/source.ts";
import { stampToPerformanceMs } from "../../reference/synthetic/clock.ts";
import type { SseEvent, SseStream } from "../../streams/sse/types.ts";

export interface ProbeStats {
  /** Driver TTFT − true TTFT (source: first token written − request arrived), per run. */
  ttftError: LatencyHistogram;
  /** Driver's send stamp → the source's arrival stamp, per run. */
  sendLag: LatencyHistogram;
  /** Source write → driver receive stamp, per token event. */
  eventLag: LatencyHistogram;
  /** Source lateness against its own schedule (arrival + F + i·G), per token event; shows a source that fell behind. */
  sourceLate: LatencyHistogram;
  events: number;
  firstEventAt: number;
  lastEventAt: number;
}

export function newProbeStats(): ProbeStats {
  return {
    ttftError: LatencyHistogram.create(),
    sendLag: LatencyHistogram.create(),
    eventLag: LatencyHistogram.create(),
    sourceLate: LatencyHistogram.create(),
    events: 0,
    firstEventAt: Infinity,
    lastEventAt: -Infinity,
  };
}

export const RECEIVED_STAMP = new RegExp(`"${RECEIVED_KEY}":"(\\d+)"`);
export const SENT_STAMP = new RegExp(`"${SENT_KEY}":"(\\d+)"`);
const SEQ = /"agentwire_seq":(\d+)/;

/** `schedule` is the F and G the source was asked for, to compute its own lateness. */
export function probeOpener(open: StreamOpener, stats: ProbeStats, schedule: { firstMs: number; gapMs: number }): StreamOpener {
  return async (req, limits) => {
    const s = await open(req, limits);
    const wrapped: SseStream = {
      status: s.status,
      headers: s.headers,
      sentAt: s.sentAt,
      headersAt: s.headersAt,
      firstByteAt: s.firstByteAt,
      get framingIssues() {
        return s.framingIssues;
      },
      end: s.end,
      events: () => tap(s, stats, schedule),
      text: () => s.text(),
      abort: () => s.abort(),
    };
    return wrapped;
  };
}

async function* tap(s: SseStream, stats: ProbeStats, schedule: { firstMs: number; gapMs: number }): AsyncGenerator<SseEvent> {
  let receivedNs: bigint | undefined;
  let first = true;
  for await (const e of s.events()) {
    const sent = SENT_STAMP.exec(e.data)?.[1];
    if (sent === undefined) {
      const received = RECEIVED_STAMP.exec(e.data)?.[1];
      if (received !== undefined) {
        receivedNs = BigInt(received);
        stats.sendLag.recordMs(stampToPerformanceMs(received) - s.sentAt);
      }
    } else {
      stats.events++;
      stats.firstEventAt = Math.min(stats.firstEventAt, e.receivedAt);
      stats.lastEventAt = Math.max(stats.lastEventAt, e.receivedAt);
      stats.eventLag.recordMs(e.receivedAt - stampToPerformanceMs(sent));
      if (receivedNs !== undefined) {
        const sinceArrivalMs = Number(BigInt(sent) - receivedNs) / 1e6;
        const seq = Number(SEQ.exec(e.data)?.[1] ?? 0);
        stats.sourceLate.recordMs(sinceArrivalMs - (schedule.firstMs + seq * schedule.gapMs));
        if (first) stats.ttftError.recordMs(e.receivedAt - s.sentAt - sinceArrivalMs);
      }
      first = false;
    }
    yield e;
  }
}
