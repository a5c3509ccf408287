/**
 * The load driver in one thread. Closed loop (a fixed number of virtual users, each starting its next run
 * when the last one ends) or open loop (Poisson arrivals at a rate, each run stamped with its intended and its
 * actual start, so a slow target cannot quietly lower the offered load). Every load stops by itself: both a
 * duration cap and a request cap are mandatory, and runs still open at duration + grace are aborted.
 */
import { setMaxListeners } from "node:events";
import { Agent } from "undici";
import { MetricsCollector } from "../metrics/collector.ts";
import { poissonArrivals } from "./arrivals.ts";
import { H1Pool } from "./h1.ts";
import { validate, type DriverResult, type LoadOptions } from "./options.ts";
import type { LoadScenario } from "./scenario.ts";
import { streamRun } from "./stream-run.ts";
import { threadSource, type ThreadSource } from "./threads.ts";
import { sleep } from "../../core/poll.ts";

/** Runs the load in this thread; `beforeStart` lets a split line its workers up once their setup is done. */
export async function runLocal(o: LoadOptions, beforeStart?: () => Promise<void>): Promise<DriverResult> {
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
    threads = await threadSource(threadPolicy, withThreadHook(o), dispatcher);
    await beforeStart?.();
  } catch (error) {
    await dispatcher.destroy();
    throw error;
  }

  const t0 = performance.now();
  const loop = performance.eventLoopUtilization();
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
      progress();
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
      progress();
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
  const canStart = () => performance.now() < stopAt && started < o.maxRequests && !o.stop?.aborted;
  let lastProgress = -Infinity;
  const progress = () => {
    if (!o.onProgress || performance.now() - lastProgress < (o.progressMs ?? 100)) return;
    lastProgress = performance.now();
    o.onProgress(collector);
  };

  const hardTimer = setTimeout(() => hardStop.abort(), hardStopAt - performance.now());
  try {
    if (o.shape.kind === "closed") await closedLoop(o.shape.concurrency, o.rampUpMs ?? 0, t0, canStart, () => launch());
    else {
      const shape = o.shape;
      for (const offset of poissonArrivals(shape.ratePerSec, o.durationMs, o.rampUpMs ?? 0, shape.seed ?? 1)) {
        if (started >= o.maxRequests || o.stop?.aborted) break;
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
  const busy = performance.eventLoopUtilization(loop).utilization;
  return {
    scenario: o.scenario.name,
    shape: o.shape,
    started,
    dropped,
    offered: started + dropped,
    peakInFlight,
    stoppedBy: o.stop?.aborted ? "stopped" : started >= o.maxRequests ? "max-requests" : "duration",
    wallMs,
    summary: collector.summary(),
    shard: collector.encode(),
    workers: 1,
    busy: [Math.round(busy * 1000) / 1000],
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

function withThreadHook(o: LoadOptions): LoadScenario {
  const { scenario, onThread } = o;
  if (!onThread) return scenario;
  return {
    ...scenario,
    createThread: async (dispatcher, signal) => {
      const id = await scenario.createThread(dispatcher, signal);
      onThread(id);
      return id;
    },
  };
}
