/**
 * Open-loop arrival times: a Poisson process at `ratePerSec`, ramped linearly from 0 over `rampUpMs` (by
 * thinning), from a seeded generator so a load can be replayed with the same schedule.
 */
import { seededRandom } from "../../core/random.ts";

/** Offsets in ms from the load's start, increasing, until `untilMs`. */
export function* poissonArrivals(ratePerSec: number, untilMs: number, rampUpMs = 0, seed = 1): Generator<number> {
  if (!(ratePerSec > 0)) throw new Error(`open-loop rate must be a positive number of runs per second, got ${ratePerSec}`);
  const random = seededRandom(seed);
  const meanGapMs = 1000 / ratePerSec;
  let t = 0;
  for (;;) {
    t += -Math.log(1 - random()) * meanGapMs;
    if (t >= untilMs) return;
    // During the ramp, keep a candidate with probability rate(t)/rate: a Poisson process of rising rate.
    if (rampUpMs > 0 && t < rampUpMs && random() >= t / rampUpMs) continue;
    yield t;
  }
}
