/**
 * The load driver for streamed runs. Closed loop (a fixed number of virtual users, each starting its next run
 * when the last one ends) or open loop (Poisson arrivals at a rate, each run stamped with its intended and its
 * actual start, so a slow target cannot quietly lower the offered load). Every load stops by itself: both a
 * duration cap and a request cap are mandatory, and runs still open at duration + grace are aborted.
 */
import { setMaxListeners } from "node:events";
import { Agent } from "undici";
import { MetricsCollector, type CollectorShard, type LoadSummary } from "../metrics/collector.ts";
import type { SloSpec } from "../metrics/slo.ts";
import { poissonArrivals } from "./arrivals.ts";
import { assertAllowedTarget } from "./safety.ts";
import type { LoadScenario } from "./scenario.ts";
import { H1Pool } from "./h1.ts";
import { streamRun, type EventObserver } from "./stream-run.ts";
import { threadSource, type ThreadPolicy, type ThreadSource } from "./threads.ts";
import { sleep } from "../../core/poll.ts";

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
  /** Sees every event as it is recorded (the calibration probe). */
  observe?: EventObserver;
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
  stoppedBy: "duration" | "max-requests";
  wallMs: number;
  summary: LoadSummary;
  /** Mergeable form of the measurements (see MetricsCollector.decode). */
  shard: CollectorShard;
}

const positiveInt = (name: string, v: unknown) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${String(v)}`);
};

function validate(o: LoadOptions) {
  if (typeof o.durationMs !== "number" || !(o.durationMs > 0) || !Number.isFinite(o.durationMs)) throw new Error(`durationMs is mandatory and must be a positive number, got ${String(o.durationMs)}`);
  positiveInt("maxRequests", o.maxRequests);
  if (o.shape.kind === "closed") positiveInt("concurrency", o.shape.concurrency);
  else {
    if (!(o.shape.ratePerSec > 0) || !Number.isFinite(o.shape.ratePerSec)) throw new Error(`ratePerSec must be a positive number, got ${o.shape.ratePerSec}`);
    if (o.shape.maxInFlight !== undefined) positiveInt("maxInFlight", o.shape.maxInFlight);
  }
  assertAllowedTarget(o.scenario.baseUrl, o.allowHosts);
}

export async function runLoad(o: LoadOptions): Promise<DriverResult> {
  validate(o);
  const maxOpen = o.shape.kind === "closed" ? o.shape.concurrency : (o.shape.maxInFlight ?? 1000);
  const threadPolicy = o.threads ?? "per-run";
  // One pool for the whole load: enough sockets for every open stream plus the untimed setup calls.
  const dispatcher = new Agent({ connections: maxOpen + 16, bodyTimeout: 0, headersTimeout: 0, keepAliveTimeout: 10_000 });
  // Timed http streams go over the driver's own lean client; setup calls and https over undici.
  const h1 = new H1Pool();
  const collector = new MetricsCollector(o.slo);
  const hardStop = new AbortController();
  setMaxListeners(0, hardStop.signal); // one listener per open run, by design
  let threads: ThreadSource;
  try {
    threads = await threadSource(threadPolicy, o.scenario, dispatcher);
  } catch (error) {
    await dispatcher.destroy();
    throw error;
  }

  const t0 = performance.now();
  const stopAt = t0 + o.durationMs;
  const hardStopAt = stopAt + (o.graceMs ?? 10_000);
  const deadlineMs = o.stream?.deadlineMs ?? 120_000;
  let started = 0;
  let dropped = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const running = new Set<Promise<void>>();

  const oneRun = async (intendedAt?: number) => {
    let threadId: string;
    try {
      threadId = await threads.acquire(hardStop.signal);
    } catch (error) {
      if (hardStop.signal.aborted) collector.addFailure("cut-at-cap");
      else collector.addFailure("setup", (error as Error).message);
      return;
    }
    try {
      const timeline = await streamRun({
        dispatcher,
        h1,
        request: o.scenario.streamRequest(threadId),
        limits: {
          deadlineMs: Math.max(1, Math.min(deadlineMs, hardStopAt - performance.now())),
          maxEvents: o.stream?.maxEvents ?? 100_000,
          idleTimeoutMs: o.stream?.idleTimeoutMs,
        },
        mode: o.scenario.mode,
        onGap: collector.gap,
        intendedAt,
        stop: hardStop.signal,
        observe: o.observe,
      });
      collector.add(timeline);
    } finally {
      threads.release(threadId);
    }
  };
  /** Starts a run; the returned promise never rejects, and the run is counted exactly once. */
  const launch = (intendedAt?: number): Promise<void> => {
    started++;
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    const p = oneRun(intendedAt)
      .catch(() => collector.addFailure("driver"))
      .finally(() => {
        inFlight--;
        running.delete(p);
      });
    running.add(p);
    return p;
  };
  const canStart = () => performance.now() < stopAt && started < o.maxRequests;

  const hardTimer = setTimeout(() => hardStop.abort(), hardStopAt - performance.now());
  try {
    if (o.shape.kind === "closed") await closedLoop(o.shape.concurrency, o.rampUpMs ?? 0, t0, canStart, () => launch());
    else {
      const shape = o.shape;
      for (const offset of poissonArrivals(shape.ratePerSec, o.durationMs, o.rampUpMs ?? 0, shape.seed ?? 1)) {
        if (started >= o.maxRequests) break;
        const intendedAt = t0 + offset;
        const wait = intendedAt - performance.now();
        if (wait > 0) await sleep(wait);
        if (inFlight >= maxOpen) dropped++;
        else launch(intendedAt);
      }
    }
    // Wait for the runs still open; the hard stop aborts whatever is left at duration + grace.
    while (running.size) await Promise.all([...running]);
  } finally {
    clearTimeout(hardTimer);
    hardStop.abort();
    h1.close();
    await dispatcher.destroy();
  }
  const wallMs = performance.now() - t0;
  return {
    scenario: o.scenario.name,
    shape: o.shape,
    started,
    dropped,
    offered: started + dropped,
    peakInFlight,
    stoppedBy: started >= o.maxRequests ? "max-requests" : "duration",
    wallMs,
    summary: collector.summary(),
    shard: collector.encode(),
  };
}

/** Each user starts after its ramp offset, then runs back to back while the caps allow. */
async function closedLoop(users: number, rampUpMs: number, t0: number, canStart: () => boolean, launch: () => Promise<void>) {
  const user = async (i: number) => {
    const wait = t0 + (rampUpMs * i) / users - performance.now();
    if (wait > 0) await sleep(wait);
    while (canStart()) await launch();
  };
  await Promise.all(Array.from({ length: users }, (_, i) => user(i)));
}

