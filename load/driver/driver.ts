/**
 * The load driver for streamed runs: in this thread (local.ts), or split across worker threads (split.ts)
 * with exactly merged histograms, so one load can use every core.
 */
import { runLocal } from "./local.ts";
import { validate, type DriverResult, type LoadOptions } from "./options.ts";
import { runSplit } from "./split.ts";

export type { DriverResult, LoadOptions, LoadShape, StreamLimitsOptions } from "./options.ts";

export async function runLoad(o: LoadOptions): Promise<DriverResult> {
  validate(o);
  const workers = o.workers ?? 1;
  return workers > 1 ? runSplit(o, workers) : runLocal(o);
}
