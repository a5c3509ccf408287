/**
 * compare.html: what changed between two runs, from compare.json (results/compare.ts) and, where both
 * summaries are at hand, their latency distributions overlaid. One self-contained page like index.html.
 */
import type { Compare, FindingRef, MetricComparison } from "../results/compare.ts";
import type { PercentilePoints, Summary } from "../results/summary.ts";
import { fmt, ticks } from "./html-charts.ts";
import { esc } from "./html-escape.ts";
import { STYLE } from "./html.ts";

const W = 640;
const H = 260;
const M = { l: 56, r: 20, t: 16, b: 40 };
const PW = W - M.l - M.r;
const PH = H - M.t - M.b;

export function renderCompareHtml(c: Compare, runs: { base?: Summary; head?: Summary } = {}): string {
  const openNew = c.findings.new.filter((f) => !f.waived);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>agentwire compare — ${esc(c.verdict)}</title><style>${STYLE}</style></head><body>
<h1>agentwire compare <span class="verdict ${c.verdict}">${c.verdict.toUpperCase()}</span></h1>
<p class="lead">${c.reasons.length ? `Fails: ${esc(c.reasons.join("; "))}.` : "No new open finding, no gate newly broken, no latency regression beyond its limit."}</p>
<div class="cards"><a class="card ${openNew.length ? "v-failed" : ""}" href="#new"><b>${openNew.length}</b><span>new open findings</span></a><a class="card" href="#fixed"><b>${c.findings.fixed.length}</b><span>fixed</span></a><div class="card"><b>${c.findings.unchanged.length}</b><span>unchanged</span></div><a class="card" href="#latency"><b>${c.metrics.filter((m) => m.verdict === "worse").length}</b><span>metrics worse</span></a></div>
<table class="meta"><tr><th></th><th>BASE</th><th>HEAD</th></tr>${([
    ["Source", c.base.source, c.head.source],
    ["Started", c.base.startedAt, c.head.startedAt],
    ["Verdict", c.base.verdict, c.head.verdict],
    ["Profile / seed", `${c.base.profile} / ${c.base.seed}`, `${c.head.profile} / ${c.head.seed}`],
    ["Target", target(c.base.targets), target(c.head.targets)],
  ] as const).map(([k, a, b]) => `<tr><td>${esc(k)}</td><td>${esc(a)}</td><td>${esc(b)}</td></tr>`).join("")}</table>
${findingList("new", `New findings (${c.findings.new.length}: ${openNew.length} open)`, [...openNew, ...c.findings.new.filter((f) => f.waived)], true)}
${findingList("fixed", `Fixed findings (${c.findings.fixed.length})`, c.findings.fixed, c.findings.fixed.length <= 20)}
${findingList("unchanged", `Unchanged findings (${c.findings.unchanged.length})`, c.findings.unchanged, false)}
${changes(c)}
<section id="latency"><h2>Latency: HEAD against BASE (${Math.round(c.confidence * 100)} % confidence)</h2>
<p>A percentile changed only when its whole interval lies beyond its margin (${Math.round(c.equivalence.relative * 100)} % of BASE, at least a few ms, or its limit when smaller); each level of concurrency weighs the same.</p>
${c.notes.map((n) => `<p class="note">Note: ${esc(n)}.</p>`).join("")}
<p class="legend"><span><svg width="14" height="14" viewBox="0 0 14 14"><circle cx="7" cy="7" r="5" fill="#0072B2"/></svg> BASE (solid line, circles)</span><span><svg width="14" height="14" viewBox="0 0 14 14"><rect x="2" y="2" width="10" height="10" fill="#D55E00"/></svg> HEAD (dashed line, squares)</span></p>
<div class="charts">${c.metrics.map((m) => metric(m, runs)).join("")}</div></section>
</body></html>
`;
}

const target = (t: Summary["targets"]) => (t.embedded ? `embedded ${t.reference ?? "js"} reference${t.faults.length ? ` with ${t.faults.join(", ")}` : ""}` : [t.managedDeepAgents, t.agentServer].filter(Boolean).join(" and "));

function findingList(id: string, title: string, list: FindingRef[], open: boolean): string {
  if (!list.length) return `<section id="${id}"><h2>${esc(title)}</h2><p class="muted">None.</p></section>`;
  const rows = list.map((f) => `<tr><td>${f.waived ? `<span class="badge v-waived">waived</span>` : `<span class="badge v-failed">open</span>`}</td><td><code>${esc(f.check)}</code></td><td>${esc(f.spec)}<br><code>${esc(f.operationId)}</code>${f.streamMode ? ` <span class="tag">${esc(f.streamMode)}</span>` : ""}${f.strategy ? ` <span class="tag">${esc(f.strategy)}</span>` : ""}</td><td>${esc(f.message)}</td><td><code>${esc(f.fingerprint)}</code></td></tr>`).join("");
  return `<section id="${id}"><details class="more"${open ? " open" : ""}><summary>${esc(title)}</summary><table><tr><th></th><th>Check</th><th>Operation</th><th>Message</th><th>Fingerprint</th></tr>${rows}</table></details></section>`;
}

function changes(c: Compare): string {
  const v = (x: string | null) => esc(x ?? "—");
  const ops = c.operations.map((o) => `<tr><td>${esc(o.spec)} <code>${esc(o.operationId)}</code></td><td class="v-${o.base ?? ""}">${v(o.base)}</td><td class="v-${o.head ?? ""}">${v(o.head)}</td></tr>`).join("");
  const streams = c.streams.map((s) => `<tr><td>${esc(s.spec)} <code>${esc(s.operationId)}</code> · ${esc(s.streamMode)} · <code>${esc(s.check)}</code></td><td class="v-${s.base ?? ""}">${v(s.base)}</td><td class="v-${s.head ?? ""}">${v(s.head)}</td></tr>`).join("");
  const gates = c.gates.map((g) => `<tr><td><code>${esc(g.name)}</code></td><td>${v(g.base)}</td><td>${v(g.head)}</td></tr>`).join("");
  if (!ops && !streams && !gates) return `<h2>Verdicts that changed</h2><p class="muted">None: every operation, stream rule and gate has the same verdict.</p>`;
  return `<h2>Verdicts that changed</h2><table><tr><th>What</th><th>BASE</th><th>HEAD</th></tr>${ops}${streams}${gates}</table>`;
}

function metric(m: MetricComparison, runs: { base?: Summary; head?: Summary }): string {
  const head = `<strong>${esc(m.metric)}</strong> — ${esc(m.verdict)}${m.reason ? ` (${esc(m.reason)})` : ""}; concurrency ${esc(m.concurrency.join(", ") || "—")}; samples ${m.samples.base} / ${m.samples.head}${m.rankTest ? `; rank test p = ${m.rankTest.pValue.toPrecision(2)}` : ""}`;
  const table = m.percentiles.length
    ? `<table><tr><th></th><th>BASE ms</th><th>HEAD ms</th><th>Δ ms [interval]</th><th>limit</th></tr>${m.percentiles.map((p) => `<tr><td>${p.percentile}</td><td>${fmt(p.base)}</td><td>${fmt(p.head)}</td><td class="${p.beyondLimit ? "v-failed" : ""}">${p.diff >= 0 ? "+" : ""}${fmt(p.diff)}${p.relative === null ? "" : ` (${p.relative >= 0 ? "+" : ""}${(p.relative * 100).toFixed(0)} %)`} [${fmt(p.ci[0])}, ${fmt(p.ci[1])}]</td><td>${esc(p.limit ?? "—")}</td></tr>`).join("")}</table>`
    : "";
  const a = runs.base?.load?.distributions?.[m.metric];
  const b = runs.head?.load?.distributions?.[m.metric];
  const chart = a?.length && b?.length ? overlay(m.metric, a, b, runs) : `<p class="muted">No distribution to draw: ${!runs.base || !runs.head ? "the summaries were not at hand" : "a summary has no distribution points for it"}.</p>`;
  return `<div class="compare-metric" data-metric="${esc(m.metric)}" data-verdict="${esc(m.verdict)}"><p>${head}</p>${chart}${table}</div>`;
}

/** Both runs' CDFs on one axis: BASE solid with circles, HEAD dashed with squares. */
function overlay(name: string, a: PercentilePoints, b: PercentilePoints, runs: { base?: Summary; head?: Summary }): string {
  const xt = ticks(Math.max(...a.map(([, ms]) => ms), ...b.map(([, ms]) => ms)));
  const xMax = xt.at(-1)!;
  const x = (ms: number) => M.l + (ms / xMax) * PW;
  const y = (p: number) => M.t + PH - (p / 100) * PH;
  const path = (pts: PercentilePoints) => pts.map(([p, ms], i) => (i ? `H${x(ms).toFixed(1)} V${y(p).toFixed(1)}` : `M${x(ms).toFixed(1)} ${y(p).toFixed(1)}`)).join(" ");
  const grid = [0, 25, 50, 75, 100].map((v) => `<line class="grid" x1="${M.l}" x2="${M.l + PW}" y1="${y(v)}" y2="${y(v)}"/><text class="tick" x="${M.l - 6}" y="${y(v) + 4}" text-anchor="end">${v}%</text>`).join("");
  const xs = xt.map((v) => `<text class="tick" x="${x(v).toFixed(1)}" y="${M.t + PH + 16}" text-anchor="middle">${fmt(v)}</text>`).join("");
  const dotsA = a.map(([p, ms]) => `<circle class="pt s1" data-run="base" cx="${x(ms).toFixed(1)}" cy="${y(p).toFixed(1)}" r="2.5"><title>BASE p${p}: ${fmt(ms)} ms</title></circle>`).join("");
  const dotsB = b.map(([p, ms]) => `<rect class="pt s2" data-run="head" x="${(x(ms) - 2.5).toFixed(1)}" y="${(y(p) - 2.5).toFixed(1)}" width="5" height="5"><title>HEAD p${p}: ${fmt(ms)} ms</title></rect>`).join("");
  const at = (s?: Summary) => (s?.load?.measuredAtConcurrency !== undefined ? `concurrency ${s.load.measuredAtConcurrency}, ${s.load.metrics[name]?.count ?? 0} samples` : "concurrency not recorded");
  return `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(name)} BASE and HEAD">${grid}${xs}<line class="axis" x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${M.t + PH}"/><line class="axis" x1="${M.l}" x2="${M.l + PW}" y1="${M.t + PH}" y2="${M.t + PH}"/><text class="title" x="${M.l + PW / 2}" y="${H - 6}" text-anchor="middle">latency (ms)</text><path class="line s1" d="${path(a)}"/><path class="line s2 dash" d="${path(b)}"/>${dotsA}${dotsB}</svg><figcaption>BASE at ${esc(at(runs.base))}; HEAD at ${esc(at(runs.head))} (each run's reported step).</figcaption></figure>`;
}
