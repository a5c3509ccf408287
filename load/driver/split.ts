/**
 * A load split across worker threads so it can use every core: each worker gets its share of the users (or
 * of the arrival rate), of the thread pool and of the request cap, sets up, and all start together. Their
 * HDR histograms and counters merge exactly (MetricsCollector.merge); nothing is averaged.
 */
import { Worker } from "node:worker_threads";
import { MetricsCollector, type CollectorShard } from "../metrics/collector.ts";
import type { DriverResult, LoadOptions, LoadShape } from "./options.ts";
import type { ThreadPolicy } from "./threads.ts";
import type { WorkerLoad, WorkerMessage } from "./worker.ts";

const ENTRY = new URL("./worker.mjs", import.meta.url);
/** Past duration + grace, a worker that has not answered is stopped and the load fails. */
const LATE_MS = 60_000;

/**
 * Workers that finished a load wait here for the next one: starting a thread (loading and compiling the
 * driver) costs about a second of CPU, and a fresh one runs cold. They never keep the process alive.
 */
const idle: Worker[] = [];

function takeWorker(): Worker {
  const w = idle.pop() ?? new Worker(ENTRY);
  w.removeAllListeners();
  w.ref();
  return w;
}

function park(w: Worker): void {
  w.removeAllListeners();
  w.on("error", () => undefined);
  w.once("exit", () => idle.includes(w) && idle.splice(idle.indexOf(w), 1));
  w.unref();
  idle.push(w);
}

/** `total` in `parts` integers as equal as can be, the larger ones first. */
export function shares(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** Each worker's options; fewer workers than asked when there is not enough work for each to have some. */
export function splitOptions(o: LoadOptions, workers: number): WorkerLoad["options"][] {
  const { scenario: _s, observe: _o, onThread: _t, workers: _w, stop: _stop, onProgress: _p, ...rest } = o;
  const pool = typeof o.threads === "object" ? o.threads.pool : Infinity;
  const users = o.shape.kind === "closed" ? o.shape.concurrency : Infinity;
  const n = Math.max(1, Math.min(workers, o.maxRequests, users, pool));
  const requests = shares(o.maxRequests, n);
  const pools = Number.isFinite(pool) ? shares(pool, n) : undefined;
  const shape = o.shape;
  const shapes: LoadShape[] =
    shape.kind === "closed"
      ? shares(shape.concurrency, n).map((concurrency) => ({ kind: "closed", concurrency }))
      : shares(shape.maxInFlight ?? 1000, n).map((maxInFlight, i) => ({
          kind: "open",
          ratePerSec: shape.ratePerSec / n,
          maxInFlight: Math.max(1, maxInFlight),
          // Independent Poisson processes at rate r/n add up to one at rate r.
          seed: (shape.seed ?? 1) + i * 7919,
        }));
  return shapes.map((s, i) => ({ ...rest, shape: s, maxRequests: requests[i]!, threads: pools ? ({ pool: pools[i]! } as ThreadPolicy) : o.threads }));
}

export async function runSplit(o: LoadOptions, workers: number): Promise<DriverResult> {
  const spec = o.scenario.spec;
  if (!spec) throw new Error(`scenario ${o.scenario.name} cannot be split across worker threads (it has no spec)`);
  const parts = splitOptions(o, workers);
  const threads = parts.map(() => takeWorker());
  let healthy = false;
  // Each worker's latest figures; merged, they are the load's so far.
  const sofar: (CollectorShard | undefined)[] = parts.map(() => undefined);
  const progress = () => {
    const shards = sofar.filter((x): x is CollectorShard => x !== undefined);
    const merged = MetricsCollector.decode(shards[0]!, o.slo);
    for (const x of shards.slice(1)) merged.merge(x);
    o.onProgress!(merged);
  };
  const stopAll = () => threads.forEach((w) => w.postMessage({ type: "stop" }));
  o.stop?.addEventListener("abort", stopAll, { once: true });
  try {
    const results = await new Promise<DriverResult[]>((resolve, reject) => {
      const done: DriverResult[] = [];
      let ready = 0;
      const late = setTimeout(() => reject(new Error(`a load worker did not finish within its duration, grace and ${LATE_MS / 1000} s`)), o.durationMs + (o.graceMs ?? 10_000) + LATE_MS);
      const fail = (message: string) => (clearTimeout(late), reject(new Error(message)));
      threads.forEach((w, i) => {
        w.on("message", (m: WorkerMessage) => {
          if (m.type === "thread") o.onThread?.(m.id);
          else if (m.type === "progress") (sofar[i] = m.shard), progress();
          else if (m.type === "ready" && ++ready === threads.length) for (const t of threads) t.postMessage({ type: "go" });
          else if (m.type === "error") fail(m.message);
          else if (m.type === "done" && done.push(m.result) === threads.length) (clearTimeout(late), resolve(done));
        });
        w.on("error", (e) => fail(`a load worker failed: ${e.message}`));
        w.on("exit", (code) => fail(`a load worker exited with code ${code}`));
        w.postMessage({ type: "load", options: parts[i]!, spec, progress: Boolean(o.onProgress) } satisfies WorkerLoad);
        if (o.stop?.aborted) w.postMessage({ type: "stop" });
      });
    });
    healthy = true;
    return merge(o, results);
  } finally {
    o.stop?.removeEventListener("abort", stopAll);
    // A worker that failed, or whose load failed, may be mid-load: it is stopped, never reused.
    for (const w of threads) {
      if (healthy) park(w);
      else void w.terminate();
    }
  }
}

function merge(o: LoadOptions, results: DriverResult[]): DriverResult {
  const collector = MetricsCollector.decode(results[0]!.shard, o.slo);
  for (const r of results.slice(1)) collector.merge(r.shard);
  const sum = (f: (r: DriverResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const started = sum((r) => r.started);
  return {
    scenario: o.scenario.name,
    shape: o.shape,
    started,
    dropped: sum((r) => r.dropped),
    offered: sum((r) => r.offered),
    // Per-worker peaks added: an upper bound of the streams open at once.
    peakInFlight: sum((r) => r.peakInFlight),
    stoppedBy: results.some((r) => r.stoppedBy === "stopped") ? "stopped" : started >= o.maxRequests ? "max-requests" : "duration",
    // The workers start together, so the load took as long as the longest of them.
    wallMs: Math.max(...results.map((r) => r.wallMs)),
    summary: collector.summary(),
    shard: collector.encode(),
    workers: results.length,
    busy: results.flatMap((r) => r.busy),
  };
}
