/**
 * Compares the driver's timestamps with the synthetic source's: each event carries the source's send time on
 * the shared monotonic clock, the metadata event its request-arrival time. The driver's code path is
 * unchanged; the probe only reads the events it records (a regex or two per event).
 */
import { LatencyHistogram } from "../metrics/histogram.ts";
import type { EventObserver, ObservedRun } from "../driver/stream-run.ts";
import { RECEIVED_KEY, SENT_KEY } from "../../reference/synthetic/source.ts";
import { stampToPerformanceMs } from "../../reference/synthetic/clock.ts";

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

/**
 * An observer for the driver (LoadOptions.observe) that records the probe's figures; `schedule` is the F and
 * G the source was asked for, to compute its own lateness. Each run's first event is its metadata event.
 */
export function probeObserver(stats: ProbeStats, schedule: { firstMs: number; gapMs: number }): EventObserver {
  // Per run: the source's arrival stamp, and whether its first token was seen.
  const runs = new WeakMap<ObservedRun, { receivedNs?: bigint; first: boolean }>();
  return (e, observed) => {
    const sentAt = observed.sentAt;
    let run = runs.get(observed);
    if (run === undefined) runs.set(observed, (run = { first: true }));
    const sent = SENT_STAMP.exec(e.data)?.[1];
    if (sent === undefined) {
      const received = RECEIVED_STAMP.exec(e.data)?.[1];
      if (received !== undefined) {
        run.receivedNs = BigInt(received);
        stats.sendLag.recordMs(stampToPerformanceMs(received) - sentAt);
      }
      return;
    }
    stats.events++;
    stats.firstEventAt = Math.min(stats.firstEventAt, e.receivedAt);
    stats.lastEventAt = Math.max(stats.lastEventAt, e.receivedAt);
    stats.eventLag.recordMs(e.receivedAt - stampToPerformanceMs(sent));
    if (run.receivedNs !== undefined) {
      const sinceArrivalMs = Number(BigInt(sent) - run.receivedNs) / 1e6;
      const seq = Number(SEQ.exec(e.data)?.[1] ?? 0);
      stats.sourceLate.recordMs(sinceArrivalMs - (schedule.firstMs + seq * schedule.gapMs));
      if (run.first) stats.ttftError.recordMs(e.receivedAt - sentAt - sinceArrivalMs);
    }
    run.first = false;
  };
}
