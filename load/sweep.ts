/**
 * Concurrency sweep: measure at rising concurrency (1, 2, 4, … up to a bound) and stop at the first step
 * whose load-wide SLO breaks. The answer is the highest concurrency that still met it.
 */
import type { LoadSummary } from "./metrics/collector.ts";
import { validateSlo, type SloCheck, type SloSpec } from "./metrics/slo.ts";

export interface SweepStep {
  concurrency: number;
  summary: LoadSummary;
  checks: SloCheck[];
  ok: boolean;
}

export interface SweepResult {
  /** Highest concurrency whose step met the SLO; 0 when even the first step broke it. */
  maxConcurrencyWithinSlo: number;
  /** The first step that broke the SLO, if any. */
  brokeAt?: number;
  slo: SloSpec;
  steps: SweepStep[];
}

export interface SweepOptions {
  /** Load-wide objectives, e.g. { ttft_p95_ms: 1000 }; error_rate ≤ 0.01 is added when absent. */
  slo: SloSpec;
  /** Concurrency levels in increasing order; default doubling from 1 to `maxConcurrency`. */
  levels?: number[];
  /** Bound of the default doubling levels (default 64). */
  maxConcurrency?: number;
  /** Measures one step; returns a summary whose slo_checks were computed against `slo`. */
  measure: (concurrency: number, slo: SloSpec) => Promise<LoadSummary>;
}

export function doublingLevels(max: number): number[] {
  if (!Number.isInteger(max) || max < 1) throw new Error(`maxConcurrency must be a positive integer, got ${max}`);
  const levels: number[] = [];
  for (let c = 1; c < max; c *= 2) levels.push(c);
  levels.push(max);
  return levels;
}

export async function sweep(o: SweepOptions): Promise<SweepResult> {
  const slo = validateSlo({ error_rate: 0.01, ...o.slo });
  if (!Object.keys(slo).some((k) => k !== "error_rate")) throw new Error("a sweep needs at least one latency SLO, e.g. ttft_p95_ms");
  const levels = o.levels ?? doublingLevels(o.maxConcurrency ?? 64);
  if (!levels.length || levels.some((c, i) => !Number.isInteger(c) || c < 1 || (i > 0 && c <= levels[i - 1]!))) {
    throw new Error(`sweep levels must be increasing positive integers, got ${levels.join(", ")}`);
  }
  const steps: SweepStep[] = [];
  let maxConcurrencyWithinSlo = 0;
  for (const concurrency of levels) {
    const summary = await o.measure(concurrency, slo);
    const step = { concurrency, summary, checks: summary.slo_checks, ok: summary.slo_ok };
    steps.push(step);
    if (!step.ok) return { maxConcurrencyWithinSlo, brokeAt: concurrency, slo, steps };
    maxConcurrencyWithinSlo = concurrency;
  }
  return { maxConcurrencyWithinSlo, slo, steps };
}
