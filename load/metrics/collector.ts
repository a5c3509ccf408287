/**
 * Aggregates finished runs into histograms and counters (never per-sample arrays). Collectors from several
 * workers or processes merge exactly through `encode()`/`decode()`.
 */
import { LatencyHistogram, type LatencySummary } from "./histogram.ts";
import { checkAggregate, isPerRun, meetsPerRun, validateSlo, LATENCY_KEYS, type LatencyKey, type SloCheck, type SloSpec } from "./slo.ts";
import { runMetrics, type ErrorKind, type RunTimeline } from "./timeline.ts";

const HISTOGRAM_KEYS = [...LATENCY_KEYS, "start_lag"] as const;
const GAP_BATCH = 4096;
type HistogramKey = (typeof HISTOGRAM_KEYS)[number];

export interface LoadSummary {
  /** Measurement window: first send to last end, in seconds (for merged shards, the longest shard's). */
  window_s: number;
  runs: { finished: number; ok: number; failed: number };
  /** Failed runs by kind; non-2xx answers as http_<status>. */
  errors: Record<string, number>;
  /** The first message seen for a kind of failure that has one (e.g. why thread creation failed). */
  error_examples: Record<string, string>;
  error_rate: number;
  runs_per_s: number;
  output_tokens: number;
  output_tokens_per_s: number;
  /** Successful runs meeting every per-run objective. */
  goodput: { slo: SloSpec; good_runs: number; per_s: number };
  /** Latencies of successful runs; itl pools the gaps of every run; start_lag is open loop only. */
  latency_ms: Record<HistogramKey, LatencySummary>;
  /** The same latencies as [percentile, ms] points, for distribution charts. */
  distribution_ms?: Record<HistogramKey, [number, number][]>;
  slo_checks: SloCheck[];
  slo_ok: boolean;
}

/** The mergeable form of a collector: JSON with base64 HDR histograms. */
export interface CollectorShard {
  format: "agentwire-load-shard/1";
  windowMs: number;
  ok: number;
  failed: number;
  tokens: number;
  goodRuns: number;
  errors: Record<string, number>;
  /** The first message seen per kind of failure (optional: older shards have none). */
  examples?: Record<string, string>;
  histograms: Record<HistogramKey, string>;
}

export class MetricsCollector {
  private readonly h = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, LatencyHistogram.create()])) as Record<HistogramKey, LatencyHistogram>;
  private ok = 0;
  private failed = 0;
  private tokens = 0;
  private goodRuns = 0;
  private readonly errors: Record<string, number> = {};
  private readonly examples: Record<string, string> = {};
  private firstSent = Infinity;
  private lastEnd = -Infinity;
  private windowOverrideMs?: number;

  constructor(private readonly slo: SloSpec = {}) {
    validateSlo(slo);
  }

  // Inter-token gaps wait here and go into the histogram in batches, off the per-event path.
  private readonly gaps = new Float64Array(GAP_BATCH);
  private pendingGaps = 0;

  /** Sink for inter-token gaps; pass it to each RunRecorder. */
  readonly gap = (ms: number): void => {
    this.gaps[this.pendingGaps++] = ms;
    if (this.pendingGaps === GAP_BATCH) this.flushGaps();
  };

  private flushGaps(): void {
    const itl = this.h.itl;
    for (let k = 0; k < this.pendingGaps; k++) itl.recordMs(this.gaps[k]!);
    this.pendingGaps = 0;
  }

  get finished(): number {
    return this.ok + this.failed;
  }

  add(t: RunTimeline): void {
    this.firstSent = Math.min(this.firstSent, t.sentAt);
    this.lastEnd = Math.max(this.lastEnd, t.endAt);
    if (t.intendedAt !== undefined) this.h.start_lag.recordMs(t.sentAt - t.intendedAt);
    if (t.error) {
      this.failed++;
      const key = t.error === "http" ? `http_${t.status ?? "unknown"}` : t.error;
      this.errors[key] = (this.errors[key] ?? 0) + 1;
      return;
    }
    this.ok++;
    const m = runMetrics(t);
    this.tokens += m.tokens;
    if (meetsPerRun(this.slo, m)) this.goodRuns++;
    const record = (key: LatencyKey, ms: number | undefined) => ms !== undefined && this.h[key].recordMs(ms);
    record("time_to_headers", m.timeToHeaders);
    record("time_to_first_event", m.timeToFirstEvent);
    record("ttft", m.ttft);
    record("tpot", m.tpot);
    record("e2e", m.e2e);
  }

  /** Counts a run that failed before its stream request was sent (thread creation, or stopped while waiting), and why. */
  addFailure(kind: ErrorKind, detail?: string): void {
    this.failed++;
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
    if (detail) this.examples[kind] ??= detail.slice(0, 300);
  }

  /** Sets the window explicitly (the driver's wall time) instead of first send → last end. */
  setWindow(ms: number): void {
    this.windowOverrideMs = ms;
  }

  private windowMs(): number {
    return this.windowOverrideMs ?? (this.lastEnd > this.firstSent ? this.lastEnd - this.firstSent : 0);
  }

  merge(other: MetricsCollector | CollectorShard): this {
    const shard = other instanceof MetricsCollector ? other.encode() : other;
    for (const k of HISTOGRAM_KEYS) this.h[k].merge(LatencyHistogram.decode(shard.histograms[k]));
    this.ok += shard.ok;
    this.failed += shard.failed;
    this.tokens += shard.tokens;
    this.goodRuns += shard.goodRuns;
    for (const [k, n] of Object.entries(shard.errors)) this.errors[k] = (this.errors[k] ?? 0) + n;
    for (const [k, text] of Object.entries(shard.examples ?? {})) this.examples[k] ??= text;
    // Shards run side by side, so the merged window is the longest one, not the sum.
    this.windowOverrideMs = Math.max(this.windowMs(), shard.windowMs);
    return this;
  }

  encode(): CollectorShard {
    this.flushGaps();
    return {
      format: "agentwire-load-shard/1",
      windowMs: this.windowMs(),
      ok: this.ok,
      failed: this.failed,
      tokens: this.tokens,
      goodRuns: this.goodRuns,
      errors: { ...this.errors },
      examples: { ...this.examples },
      histograms: Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, this.h[k].encode()])) as Record<HistogramKey, string>,
    };
  }

  static decode(shard: CollectorShard, slo: SloSpec = {}): MetricsCollector {
    if (shard?.format !== "agentwire-load-shard/1") throw new Error("not an agentwire load shard (format agentwire-load-shard/1)");
    return new MetricsCollector(slo).merge(shard);
  }

  summary(): LoadSummary {
    this.flushGaps();
    const seconds = this.windowMs() / 1000;
    const rate = (n: number) => (seconds > 0 ? n / seconds : 0);
    const latency = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, this.h[k].summary()])) as Record<HistogramKey, LatencySummary>;
    const errorRate = this.finished ? this.failed / this.finished : 0;
    const slo_checks = checkAggregate(this.slo, { latency, errorRate });
    return {
      window_s: seconds,
      runs: { finished: this.finished, ok: this.ok, failed: this.failed },
      errors: { ...this.errors },
      error_examples: { ...this.examples },
      error_rate: errorRate,
      runs_per_s: rate(this.ok),
      output_tokens: this.tokens,
      output_tokens_per_s: rate(this.tokens),
      goodput: { slo: perRunPart(this.slo), good_runs: this.goodRuns, per_s: rate(this.goodRuns) },
      latency_ms: latency,
      distribution_ms: Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, this.h[k].percentilePoints()])) as Record<HistogramKey, [number, number][]>,
      slo_checks,
      slo_ok: slo_checks.every((c) => c.ok),
    };
  }
}

const perRunPart = (slo: SloSpec): SloSpec => Object.fromEntries(Object.entries(slo).filter(([k]) => isPerRun(k)));
