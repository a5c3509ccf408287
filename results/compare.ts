/**
 * `agentwire compare BASE HEAD`: what changed between two runs (two releases, staging and production, two
 * servers). Findings are matched by fingerprint (new / fixed / unchanged); operation, stream and gate
 * verdicts that changed are listed; each load latency metric is judged on the HDR histograms both runs
 * saved (summary.json `load.steps[].histograms`), over the concurrency levels both measured, each level
 * weighing the same: a bootstrap confidence interval of the difference of p50, p95 and p99, and a rank
 * test (Mann-Whitney, stratified by level), give a verdict per metric — better, worse, or no detectable change at the chosen confidence. A change must also
 * matter: a percentile counts only when its whole interval lies beyond a practical-equivalence margin
 * (EQUIVALENCE), since on thousands of samples a rank test finds differences of a tenth of a millisecond.
 *
 * compare.json holds a `Compare` document. Its shape is versioned (`schemaVersion`) and only ever grows:
 * readers (the HTML compare page) may rely on every field documented here.
 */
import { decodeFromCompressedBase64 } from "hdr-histogram-js";
import { seededRandom } from "../core/random.ts";
import type { CheckName } from "../core/checks.ts";
import type { SpecId } from "../core/target.ts";
import type { Finding } from "./finding.ts";
import { fingerprintOf } from "./fingerprint.ts";
import { LOAD_LATENCY_METRICS, type Gate, type LoadLatencyMetric, type OperationVerdict, type StreamResult, type Summary } from "./summary.ts";

export const COMPARE_SCHEMA_VERSION = 1;

export interface Compare {
  schemaVersion: typeof COMPARE_SCHEMA_VERSION;
  kind: "compare";
  tool: { name: string; version: string };
  /** "fail" when HEAD has a new open finding, a gate BASE met is broken, or a metric regressed beyond its configured limit. */
  verdict: "pass" | "fail";
  /** One line per reason for "fail" (empty on "pass"). */
  reasons: string[];
  /** Confidence of the intervals and of the rank test (e.g. 0.95). */
  confidence: number;
  /** The practical-equivalence rule: how large a change must be to count at all. */
  equivalence: Equivalence;
  base: CompareRun;
  head: CompareRun;
  /** `reopened`: unchanged ones that BASE waived and HEAD has open (e.g. their waiver expired). */
  findings: { new: FindingRef[]; fixed: FindingRef[]; unchanged: FindingRef[]; reopened: FindingRef[] };
  /** Operations whose verdict differs (null: not in that run's documents). */
  operations: VerdictChange<OperationVerdict>[];
  /** Stream rules whose verdict differs. */
  streams: (VerdictChange<StreamResult["verdict"]> & { streamMode: string; check: CheckName })[];
  /** Gates whose outcome differs, or that exist in only one run. */
  gates: { name: string; base: GateOutcome | null; head: GateOutcome | null }[];
  /** One entry per latency metric, in LOAD_LATENCY_METRICS order. */
  metrics: MetricComparison[];
  /** What the verdicts cannot see, e.g. the suite's own machine much busier during one run's load phase. */
  notes: string[];
}

/** Which run a side is, as its summary says. */
export interface CompareRun {
  /** The folder or file it was read from. */
  source: string;
  startedAt: string;
  verdict: "pass" | "fail";
  seed: number;
  profile: string;
  targets: Summary["targets"];
  tool: Summary["tool"];
}

export interface FindingRef {
  fingerprint: string;
  check: CheckName;
  spec: SpecId;
  operationId: string;
  streamMode?: string;
  strategy?: string;
  /** The message as this run worded it (HEAD's for new and unchanged findings, BASE's for fixed ones). */
  message: string;
  waived: boolean;
}

export interface VerdictChange<V> {
  spec: SpecId;
  operationId: string;
  base: V | null;
  head: V | null;
}

export type GateOutcome = "met" | "broken" | "not-judged";

export type MetricVerdict = "better" | "worse" | "no detectable change" | "not judged";

export interface MetricComparison {
  metric: LoadLatencyMetric;
  verdict: MetricVerdict;
  /** Why it was not judged (no histograms, too few samples, no common concurrency level). */
  reason?: string;
  /** The concurrency levels compared (measured by both runs, with samples of this metric in both), each weighing the same. */
  concurrency: number[];
  samples: { base: number; head: number };
  /** Mann-Whitney U test of HEAD against BASE, stratified by level (van Elteren; normal approximation with tie correction, two-sided). */
  rankTest?: { u: number; z: number; pValue: number };
  percentiles: PercentileComparison[];
}

export interface PercentileComparison {
  percentile: "p50" | "p95" | "p99";
  /** Milliseconds. */
  base: number;
  head: number;
  /** head − base, ms. */
  diff: number;
  /** diff / base (null when base is 0). */
  relative: number | null;
  /** Bootstrap confidence interval of diff, ms. */
  ci: [number, number];
  /** Practical-equivalence margin, ms: the change counts only when `ci` lies wholly above +margin or below −margin. */
  margin: number;
  /** The configured limit for this percentile (`regression:` in the config), as written. */
  limit?: string;
  /** True when the metric is worse and this percentile's change is beyond its limit: compare fails. */
  beyondLimit?: boolean;
}

export interface CompareOptions {
  confidence?: number;
  /** `<metric>.<p50|p95|p99>` → "+10%" (relative) or "+50" (ms). */
  regression?: Record<string, string>;
  /** Resamples of the bootstrap. */
  resamples?: number;
}

/** How large a change must be to be called better or worse (compare.json `equivalence`). */
export interface Equivalence {
  rule: string;
  /** Share of BASE's percentile. */
  relative: number;
  /** Per metric, ms: the margin is never below it. */
  floorMs: Record<LoadLatencyMetric, number>;
}

/**
 * Differences smaller than 10 % of BASE's percentile (the default regression limit), or than a floor of a
 * few ms (1 ms for the per-token gaps, which are ~10 ms on the references), are no practical change; a
 * percentile with a stricter `regression:` limit uses that limit instead, so a limit can always be detected.
 */
export const EQUIVALENCE: Equivalence = {
  rule: "a percentile changed only when its whole confidence interval lies beyond ±margin, margin = max(relative × BASE's percentile, floorMs[metric]), or the percentile's regression limit when that is smaller; a metric is worse (better) when the rank test is significant in that direction and at least one percentile changed that way; ITL's gaps count as many as the runs they came from (they move together within a run)",
  relative: 0.1,
  floorMs: { ttft_ms: 5, itl_ms: 1, tpot_ms: 1, e2e_ms: 5, time_to_headers_ms: 5, time_to_first_event_ms: 5 },
};

/** Applied when the config names none: a detectable rise of more than 10 % of a p95 latency fails. */
export const DEFAULT_REGRESSION: Record<string, string> = Object.fromEntries(LOAD_LATENCY_METRICS.map((m) => [`${m}.p95`, "+10%"]));
/** Fewer samples on either side and a metric is not judged. */
export const MIN_COMPARE_SAMPLES = 5;

const PERCENTILES = { p50: 50, p95: 95, p99: 99 } as const;

export function compareSummaries(base: Summary, head: Summary, sources: { base: string; head: string }, tool: Compare["tool"], o: CompareOptions = {}): Compare {
  const confidence = o.confidence ?? 0.95;
  const regression = o.regression ?? DEFAULT_REGRESSION;
  const findings = compareFindings(base.findings, head.findings);
  const metrics = LOAD_LATENCY_METRICS.map((m) => compareMetric(m, base, head, confidence, regression, o.resamples ?? 2000));
  const gates = changes(base.gates, head.gates, (g) => g.name, outcome).map(([k, b, h]) => ({ name: k.name, base: b, head: h }));
  const reasons = [
    ...findings.new.filter((f) => !f.waived).map((f) => `new open finding ${f.fingerprint}: ${describeRef(f)}`),
    ...findings.reopened.map((f) => `finding open again (BASE waived it) ${f.fingerprint}: ${describeRef(f)}`),
    // A gate is judged on HEAD's own figures even when too few samples leave the histograms without a verdict.
    ...gates.filter((g) => g.base === "met" && g.head === "broken").map((g) => `gate ${g.name} was met and is broken`),
    ...metrics.flatMap((m) => m.percentiles.filter((p) => p.beyondLimit).map((p) => `${m.metric} ${p.percentile} regressed ${fmtMs(p.diff, true)}${p.relative === null ? "" : ` (${fmtPct(p.relative)})`}, beyond ${p.limit}`)),
  ];
  return {
    schemaVersion: COMPARE_SCHEMA_VERSION,
    kind: "compare",
    tool,
    verdict: reasons.length ? "fail" : "pass",
    reasons,
    confidence,
    equivalence: EQUIVALENCE,
    base: runOf(base, sources.base),
    head: runOf(head, sources.head),
    findings,
    operations: changes(base.operations, head.operations, (o) => `${o.spec} ${o.operationId}`, (o) => o.verdict).map(([k, b, h]) => ({ spec: k.spec, operationId: k.operationId, base: b, head: h })),
    streams: changes(base.streams, head.streams, (s) => `${s.spec} ${s.operationId} ${s.streamMode} ${s.check}`, (s) => s.verdict).map(([k, b, h]) => ({ spec: k.spec, operationId: k.operationId, streamMode: k.streamMode, check: k.check, base: b, head: h })),
    gates,
    metrics,
    notes: hostNotes(base, head),
  };
}

/**
 * Latencies measured on a machine whose other work changes measure that work too (the target and the
 * suite share it on the embedded reference): said when one run's load phase saw the machine much busier.
 */
function hostNotes(base: Summary, head: Summary): string[] {
  const b = base.load?.host;
  const h = head.load?.host;
  if (!b || !h) return [];
  const perCore = (x: NonNullable<typeof b>) => (x.loadAverage1m[0] + x.loadAverage1m[1]) / 2 / x.cpus;
  const [lb, lh] = [perCore(b), perCore(h)];
  if (Math.max(lb, lh) < 0.75 || Math.max(lb, lh) < 1.5 * Math.min(lb, lh)) return [];
  const busier = lb > lh ? "BASE" : "HEAD";
  return [`the machine running the suite was much busier during ${busier}'s load phase (load average ${(lb * b.cpus).toFixed(1)} on ${b.cpus} cores vs ${(lh * h.cpus).toFixed(1)} on ${h.cpus}): latency changes may be the machine's, not the target's`];
}

const runOf = (s: Summary, source: string): CompareRun => ({ source, startedAt: s.startedAt, verdict: s.verdict, seed: s.seed, profile: s.profile, targets: s.targets, tool: s.tool });
const outcome = (g: Gate): GateOutcome => (g.notJudged ? "not-judged" : g.passed ? "met" : "broken");

/** Entries whose value differs between the runs, or that only one run has. */
function changes<T, V>(base: T[], head: T[], key: (x: T) => string, value: (x: T) => V): [T, V | null, V | null][] {
  const b = new Map(base.map((x) => [key(x), x]));
  const h = new Map(head.map((x) => [key(x), x]));
  const out: [T, V | null, V | null][] = [];
  for (const [k, x] of h) {
    const old = b.get(k);
    if (!old || value(old) !== value(x)) out.push([x, old ? value(old) : null, value(x)]);
  }
  for (const [k, x] of b) if (!h.has(k)) out.push([x, value(x), null]);
  return out;
}

const refOf = (f: Finding): FindingRef => ({
  fingerprint: f.fingerprint ?? fingerprintOf(f),
  check: f.check,
  spec: f.spec,
  operationId: f.operationId,
  ...(f.streamMode ? { streamMode: f.streamMode } : {}),
  ...(f.strategy ? { strategy: f.strategy } : {}),
  message: f.message,
  waived: Boolean(f.waived),
});

const describeRef = (f: FindingRef) => `${f.check} on ${f.operationId}${f.streamMode ? ` [${f.streamMode}]` : ""}${f.strategy ? ` [${f.strategy}]` : ""}`;

/** By fingerprint; one violation seen through several messages is one entry (open if any of them is). */
export function compareFindings(base: Finding[], head: Finding[]): Compare["findings"] {
  const byPrint = (list: Finding[]) => {
    const m = new Map<string, FindingRef>();
    for (const f of list.map(refOf)) {
      const seen = m.get(f.fingerprint);
      m.set(f.fingerprint, seen ? { ...seen, waived: seen.waived && f.waived } : f);
    }
    return m;
  };
  const b = byPrint(base);
  const h = byPrint(head);
  const unchanged = [...h.values()].filter((f) => b.has(f.fingerprint));
  return {
    new: [...h.values()].filter((f) => !b.has(f.fingerprint)),
    fixed: [...b.values()].filter((f) => !h.has(f.fingerprint)),
    unchanged,
    reopened: unchanged.filter((f) => !f.waived && b.get(f.fingerprint)!.waived),
  };
}

// ── latency ───────────────────────────────────────────────────────────────────────────────────────────

/** Every value a histogram recorded, in ms, sorted (each bucket's highest equivalent value, as HDR reports percentiles). */
export function samplesOf(encoded: string): number[] {
  const h = decodeFromCompressedBase64(encoded, 32, false) as unknown as { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } } };
  const it = h.recordedValuesIterator;
  it.reset();
  const out: number[] = [];
  while (it.hasNext()) {
    const v = it.next();
    for (let i = 0; i < v.countAtValueIteratedTo; i++) out.push(v.valueIteratedTo / 1000);
  }
  return out;
}

/**
 * One run's samples of a metric per concurrency level, sorted, and how many of them are independent: one
 * per streamed run for every metric but ITL, whose gaps come ~20 to a run and share its fate (a pause of
 * the server stretches all of them), so they count as many as the runs that had any.
 */
function perLevel(s: Summary, metric: LoadLatencyMetric, levels: number[]): { samples: number[]; independent: number }[] {
  return levels.map((c) => {
    const st = (s.load?.steps ?? []).find((x) => x.concurrency === c && x.histograms[metric]);
    const samples = st ? samplesOf(st.histograms[metric]!) : [];
    return { samples, independent: metric === "itl_ms" ? Math.min(samples.length, st?.runs.ok ?? 0) : samples.length };
  });
}

/**
 * The samples of several concurrency levels as one mixture in which each level weighs the same. Pooled
 * as they come, a level would weigh by its number of runs, and a closed loop runs more of them where the
 * target is fast: a HEAD slower at high concurrency would put less weight there and hide its regression.
 */
class Mixture {
  /** Every sample, sorted, with its level and, per level, where its samples are. */
  readonly sorted: number[];
  private readonly level: Uint32Array;
  private readonly members: Uint32Array[];
  /** `draws`: samples drawn per level in a resample, its independent ones (fewer than its samples where they cluster by run). */
  constructor(
    readonly levels: number[][],
    private readonly draws: number[] = levels.map((l) => l.length),
  ) {
    const all = levels.flatMap((xs, l) => xs.map((v) => [v, l] as const)).sort((a, b) => a[0] - b[0]);
    this.sorted = all.map(([v]) => v);
    this.level = Uint32Array.from(all.map(([, l]) => l));
    this.members = levels.map((_, l) => Uint32Array.from(all.flatMap(([, x], i) => (x === l ? [i] : []))));
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The p-th percentile of the equal-weight mixture; `counts`: how often each sample was drawn (a resample), else once. */
  at(p: number, counts?: Uint32Array): number {
    const k = this.levels.length;
    let seen = 0;
    for (let i = 0; i < this.sorted.length; i++) {
      seen += counts ? counts[i]! / (k * this.draws[this.level[i]!]!) : 1 / (k * this.levels[this.level[i]!]!.length);
      if (seen >= p / 100 - 1e-9) return this.sorted[i]!;
    }
    return this.sorted.at(-1)!;
  }

  /**
   * A resample: each level's independent count of samples drawn with replacement within that level (a
   * stratified bootstrap; drawing fewer than there are widens the interval as clustered samples should).
   */
  resample(counts: Uint32Array, rng: () => number): Uint32Array {
    counts.fill(0);
    this.members.forEach((m, l) => {
      for (let i = 0; i < this.draws[l]!; i++) counts[m[Math.floor(rng() * m.length)]!]!++;
    });
    return counts;
  }
}

/** Nearest-rank percentile of sorted values. */
const at = (sorted: ArrayLike<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

function compareMetric(metric: LoadLatencyMetric, base: Summary, head: Summary, confidence: number, regression: Record<string, string>, resamples: number): MetricComparison {
  const levelsOf = (s: Summary) => new Set((s.load?.steps ?? []).filter((st) => st.histograms[metric]).map((st) => st.concurrency));
  const b = levelsOf(base);
  const concurrency = [...levelsOf(head)].filter((c) => b.has(c)).sort((x, y) => x - y);
  const notJudged = (reason: string, samples = { base: 0, head: 0 }): MetricComparison => ({ metric, verdict: "not judged", reason, concurrency, samples, percentiles: [] });
  if (!base.load?.steps || !head.load?.steps) return notJudged(`${!base.load?.steps ? "BASE" : "HEAD"} saved no load histograms (run the load phase, agentwire ≥ this version)`);
  if (!concurrency.length) return notJudged("the runs measured no concurrency level in common");
  // A level only one run has samples of (e.g. all its runs failed) has nothing to compare.
  const [bl, hl] = [perLevel(base, metric, concurrency), perLevel(head, metric, concurrency)];
  const both = concurrency.map((_, i) => i).filter((i) => bl[i]!.independent && hl[i]!.independent);
  const xs = new Mixture(both.map((i) => bl[i]!.samples), both.map((i) => bl[i]!.independent));
  const ys = new Mixture(both.map((i) => hl[i]!.samples), both.map((i) => hl[i]!.independent));
  const used = both.map((i) => concurrency[i]!);
  const samples = { base: xs.size, head: ys.size };
  if (xs.size < MIN_COMPARE_SAMPLES || ys.size < MIN_COMPARE_SAMPLES) {
    // The figures are still worth reading (a gate on them may have broken); they are no verdict.
    const p95 = xs.size && ys.size ? `; p95 ${fmtMs(xs.at(95))} → ${fmtMs(ys.at(95))}` : "";
    return { ...notJudged(`fewer than ${MIN_COMPARE_SAMPLES} samples (BASE ${xs.size}, HEAD ${ys.size})${p95}`, samples), concurrency: used };
  }

  const alpha = 1 - confidence;
  const rankTest = stratifiedRankTest(both.map((i) => [bl[i]!.samples, hl[i]!.samples, (bl[i]!.samples.length + hl[i]!.samples.length) / (bl[i]!.independent + hl[i]!.independent)]));
  // Seeded: the same two runs always compare the same way.
  const rng = seededRandom(0x5eed ^ xs.size ^ (ys.size << 8));
  const percentiles = (Object.entries(PERCENTILES) as [PercentileComparison["percentile"], number][]).map(([name, p]): PercentileComparison => {
    const bv = xs.at(p);
    const hv = ys.at(p);
    const ci = bootstrapDiff(xs, ys, p, resamples, alpha, rng);
    const limit = regression[`${metric}.${name}`];
    return { percentile: name, base: bv, head: hv, diff: hv - bv, relative: bv > 0 ? (hv - bv) / bv : null, ci, margin: marginOf(metric, bv, limit), ...(limit ? { limit } : {}) };
  });
  // A change is detectable when the rank test says the distributions differ and a percentile's interval lies beyond its margin on that side.
  const significant = rankTest.pValue < alpha;
  const verdict: MetricVerdict =
    significant && rankTest.z > 0 && percentiles.some((p) => p.ci[0] > p.margin)
      ? "worse"
      : significant && rankTest.z < 0 && percentiles.some((p) => p.ci[1] < -p.margin)
        ? "better"
        : "no detectable change";
  for (const p of percentiles) if (p.limit !== undefined) p.beyondLimit = verdict === "worse" && p.ci[0] > p.margin && p.diff > (limitMs(p.limit, p.base) ?? Infinity);
  return { metric, verdict, concurrency: used, samples, rankTest, percentiles };
}

/** The margin of EQUIVALENCE for one percentile, in ms. */
function marginOf(metric: LoadLatencyMetric, base: number, limit: string | undefined): number {
  const margin = Math.max(EQUIVALENCE.relative * base, EQUIVALENCE.floorMs[metric]);
  const l = limit === undefined ? undefined : limitMs(limit, base);
  return l === undefined ? margin : Math.min(margin, l);
}

/** A limit in ms at BASE's value: "+10%" relative to it, "+50" in ms. */
function limitMs(limit: string, base: number): number | undefined {
  const m = /^\+(\d+(?:\.\d+)?)(%?)$/.exec(limit);
  if (!m) return undefined;
  return m[2] ? (Number(m[1]) / 100) * base : Number(m[1]);
}


/** Percentile bootstrap of the difference of the mixtures' p-th percentiles, resampled within each level by counting draws: O(n) per resample. */
function bootstrapDiff(xs: Mixture, ys: Mixture, p: number, resamples: number, alpha: number, rng: () => number): [number, number] {
  const diffs = new Float64Array(resamples);
  const cx = new Uint32Array(xs.size);
  const cy = new Uint32Array(ys.size);
  for (let r = 0; r < resamples; r++) diffs[r] = ys.at(p, ys.resample(cy, rng)) - xs.at(p, xs.resample(cx, rng));
  diffs.sort();
  return [at(diffs, (alpha / 2) * 100), at(diffs, (1 - alpha / 2) * 100)];
}

/**
 * The rank test over several levels (van Elteren's stratified Wilcoxon): each level's rank sum of HEAD
 * against BASE, weighted by 1 / (its samples + 1), so that every level counts alike. With one level it is
 * the Mann-Whitney U test. `u` is the sum of the levels' U. A level whose samples come several to a run
 * (ITL) has its variance inflated by that many (the design effect when a run's samples move together).
 */
export function stratifiedRankTest(levels: [xs: number[], ys: number[], samplesPerIndependent?: number][]): { u: number; z: number; pValue: number } {
  let u = 0;
  let t = 0;
  let variance = 0;
  for (const [xs, ys, cluster = 1] of levels) {
    const r = rankSum(xs, ys);
    const w = 1 / (xs.length + ys.length + 1);
    u += r.u;
    t += w * (r.u - r.mean);
    // Samples that cluster by run vary together: at most `cluster` times the variance of independent ones.
    variance += w * w * r.variance * Math.max(1, cluster);
  }
  const z = variance > 0 ? t / Math.sqrt(variance) : 0;
  return { u, z, pValue: variance > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1 };
}

/** Two-sided Mann-Whitney U of ys against xs (both sorted); z > 0 when ys tend to be larger. */
export const mannWhitney = (xs: number[], ys: number[]) => stratifiedRankTest([[xs, ys]]);

/** U of ys against xs, with its mean and its variance (tie-corrected) under no difference. */
function rankSum(xs: number[], ys: number[]): { u: number; mean: number; variance: number } {
  const n1 = xs.length;
  const n2 = ys.length;
  const all = [...xs.map((v) => ({ v, g: 0 })), ...ys.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  let rankSumY = 0;
  let ties = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.v === all[i]!.v) j++;
    const rank = (i + 1 + j) / 2;
    const t = j - i;
    ties += t ** 3 - t;
    for (let k = i; k < j; k++) if (all[k]!.g === 1) rankSumY += rank;
    i = j;
  }
  const u = rankSumY - (n2 * (n2 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = n > 1 ? ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))) : 0;
  return { u, mean, variance };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (z / Math.SQRT2));
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(z * z) / 2);
  return 0.5 * (1 + erf);
}

export const fmtMs = (ms: number, signed = false) => `${signed && ms >= 0 ? "+" : ""}${Math.abs(ms) >= 100 ? ms.toFixed(0) : ms.toFixed(1)} ms`;
export const fmtPct = (r: number) => `${r >= 0 ? "+" : ""}${(r * 100).toFixed(0)} %`;
