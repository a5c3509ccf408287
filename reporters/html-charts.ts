/**
 * Inline SVG charts drawn from the summary: latency CDFs, the concurrency sweep, and the multitask bursts'
 * timelines. Plain SVG with a viewBox (it scales to its box), every data point an element (so a test can
 * count them), colours from the Okabe–Ito palette and a shape or dash per series as well, for readers who
 * do not tell colours apart.
 */
import type { LoadReport, MultitaskSummary, PercentilePoints, SweepPoint, TimelineRun } from "../results/summary.ts";
import { esc } from "./html-escape.ts";

const W = 640;
const H = 300;
const M = { l: 56, r: 56, t: 16, b: 40 };
const PW = W - M.l - M.r;
const PH = H - M.t - M.b;
export const fmt = (v: number) => (Number.isInteger(v) || v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** "Nice" ticks over [0, max]. */
export function ticks(max: number, n = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  // The last tick is at or beyond the largest value, so nothing is drawn past the axis.
  for (let v = 0; out.length === 0 || out.at(-1)! < max; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}

const frame = (label: string, body: string, caption: string) =>
  `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}" preserveAspectRatio="xMidYMid meet">${body}</svg><figcaption>${caption}</figcaption></figure>`;

function axes(xTicks: { v: number; x: number; label: string }[], yTicks: { y: number; label: string }[], xTitle: string, yTitle: string, right?: { y: number; label: string }[], rightTitle?: string): string {
  const grid = yTicks.map((t) => `<line class="grid" x1="${M.l}" x2="${M.l + PW}" y1="${t.y}" y2="${t.y}"/><text class="tick" x="${M.l - 6}" y="${t.y + 4}" text-anchor="end">${esc(t.label)}</text>`).join("");
  const xs = xTicks.map((t) => `<line class="axis" x1="${t.x}" x2="${t.x}" y1="${M.t + PH}" y2="${M.t + PH + 4}"/><text class="tick" x="${t.x}" y="${M.t + PH + 16}" text-anchor="middle">${esc(t.label)}</text>`).join("");
  const rs = (right ?? []).map((t) => `<text class="tick" x="${M.l + PW + 6}" y="${t.y + 4}">${esc(t.label)}</text>`).join("");
  return `${grid}${xs}${rs}<line class="axis" x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${M.t + PH}"/><line class="axis" x1="${M.l}" x2="${M.l + PW}" y1="${M.t + PH}" y2="${M.t + PH}"/>
<text class="title" x="${M.l + PW / 2}" y="${H - 6}" text-anchor="middle">${esc(xTitle)}</text><text class="title" transform="translate(14 ${M.t + PH / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>${rightTitle ? `<text class="title" transform="translate(${W - 10} ${M.t + PH / 2}) rotate(90)" text-anchor="middle">${esc(rightTitle)}</text>` : ""}`;
}

const CDF_METRICS: [key: string, name: string][] = [
  ["ttft_ms", "TTFT (time to first token)"],
  ["itl_ms", "ITL (inter-token latency)"],
  ["tpot_ms", "TPOT (time per output token)"],
  ["e2e_ms", "E2E (end-to-end)"],
];

/** One CDF per latency metric: x the latency, y the share of samples at or below it, p50/p95/p99 marked. */
export function latencyCdfs(load: LoadReport): string {
  const at = load.measuredAtConcurrency;
  const charts = CDF_METRICS.map(([key, name]) => {
    const p = load.metrics[key];
    const points = load.distributions?.[key];
    const where = `${at !== undefined ? `at concurrency ${at}` : "concurrency not recorded"}, ${p?.count ?? 0} samples`;
    if (!p || p.count === 0) return `<div class="chart empty" data-metric="${esc(key)}"><p><strong>${esc(name)}</strong>: no samples (${esc(where)}).</p></div>`;
    if (!points?.length) return `<div class="chart empty" data-metric="${esc(key)}"><p><strong>${esc(name)}</strong>: this summary has no distribution points (written by an older agentwire); p50 ${fmt(p.p50)} ms, p95 ${fmt(p.p95)} ms, p99 ${fmt(p.p99)} ms (${esc(where)}).</p></div>`;
    return `<div class="cdf" data-metric="${esc(key)}" data-points="${points.length}" data-samples="${p.count}">${cdf(name, points, p, where)}</div>`;
  });
  return `<div class="charts">${charts.join("")}</div>`;
}

function cdf(name: string, points: PercentilePoints, p: { p50: number; p95: number; p99: number; count: number }, where: string): string {
  const max = Math.max(...points.map(([, ms]) => ms), p.p99) || 1;
  const xt = ticks(max);
  const xMax = xt.at(-1)!;
  const x = (ms: number) => M.l + (ms / xMax) * PW;
  const y = (pct: number) => M.t + PH - (pct / 100) * PH;
  // A step line: the share stays until the next value is reached.
  const path = points.map(([pct, ms], i) => `${i === 0 ? "M" : "H"}${x(ms).toFixed(1)}${i === 0 ? ` ${y(pct).toFixed(1)}` : ` V${y(pct).toFixed(1)}`}`).join(" ");
  const dots = points.map(([pct, ms]) => `<circle class="pt s1" cx="${x(ms).toFixed(1)}" cy="${y(pct).toFixed(1)}" r="2.5"><title>p${pct}: ${fmt(ms)} ms</title></circle>`).join("");
  const marks = ([["p50", p.p50, 50], ["p95", p.p95, 95], ["p99", p.p99, 99]] as const)
    .map(([label, ms, pct], i) => {
      // Labels near the right edge go to the left of their line; each sits lower than the one before.
      const right = x(ms) > M.l + PW * 0.7;
      return `<g class="mark" data-mark="${label}"><line x1="${x(ms).toFixed(1)}" x2="${x(ms).toFixed(1)}" y1="${M.t}" y2="${M.t + PH}" class="ref d${i}"/><text x="${(x(ms) + (right ? -4 : 4)).toFixed(1)}" y="${(M.t + PH * 0.45 + i * 14).toFixed(1)}" class="lbl"${right ? ' text-anchor="end"' : ""}>${label} ${fmt(ms)} ms</text></g>`;
    })
    .join("");
  const body =
    axes(
      xt.map((v) => ({ v, x: x(v), label: fmt(v) })),
      [0, 25, 50, 75, 100].map((v) => ({ y: y(v), label: `${v}%` })),
      "latency (ms)",
      "share of samples ≤ x",
    ) + `<path class="line s1" d="${path}"/>${dots}${marks}`;
  return frame(`${name} CDF`, body, `<strong>${esc(name)}</strong> — ${esc(where)}; p50 ${fmt(p.p50)} ms, p95 ${fmt(p.p95)} ms, p99 ${fmt(p.p99)} ms (from the HDR histogram, ${points.length} points)`);
}

/** p95 TTFT (left axis, circles, solid) and tokens/s (right axis, squares, dashed) against concurrency, with the SLO line. */
export function sweepChart(load: LoadReport): string {
  const steps = (load.sweep ?? []) as SweepPoint[];
  if (!steps.length) return "";
  const slo = load.slo?.ttft_p95_ms;
  const n = steps.length;
  const x = (i: number) => M.l + (n === 1 ? PW / 2 : (i / (n - 1)) * PW);
  const yMax = ticks(Math.max(...steps.map((s) => s.ttft_p95_ms), slo ?? 0) * 1.05).at(-1)!;
  const y = (ms: number) => M.t + PH - (ms / yMax) * PH;
  const tokens = steps.map((s) => s.output_tokens_per_s);
  const hasTokens = tokens.every((t) => typeof t === "number");
  const tMax = hasTokens ? ticks(Math.max(...(tokens as number[])) * 1.05).at(-1)! : 1;
  const yt = (v: number) => M.t + PH - (v / tMax) * PH;
  const best = load.maxConcurrencyWithinSlo;
  const ttftLine = steps.map((s, i) => `${i ? "L" : "M"}${x(i).toFixed(1)} ${y(s.ttft_p95_ms).toFixed(1)}`).join(" ");
  const ttftDots = steps.map((s, i) => `<circle class="pt s1${s.ok ? "" : " broke"}" data-series="ttft" cx="${x(i).toFixed(1)}" cy="${y(s.ttft_p95_ms).toFixed(1)}" r="4"><title>concurrency ${s.concurrency}: p95 TTFT ${fmt(s.ttft_p95_ms)} ms${s.ttft_samples !== undefined ? ` (${s.ttft_samples} samples)` : ""}, ${s.runs.ok}/${s.runs.finished} runs ok${s.ok ? "" : " — SLO broken"}</title></circle>`).join("");
  const tokLine = hasTokens ? `<path class="line s2 dash" d="${steps.map((s, i) => `${i ? "L" : "M"}${x(i).toFixed(1)} ${yt(s.output_tokens_per_s!).toFixed(1)}`).join(" ")}"/>` : "";
  const tokDots = hasTokens ? steps.map((s, i) => `<rect class="pt s2" data-series="tokens" x="${(x(i) - 3.5).toFixed(1)}" y="${(yt(s.output_tokens_per_s!) - 3.5).toFixed(1)}" width="7" height="7"><title>concurrency ${s.concurrency}: ${fmt(s.output_tokens_per_s!)} tokens/s</title></rect>`).join("") : "";
  const sloLine = slo !== undefined ? `<line class="slo" x1="${M.l}" x2="${M.l + PW}" y1="${y(slo).toFixed(1)}" y2="${y(slo).toFixed(1)}"/><text class="lbl" x="${M.l + 4}" y="${(y(slo) - 4).toFixed(1)}">SLO p95 TTFT ≤ ${fmt(slo)} ms</text>` : "";
  const bi = steps.findIndex((s) => s.concurrency === best);
  const bestMark = bi >= 0 ? `<line class="best" x1="${x(bi).toFixed(1)}" x2="${x(bi).toFixed(1)}" y1="${M.t}" y2="${M.t + PH}"/><text class="lbl" x="${(x(bi) - 4).toFixed(1)}" y="${M.t + 12}" text-anchor="end">highest within SLO: ${best}</text>` : "";
  const body =
    axes(
      steps.map((s, i) => ({ v: s.concurrency, x: x(i), label: String(s.concurrency) })),
      ticks(yMax).map((v) => ({ y: y(v), label: fmt(v) })),
      "concurrency (closed loop)",
      "p95 TTFT (ms) — circles",
      hasTokens ? ticks(tMax).map((v) => ({ y: yt(v), label: fmt(v) })) : undefined,
      hasTokens ? "output tokens/s — squares" : undefined,
    ) + `${sloLine}${bestMark}<path class="line s1" d="${ttftLine}"/>${tokLine}${ttftDots}${tokDots}`;
  const samples = steps.map((s) => `${s.concurrency}: ${s.ttft_samples ?? s.runs.ok} samples`).join(", ");
  const caption = `<strong>Concurrency sweep</strong> — ${n} steps (${esc(samples)}); highest concurrency within the SLO: <strong>${esc(best ?? "none")}</strong>${steps.some((s) => !s.ok) ? `; the SLO broke at ${steps.find((s) => !s.ok)!.concurrency} (hollow circle)` : ""}.`;
  return `<div class="sweep" data-points="${n}">${frame("concurrency sweep", body, caption)}</div>`;
}

const FATE_CLASS: Record<string, string> = { success: "f-ok", interrupted: "f-int", deleted: "f-del", error: "f-err", refused: "f-ref", unfinished: "f-unf" };
const fateClass = (f: string) => FATE_CLASS[f] ?? "f-other";
/** A shape per fate, so it reads without colour. */
function fateMark(cls: string, x: number, y: number): string {
  switch (cls) {
    case "f-ok": return `<circle class="fate ${cls}" cx="${x}" cy="${y}" r="4"/>`;
    case "f-int": return `<path class="fate ${cls}" d="M${x - 4} ${y - 4}L${x + 4} ${y + 4}M${x + 4} ${y - 4}L${x - 4} ${y + 4}"/>`;
    case "f-del": return `<rect class="fate ${cls}" x="${x - 4}" y="${y - 4}" width="8" height="8"/>`;
    case "f-ref": return `<path class="fate ${cls}" d="M${x} ${y - 5}L${x + 5} ${y + 4}L${x - 5} ${y + 4}Z"/>`;
    default: return `<path class="fate ${cls}" d="M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z"/>`;
  }
}

/** Each strategy's bursts: a row per run, grouped by thread; pending (hatched), running (solid), and its fate. */
export function multitaskTimelines(m: MultitaskSummary): string {
  const withTimeline = m.strategies.filter((s) => s.timeline?.length);
  if (!withTimeline.length) return `<p class="note">This summary has no run timelines (written by an older agentwire).</p>`;
  const legend = `<p class="legend"><svg viewBox="0 0 660 18" class="legend-svg" aria-label="legend"><rect x="2" y="4" width="22" height="10" class="pending"/><text x="28" y="13">pending</text><rect x="90" y="4" width="22" height="10" class="running"/><text x="116" y="13">running</text>${[
    ["f-ok", "success"], ["f-int", "interrupted"], ["f-del", "deleted"], ["f-ref", "refused"], ["f-other", "other"],
  ].map(([c, t], i) => `${fateMark(c!, 190 + i * 92, 9)}<text x="${198 + i * 92}" y="13">${t}</text>`).join("")}</svg></p>`;
  return `${legend}<div class="charts">${withTimeline.map((s) => timeline(s.strategy, s.timeline!, m)).join("")}</div>`;
}

function timeline(strategy: string, threads: TimelineRun[][], m: MultitaskSummary): string {
  const runs = threads.flat();
  const end = Math.max(1, ...runs.map((r) => r.endedAtMs ?? r.answeredAtMs ?? r.sentAtMs));
  const xt = ticks(end);
  const xMax = xt.at(-1)!;
  const rowH = 14;
  const gap = 10;
  const height = M.t + threads.reduce((h, t) => h + t.length * rowH + gap, 0) + 28;
  const x = (ms: number) => M.l + (ms / xMax) * PW;
  let yCursor = M.t;
  const rows = threads
    .map((runsOfThread, t) => {
      const top = yCursor;
      const body = runsOfThread
        .map((r, i) => {
          const y = top + i * rowH;
          const mid = y + rowH / 2;
          const start = r.answeredAtMs ?? r.sentAtMs;
          const refused = r.status < 200 || r.status >= 300;
          const fate = refused ? "refused" : (r.fate ?? "unknown");
          const runningFrom = r.runningAtMs;
          const stop = r.endedAtMs ?? end;
          const pendingTo = runningFrom ?? stop;
          const title = `<title>thread ${t + 1}, run ${r.index}: sent ${r.sentAtMs} ms${r.answeredAtMs !== undefined ? `, answered ${r.answeredAtMs} ms (${r.status})` : ""}${runningFrom !== undefined ? `, running from ${runningFrom} ms` : ""}${r.endedAtMs !== undefined ? `, done by ${r.endedAtMs} ms` : ""} — ${fate}</title>`;
          const send = `<line class="send" x1="${x(r.sentAtMs).toFixed(1)}" x2="${x(start).toFixed(1)}" y1="${mid}" y2="${mid}"/>`;
          const bars = refused
            ? ""
            : `<rect class="pending" x="${x(start).toFixed(1)}" y="${y + 2}" width="${Math.max(0.5, x(pendingTo) - x(start)).toFixed(1)}" height="${rowH - 4}"/>${runningFrom !== undefined ? `<rect class="running" x="${x(runningFrom).toFixed(1)}" y="${y + 2}" width="${Math.max(0.5, x(stop) - x(runningFrom)).toFixed(1)}" height="${rowH - 4}"/>` : ""}`;
          return `<g class="run" data-fate="${esc(fate)}">${title}${send}${bars}${fateMark(fateClass(fate), Number(x(refused ? start : stop).toFixed(1)), mid)}</g>`;
        })
        .join("");
      yCursor += runsOfThread.length * rowH + gap;
      return `<text class="tick" x="${M.l - 6}" y="${top + 11}" text-anchor="end">thread ${t + 1}</text>${body}`;
    })
    .join("");
  const axisY = yCursor;
  const xs = xt.map((v) => `<line class="grid" x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${M.t}" y2="${axisY}"/><text class="tick" x="${x(v).toFixed(1)}" y="${axisY + 14}" text-anchor="middle">${fmt(v)}</text>`).join("");
  const svg = `<svg viewBox="0 0 ${W} ${height}" role="img" aria-label="${esc(strategy)} timeline">${xs}${rows}<text class="title" x="${M.l + PW / 2}" y="${axisY + 26}" text-anchor="middle">ms after the thread's burst started</text></svg>`;
  return `<figure class="chart timeline" data-strategy="${esc(strategy)}" data-runs="${runs.length}">${svg}<figcaption><strong>${esc(strategy)}</strong> — ${threads.length} threads × ${m.runsPerThread} runs sent ${m.gapMs[0]}–${m.gapMs[1]} ms apart (${runs.length} runs; ${m.threadsPerStrategy * m.strategies.length} threads busy at once over all strategies); running and done as seen by sampling each thread's run list every ~40 ms.</figcaption></figure>`;
}
