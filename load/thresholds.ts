/**
 * Thresholds on the load metrics, written k6-style (`p(95)<1500`, `avg<=800`, `rate<0.01`), each judged as
 * one gate on one step of the sweep. A threshold judged on fewer samples than it needs is not judged, and
 * says so; none is ever passed on nothing.
 */
import type { Gate } from "../results/summary.ts";
import type { LoadSummary } from "./metrics/collector.ts";
import type { LatencyKey } from "./metrics/slo.ts";

/** Metrics a threshold may name: latencies in ms (from the histograms) and rates of the whole step. */
export const LATENCY_METRICS: Record<string, LatencyKey> = {
  ttft_ms: "ttft",
  itl_ms: "itl",
  tpot_ms: "tpot",
  e2e_ms: "e2e",
  time_to_headers_ms: "time_to_headers",
  time_to_first_event_ms: "time_to_first_event",
};
export const RATE_METRICS = ["error_rate", "runs_per_s", "goodput"] as const;
export const THRESHOLD_METRICS = [...Object.keys(LATENCY_METRICS), ...RATE_METRICS];

export interface Threshold {
  metric: string;
  /** As written, e.g. "p(95)<1500". */
  expression: string;
  /** "p95", "avg", "med", "min", "max" for latencies; "value" for rates. */
  stat: string;
  op: "<" | "<=" | ">" | ">=";
  limit: number;
  minSamples: number;
  abortOnFail: boolean;
}

/** The SLO the suite always had: p95 TTFT within 2 s and at most 1 % failed runs (on at least one run: set min_samples for more). */
export const DEFAULT_THRESHOLDS = { ttft_ms: ["p(95)<=2000"], error_rate: ["rate<=0.01"] };
export const DEFAULT_MIN_SAMPLES = 1;

const EXPRESSION = /^\s*(p\((\d{1,2}(?:\.\d+)?)\)|avg|med|min|max|rate|value)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*$/;

/** Parses one expression for `metric`; throws a one-line error naming it. */
export function parseThreshold(metric: string, expression: string, o: { minSamples?: number; abortOnFail?: boolean } = {}): Threshold {
  if (!THRESHOLD_METRICS.includes(metric)) throw new Error(`thresholds.${metric}: unknown metric (expected one of ${THRESHOLD_METRICS.join(", ")})`);
  const m = EXPRESSION.exec(expression);
  if (!m) throw new Error(`thresholds.${metric}: "${expression}" is not an expression like p(95)<1500, avg<=800 or rate<0.01`);
  const latency = metric in LATENCY_METRICS;
  const stat = m[2] !== undefined ? `p${m[2].replace(".", "")}` : m[1] === "rate" ? "value" : m[1]!;
  if (latency && stat === "value") throw new Error(`thresholds.${metric}: "${expression}": a latency takes p(N), avg, med, min or max`);
  if (!latency && stat !== "value") throw new Error(`thresholds.${metric}: "${expression}": a rate takes rate<… or value<…`);
  if (m[2] !== undefined && !["50", "90", "95", "99", "999"].includes(stat.slice(1))) throw new Error(`thresholds.${metric}: "${expression}": the percentiles measured are p(50), p(90), p(95), p(99) and p(99.9)`);
  return { metric, expression: expression.trim(), stat, op: m[3] as Threshold["op"], limit: Number(m[4]), minSamples: o.minSamples ?? DEFAULT_MIN_SAMPLES, abortOnFail: o.abortOnFail ?? false };
}

type Item = string | { threshold: string; abort_on_fail?: boolean; min_samples?: number };

/** The thresholds of a config section (`ttft_ms: [...]`, `min_samples`, `abort_on_fail`). */
export function thresholdsOf(section: Record<string, unknown>): Threshold[] {
  const minSamples = typeof section.min_samples === "number" ? section.min_samples : undefined;
  const abortOnFail = section.abort_on_fail === true;
  return Object.entries(section).flatMap(([metric, items]) =>
    metric === "min_samples" || metric === "abort_on_fail"
      ? []
      : (items as Item[]).map((i) =>
          typeof i === "string" ? parseThreshold(metric, i, { minSamples, abortOnFail }) : parseThreshold(metric, i.threshold, { minSamples: i.min_samples ?? minSamples, abortOnFail: i.abort_on_fail ?? abortOnFail }),
        ),
  );
}

export const gateName = (t: Pick<Threshold, "metric" | "expression">) => `threshold ${t.metric} ${t.expression.replace(/\s+/g, "")}`;

/** The value a threshold judges, and how many samples it rests on. */
function measure(t: Threshold, s: LoadSummary): { actual: number; samples: number } {
  const key = LATENCY_METRICS[t.metric];
  if (key) {
    const h = s.latency_ms[key];
    const stat = t.stat === "med" ? "p50" : t.stat === "avg" ? "mean" : t.stat;
    return { actual: (h as unknown as Record<string, number>)[stat]!, samples: h.count };
  }
  const actual = t.metric === "error_rate" ? s.error_rate : t.metric === "runs_per_s" ? s.runs_per_s : s.goodput.per_s;
  return { actual, samples: s.runs.finished };
}

const holds = (op: Threshold["op"], a: number, b: number) => (op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b);

/** One gate per threshold, judged on one step's summary (`at` names the step in the detail). */
export function judgeThresholds(thresholds: Threshold[], s: LoadSummary, at: string): Gate[] {
  return thresholds.map((t) => {
    const { actual, samples } = measure(t, s);
    const unit = t.metric in LATENCY_METRICS ? " ms" : "";
    const shown = t.metric === "error_rate" ? `${(actual * 100).toFixed(2)} %` : `${actual.toFixed(t.metric in LATENCY_METRICS ? 0 : 2)}${unit}`;
    const base = { name: gateName(t), threshold: { metric: t.metric, expression: t.expression, samples, minSamples: t.minSamples, abortOnFail: t.abortOnFail } };
    if (samples < t.minSamples) {
      const why = `judged on ${samples} samples ${at}, fewer than min_samples ${t.minSamples}`;
      return { ...base, passed: false, notJudged: why, limit: t.expression, detail: `not judged: ${why}` };
    }
    const passed = holds(t.op, actual, t.limit);
    const figure = `${t.stat === "value" ? t.metric : `${t.stat} ${t.metric}`} ${shown} ${at} (${samples} samples)`;
    return { ...base, passed, threshold: { ...base.threshold, actual }, figure, limit: t.expression, detail: `${figure}; threshold ${t.expression}` };
  });
}

/** The sweep's objective, from the thresholds it can express (percentiles of latencies, the error rate). */
export function sweepSlo(thresholds: Threshold[]): Record<string, number> {
  const slo: Record<string, number> = {};
  for (const t of thresholds) {
    if (t.op !== "<" && t.op !== "<=") continue;
    const key = LATENCY_METRICS[t.metric];
    if (key && /^p\d+$/.test(t.stat)) slo[`${key}_${t.stat}_ms`] = Math.min(slo[`${key}_${t.stat}_ms`] ?? Infinity, t.limit);
    if (t.metric === "error_rate") slo.error_rate = Math.min(slo.error_rate ?? Infinity, t.limit);
  }
  return slo;
}
