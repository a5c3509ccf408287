/**
 * The load driver for streamed runs: in this thread (local.ts), or split across worker threads (split.ts)
 * with exactly merged histograms, so one load can use every core.
 */
import { availableParallelism } from "node:os";
import { runLocal } from "./local.ts";
import { validate, type DriverResult, type LoadOptions } from "./options.ts";
import { runSplit } from "./split.ts";

export type { DriverResult, LoadOptions, LoadShape, StreamLimitsOptions } from "./options.ts";

/** Streams per worker thread when the caller does not say: below this a thread costs more to start than it saves. */
const STREAMS_PER_WORKER = 500;

export async function runLoad(o: LoadOptions): Promise<DriverResult> {
  validate(o);
  const workers = o.workers ?? defaultWorkers(o);
  return workers > 1 ? runSplit(o, workers) : runLocal(o);
}

/**
 * A closed loop gets a worker per 500 concurrent streams, up to the cores (2 on a 2-core machine from 501
 * streams); everything else, and any load a worker cannot rebuild or that is observed, stays in this thread.
 */
export function defaultWorkers(o: LoadOptions): number {
  if (o.shape.kind !== "closed" || !o.scenario.spec || o.observe) return 1;
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(o.shape.concurrency / STREAMS_PER_WORKER)));
}
