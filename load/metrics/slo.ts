/**
 * Named service-level objectives. Two kinds, told apart by their names:
 *  - per run, `<metric>_ms` (ttft_ms, tpot_ms, itl_ms = largest gap of the run, e2e_ms): a run that meets all
 *    of them and did not fail counts toward goodput;
 *  - over the whole load, `<metric>_<pNN>_ms` (e.g. ttft_p95_ms, itl_p99_ms) and `error_rate` (0–1): the pass/fail
 *    verdict a sweep step or a CI gate uses.
 */
import type { LatencySummary } from "./histogram.ts";
import type { RunMetrics } from "./timeline.ts";

export type SloSpec = Record<string, number>;

/** Latency metrics that aggregate objectives may name, as they appear in a LoadSummary. */
export const LATENCY_KEYS = ["time_to_headers", "time_to_first_event", "ttft", "itl", "tpot", "e2e"] as const;
export type LatencyKey = (typeof LATENCY_KEYS)[number];

const PER_RUN = { ttft_ms: "ttft", tpot_ms: "tpot", itl_ms: "maxGap", e2e_ms: "e2e" } as const;
const PERCENTILES = { p50: "p50", p90: "p90", p95: "p95", p99: "p99", p999: "p999" } as const;
const AGGREGATE = new RegExp(`^(${LATENCY_KEYS.join("|")})_(${Object.keys(PERCENTILES).join("|")})_ms$`);

export interface SloCheck {
  name: string;
  limit: number;
  actual: number;
  ok: boolean;
}

export function isPerRun(name: string): name is keyof typeof PER_RUN {
  return name in PER_RUN;
}

/** Throws a one-line error naming the first unknown or invalid objective. */
export function validateSlo(spec: SloSpec): SloSpec {
  for (const [name, limit] of Object.entries(spec)) {
    if (!isPerRun(name) && !AGGREGATE.test(name) && name !== "error_rate") {
      throw new Error(`unknown SLO "${name}" (per run: ${Object.keys(PER_RUN).join(", ")}; over the load: <metric>_<p50|p90|p95|p99|p999>_ms with metric in ${LATENCY_KEYS.join(", ")}, or error_rate)`);
    }
    if (!Number.isFinite(limit) || limit < 0) throw new Error(`SLO "${name}" needs a non-negative number, got ${limit}`);
  }
  return spec;
}

/** Parses "ttft_p95_ms=500,e2e_ms=3000". */
export function parseSlo(text: string): SloSpec {
  const spec: SloSpec = {};
  for (const item of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [name, value, extra] = item.split("=");
    if (!name || value === undefined || extra !== undefined || value.trim() === "") throw new Error(`SLO "${item}" is not of the form name=number`);
    spec[name.trim()] = Number(value);
  }
  return validateSlo(spec);
}

/** True when a completed run meets every per-run objective (a run with no token fails a ttft_ms limit). */
export function meetsPerRun(spec: SloSpec, m: RunMetrics): boolean {
  for (const [name, limit] of Object.entries(spec)) {
    if (!isPerRun(name)) continue;
    const value = m[PER_RUN[name]];
    if (value === undefined) {
      if (name === "ttft_ms" || name === "e2e_ms") return false;
      continue; // fewer than two tokens: no inter-token time to breach
    }
    if (value > limit) return false;
  }
  return true;
}

export interface AggregateInput {
  latency: Record<LatencyKey, LatencySummary>;
  errorRate: number;
}

/** Checks the load-wide objectives; an objective on an empty histogram fails (nothing was measured). */
export function checkAggregate(spec: SloSpec, input: AggregateInput): SloCheck[] {
  const checks: SloCheck[] = [];
  for (const [name, limit] of Object.entries(spec)) {
    if (name === "error_rate") {
      checks.push({ name, limit, actual: input.errorRate, ok: input.errorRate <= limit });
      continue;
    }
    const match = AGGREGATE.exec(name);
    if (!match) continue;
    const summary = input.latency[match[1] as LatencyKey];
    const actual = summary[PERCENTILES[match[2] as keyof typeof PERCENTILES]];
    checks.push({ name, limit, actual, ok: summary.count > 0 && actual <= limit });
  }
  return checks;
}
