/**
 * What a load is told and what it reports, shared by the in-thread driver (local.ts) and the split across
 * worker threads (split.ts).
 */
import type { CollectorShard, LoadSummary, MetricsCollector } from "../metrics/collector.ts";
import type { SloSpec } from "../metrics/slo.ts";
import { assertAllowedTarget } from "./safety.ts";
import type { LoadScenario } from "./scenario.ts";
import type { EventObserver } from "./stream-run.ts";
import type { ThreadPolicy } from "./threads.ts";

export type LoadShape =
  | { kind: "closed"; concurrency: number }
  /** `maxInFlight` bounds open streams; arrivals beyond it are counted as dropped, never delayed. */
  | { kind: "open"; ratePerSec: number; maxInFlight?: number; seed?: number };

export interface StreamLimitsOptions {
  /** Per-stream deadline from send (default 120 s; never past the load's hard stop). */
  deadlineMs?: number;
  maxEvents?: number;
  idleTimeoutMs?: number;
}

export interface LoadOptions {
  scenario: LoadScenario;
  shape: LoadShape;
  /** Hard cap: no run starts after this, in ms from the start. */
  durationMs: number;
  /** Hard cap on runs started. */
  maxRequests: number;
  /** Closed loop: users start evenly over this time; open loop: the rate rises linearly from 0 over it. */
  rampUpMs?: number;
  /** Time after the duration cap that open runs may take to finish before they are aborted (default 10 s). */
  graceMs?: number;
  threads?: ThreadPolicy;
  stream?: StreamLimitsOptions;
  slo?: SloSpec;
  /** Hosts other than loopback that may receive this load. */
  allowHosts?: string[];
  /** Sees every event as it is recorded (the calibration probe); in-thread loads only. */
  observe?: EventObserver;
  /** Told the id of every thread the load creates (to delete them afterwards), from whichever worker made it. */
  onThread?: (threadId: string) => void;
  /** Ends the load early (abort_on_fail): no run starts once it fires; the runs already open finish as usual. */
  stop?: AbortSignal;
  /**
   * Told the figures so far as runs finish (at most every `progressMs`, default 100 ms; split loads: the
   * workers' figures merged), so a caller can fire `stop` within the load.
   */
  onProgress?: (sofar: MetricsCollector) => void;
  progressMs?: number;
  /**
   * Worker threads the streams are split across (default 1: this thread). Each runs its share of the users
   * (or of the arrival rate), the thread pool and the request cap; their histograms merge exactly.
   */
  workers?: number;
}

export interface DriverResult {
  scenario: string;
  shape: LoadShape;
  /** Runs started (each is then counted exactly once, as ok or under one error kind). */
  started: number;
  /** Open loop: arrivals not started because maxInFlight streams were open. */
  dropped: number;
  /** Runs the arrival process scheduled (open loop: started + dropped). */
  offered: number;
  peakInFlight: number;
  /** "stopped": `stop` fired before a cap was reached. */
  stoppedBy: "duration" | "max-requests" | "stopped";
  wallMs: number;
  summary: LoadSummary;
  /** Mergeable form of the measurements (see MetricsCollector.decode). */
  shard: CollectorShard;
  /** Threads the load ran in (1: this one). */
  workers: number;
  /**
   * Each driver thread's event-loop utilization over the load (0–1): near 1, that thread was saturated and
   * its timestamps late; more workers (or machines) are needed for that load.
   */
  busy: number[];
}

const positiveInt = (name: string, v: unknown) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${String(v)}`);
};

export function validate(o: LoadOptions) {
  if (typeof o.durationMs !== "number" || !(o.durationMs > 0) || !Number.isFinite(o.durationMs)) throw new Error(`durationMs is mandatory and must be a positive number, got ${String(o.durationMs)}`);
  positiveInt("maxRequests", o.maxRequests);
  if (o.shape.kind === "closed") positiveInt("concurrency", o.shape.concurrency);
  else {
    if (!(o.shape.ratePerSec > 0) || !Number.isFinite(o.shape.ratePerSec)) throw new Error(`ratePerSec must be a positive number, got ${o.shape.ratePerSec}`);
    if (o.shape.maxInFlight !== undefined) positiveInt("maxInFlight", o.shape.maxInFlight);
  }
  if (o.workers !== undefined) positiveInt("workers", o.workers);
  if ((o.workers ?? 1) > 1 && o.observe) throw new Error("an event observer sees one thread's runs only: use workers: 1");
  assertAllowedTarget(o.scenario.baseUrl, o.allowHosts);
}

