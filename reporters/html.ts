/**
 * index.html: one self-contained page rendered from the summary (no network request, no external font or
 * script; one small inline script for the filters). Summary first, then the conformance matrix, the
 * findings, the load charts, and what was not judged.
 */
import { conformanceMatrix, findingCells, streamMatrix, strategyCellKey, type Cell, type CellVerdict } from "../results/matrix.ts";
import { blocksVerdict, type Gate, type JsonLoadSummary, type LoadReport, type MultitaskSummary, type Summary } from "../results/summary.ts";
import { latencyCdfs, multitaskTimelines, sweepChart } from "./html-charts.ts";
import { esc } from "./html-escape.ts";
import { displayOrder, findingsSection, type CellIds } from "./html-findings.ts";
import { SCRIPT } from "./html-script.ts";

export { esc };

export const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:88rem;padding:1rem 1.25rem 3rem;color:#1b1f24;overflow-wrap:anywhere}
h1{margin:.5rem 0 .25rem;font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}h3{margin:1.25rem 0 .5rem}
a{color:#0b5cad}.muted,.note{color:#57606a}
.verdict{display:inline-block;padding:.2rem .7rem;border-radius:1rem;font-weight:600;color:#fff;vertical-align:middle}
.pass{background:#1a7f37}.fail{background:#b3261e}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-all;background:#f6f8fa;padding:.5rem;border-radius:4px;margin:.25rem 0;max-height:18rem;overflow:auto}
.v-passed{color:#1a7f37}.v-failed,.v-not-judged{color:#b3261e;font-weight:600}.v-waived{color:#8a5a00}.v-skipped,.v-not-implemented,.v-not-applicable{color:#57606a}
.meta td:first-child{color:#57606a;width:12rem}
nav.toc{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.5rem 0 1rem;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem;margin:.75rem 0}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem;text-decoration:none;color:inherit}a.card:hover{border-color:#0b5cad}.card b{display:block;font-size:1.35rem}.card span{color:#57606a;font-size:12px}
.gate-met{color:#1a7f37;font-weight:600}.gate-broken{color:#b3261e;font-weight:600}.gate-not-judged{color:#7a3f8f;font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:.25rem .9rem;font-size:12px;margin:.25rem 0 .5rem}.legend .c{display:inline-flex;width:1.5rem;height:1.25rem}
table.matrix{width:auto;max-width:100%}table.matrix td,table.matrix th{padding:2px 3px;border-bottom:1px solid #f0f2f4}
table.matrix th.rot{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500;font-size:12px;vertical-align:bottom;padding:4px 2px}
table.matrix td.op{font-size:12px;max-width:26rem}table.matrix td.op code{font-size:11.5px}
.c{display:flex;align-items:center;justify-content:center;min-width:1.9rem;height:1.5rem;border-radius:3px;font-weight:700;font-size:13px;text-decoration:none;border:1px solid transparent}
a.c:hover,a.c:focus{outline:2px solid #0b5cad;outline-offset:1px}
.c .n{font-size:10px;font-weight:600;margin-left:1px}
.c.passed{background:#d3efe4;color:#00614a;border-color:#009E73}
.c.failed{background:#D55E00;color:#fff}
.c.waived{background:#f6dfa6;color:#6b4500;border-color:#E69F00}
.c.not-implemented{background:#d4e8f7;color:#004b7a;border-color:#56B4E9}
.c.not-judged{background:#CC79A7;color:#fff}
.c.not-applicable{background:#eceff1;color:#57606a}
.c.none{color:#b0b7bf}
.mgrid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr));gap:0 2rem;align-items:start}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #d0d7de;z-index:2}
.toolbar input[type=search]{width:min(22rem,60vw)}
details.fgroup{border:1px solid #d0d7de;border-radius:6px;margin:.5rem 0;padding:.25rem .75rem}
details.fgroup>summary{cursor:pointer;padding:.25rem 0}details.fgroup.check{border-left:4px solid #D55E00}details.fgroup.waiver{border-left:4px solid #E69F00}
.reason{color:#57606a;font-size:13px;margin:.15rem 0 0 1rem}
.fentry{border-top:1px solid #eaeef2;padding:.35rem 0}.fentry .msg{margin:.2rem 0}.ops{font-size:12px;color:#57606a;margin:.2rem 0}
.badge{white-space:nowrap;font-size:11px;border-radius:3px;padding:0 .35rem;border:1px solid currentColor;font-weight:600}
details.occ{margin:.2rem 0 .2rem 1rem}details.occ>summary{cursor:pointer;font-size:13px}
.tag{font-size:11px;background:#eef1f4;border-radius:3px;padding:0 .3rem}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem .75rem;margin:.3rem 0;font-size:13px}dl.facts dt{color:#57606a}dl.facts dd{margin:0;min-width:0}
.repro{position:relative}.repro pre{padding-right:4.5rem}.sweep{max-width:48rem}.repro .copy{position:absolute;right:.35rem;top:.35rem;font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,28rem),1fr));gap:1rem}
figure.chart{margin:.5rem 0;min-width:0}figure.chart svg{width:100%;height:auto;display:block;background:#fff;border:1px solid #eaeef2;border-radius:4px}
figcaption{font-size:12.5px;color:#3d444d;margin-top:.25rem}
svg text{font:11px system-ui,sans-serif;fill:#3d444d}svg .title{font-size:11.5px;fill:#1b1f24}svg .lbl{font-size:10.5px;fill:#1b1f24;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg .grid{stroke:#eaeef2}svg .axis{stroke:#8c959f}svg .line{fill:none;stroke-width:2}svg .dash{stroke-dasharray:6 4}
svg .s1{stroke:#0072B2;fill:#0072B2}svg .line.s1{fill:none}svg .s2{stroke:#D55E00;fill:#D55E00}svg .line.s2{fill:none}svg .pt.broke{fill:#fff;stroke-width:2}
svg .ref{stroke-width:1.25}svg .d0{stroke:#009E73;stroke-dasharray:2 3}svg .d1{stroke:#E69F00;stroke-dasharray:6 3}svg .d2{stroke:#CC79A7}
svg .slo{stroke:#b3261e;stroke-width:1.5;stroke-dasharray:8 4}svg .best{stroke:#009E73;stroke-width:1.5}
svg .pending{fill:#cfe6f5;stroke:#56B4E9}svg .running{fill:#0072B2}svg .send{stroke:#8c959f;stroke-dasharray:2 2}
svg .fate{stroke:#1b1f24;stroke-width:1}svg .f-ok{fill:#009E73}svg .f-int{stroke:#D55E00;stroke-width:2.5;fill:none}svg .f-del{fill:#CC79A7}svg .f-ref{fill:#E69F00}svg .f-other,svg .f-unf,svg .f-err{fill:#F0E442}
svg.legend-svg{width:min(100%,660px);height:auto}
details.more>summary{cursor:pointer;font-weight:600;margin:1rem 0 .25rem}
[hidden]{display:none !important}
@media print{.toolbar{position:static}}
`;

const SYMBOL: Record<CellVerdict, string> = { passed: "✓", failed: "✗", waived: "W", "not-implemented": "∅", "not-judged": "?", "not-applicable": "–", none: "·" };
const LABEL: Record<CellVerdict, string> = { passed: "passed", failed: "failed", waived: "waived", "not-implemented": "not implemented", "not-judged": "not judged", "not-applicable": "not applicable", none: "not run here" };

export function renderHtml(s: Summary): string {
  // Short ids for the findings and for the matrix cells that have findings: links and the filters use them.
  const findingIds = new Map(s.findings.map((f, i) => [f, `fi${i + 1}`]));
  const cellIds: CellIds = new Map();
  const firstOf = new Map<string, string>();
  for (const f of displayOrder(s.findings)) {
    for (const k of findingCells(f)) {
      if (!cellIds.has(k)) cellIds.set(k, `c${cellIds.size + 1}`);
      if (!firstOf.has(k)) firstOf.set(k, findingIds.get(f)!);
    }
  }
  const cell = (c: Cell, label: string) => {
    const count = c.open + c.waived;
    const title = `${label}: ${LABEL[c.verdict]}${c.open ? `, ${c.open} open` : ""}${c.waived ? `, ${c.waived} waived` : ""}${c.reason ? ` — ${c.reason}` : ""}`;
    const inner = `${SYMBOL[c.verdict]}${count ? `<span class="n">${count}</span>` : ""}`;
    const id = cellIds.get(c.key);
    return id
      ? `<td><a class="c ${c.verdict}" href="#${firstOf.get(c.key)}" data-cell="${id}" data-verdict="${c.verdict}" title="${esc(title)}">${inner}</a></td>`
      : `<td><span class="c ${c.verdict}" data-verdict="${c.verdict}" title="${esc(title)}">${inner}</span></td>`;
  };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>agentwire — ${esc(s.verdict)}</title><style>${STYLE}</style></head><body>
<h1>agentwire report <span class="verdict ${s.verdict}">${s.verdict.toUpperCase()}</span></h1>
<nav class="toc"><a href="#summary">Summary</a><a href="#matrix">Conformance matrix</a>${s.streams.length ? `<a href="#streams">Streams</a>` : ""}<a href="#findings">Findings</a>${s.load ? `<a href="#load">Load</a>` : ""}<a href="#not-judged">Not judged</a>${s.lint.length ? `<a href="#lint">The documents</a>` : ""}</nav>
${summarySection(s, (f) => findingIds.get(f)!)}
${matrixSection(s, cell)}
${streamsSection(s, cell)}
${findingsSection(s, { cells: cellIds, cellsOf: findingCells, idOf: (f) => findingIds.get(f)! })}
${waivers(s)}
${load(s, cell)}
${notJudged(s)}
${leftovers(s)}
${lintSection(s)}
<script>${SCRIPT}</script>
</body></html>
`;
}

function summarySection(s: Summary, idOf: (f: Summary["findings"][number]) => string): string {
  const open = s.findings.filter((f) => !f.waived).length;
  const blocking = s.notJudged.filter(blocksVerdict).length;
  const na = s.notJudged.length - blocking;
  const target = s.targets.embedded
    ? `embedded ${s.targets.reference === "python" ? "Python" : "JS"} reference${s.targets.faults.length ? ` with faults: ${s.targets.faults.join(", ")}` : ""}`
    : [s.targets.managedDeepAgents, s.targets.agentServer].filter(Boolean).join(" and ") || "remote";
  const opCounts = countBy(s.operations.map((o) => o.verdict));
  const streamCounts = countBy(s.streams.map((r) => (r.verdict === "skipped" ? "not judged" : r.verdict)));
  const card = (value: string | number, label: string, cls = "", href?: string) => {
    const inner = `<b>${esc(value)}</b><span>${esc(label)}</span>`;
    return href ? `<a class="card ${cls}" href="${href}">${inner}</a>` : `<div class="card ${cls}">${inner}</div>`;
  };
  const cards = [
    card(open, "open findings", open ? "v-failed" : "", "#findings"),
    card(s.findings.length - open, "waived findings", "", "#findings"),
    card(`${opCounts.passed ?? 0}/${s.operations.length}`, "operations passed", "", "#matrix"),
    card(blocking, "units not judged", blocking ? "v-failed" : "", "#not-judged"),
    card(na, "not applicable"),
    card(s.streams.length ? `${streamCounts.passed ?? 0}/${s.streams.length}` : "—", "stream rules passed"),
    card(`${(s.durationMs / 1000).toFixed(1)} s`, s.interrupted ? "duration (interrupted)" : "duration"),
  ].join("");
  const why: string[] = [];
  if (s.interrupted) why.push("the run was interrupted");
  if (s.unusable) why.push(`the target was unusable: ${s.unusable}`);
  if (open) why.push(`${open} open finding${open === 1 ? "" : "s"}`);
  const broken = s.gates.filter((g) => !g.passed);
  if (broken.length) why.push(`broken gate${broken.length === 1 ? "" : "s"}: ${broken.map((g) => g.name).join(", ")}`);
  if (blocking) why.push(`${blocking} unit${blocking === 1 ? "" : "s"} not judged`);
  const meta: [string, string][] = [
    ["Target", target],
    ["Managed Deep Agents API", s.targets.managedDeepAgents ?? "—"],
    ["Agent Server API", s.targets.agentServer ?? "—"],
    ["Started", s.startedAt],
    ["Profile / seed", `${s.profile} / ${s.seed} (the same inputs again: --seed ${s.seed})`],
    ...(s.unusable ? ([["Target unusable", s.unusable]] as [string, string][]) : []),
    ["Phases", s.phases.map((p) => `${p.name}${p.ran ? ` ${(p.durationMs / 1000).toFixed(1)} s` : " (not run)"}${p.note ? ` — ${p.note}` : ""}`).join("; ")],
    ["Operations", Object.entries(opCounts).map(([k, n]) => `${n} ${k}`).join(", ") || "—"],
    ...(s.time?.phases.length ? ([["Time in units", `${s.time.phases.map((p) => `${p.name}: ${p.units} units, ${(p.ms / 1000).toFixed(1)} s summed`).join("; ")}; ${Math.round(s.time.targetShare * 100)} % of it waiting on the target${s.time.slowest[0] ? `; slowest: ${s.time.slowest[0].unit} ${(s.time.slowest[0].ms / 1000).toFixed(1)} s` : ""}`]] as [string, string][]) : []),
    ["Machine", `${s.machine.cpus} CPUs, ${s.machine.memoryGiB} GiB, Node ${s.machine.node}, ${s.machine.platform}`],
  ];
  return `<section id="summary"><p class="lead">${s.verdict === "pass" ? "The target conforms: no open finding, every gate met, every applicable unit judged." : `The run fails: ${esc(why.join("; ") || "nothing was judged")}.`} ${esc(target)}, ${(s.durationMs / 1000).toFixed(1)} s.</p>
${openList(s, idOf)}<div class="cards">${cards}</div>
${gates(s)}
<table class="meta">${meta.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join("")}</table>${timeTable(s)}</section>`;
}

/** The slowest units, each with the part of its time spent waiting on the target (the rest is the suite's). */
function timeTable(s: Summary): string {
  const slowest = s.time?.slowest ?? [];
  if (!slowest.length) return "";
  const pct = (part: number, whole: number) => `${whole > 0 ? Math.round((part / whole) * 100) : 0} %`;
  const rows = slowest.map((u) => `<tr><td>${esc(u.unit)}</td><td>${esc(u.phase)}</td><td>${(u.ms / 1000).toFixed(1)} s</td><td>${pct(u.targetMs, u.ms)}</td></tr>`).join("");
  return `<details class="more"><summary>Where the time went: the ${slowest.length} slowest units (every unit's time is in summary.json <code>time.units</code>)</summary><table><tr><th>Unit</th><th>Phase</th><th>Time</th><th>Waiting on the target</th></tr>${rows}</table></details>`;
}

/** The open findings' checks, each linking to its first finding: one click from the top of the page. */
function openList(s: Summary, idOf: (f: Summary["findings"][number]) => string): string {
  const open = s.findings.filter((f) => !f.waived);
  if (!open.length) return "";
  const byCheck = new Map<string, typeof open>();
  for (const f of open) byCheck.set(f.check, [...(byCheck.get(f.check) ?? []), f]);
  const checks = [...byCheck].sort((a, b) => b[1].length - a[1].length);
  const shown = checks.slice(0, 12).map(([check, fs]) => `<a href="#${idOf(fs[0]!)}"><code>${esc(check)}</code></a> ${fs.length} (${esc([...new Set(fs.map((f) => f.operationId))].slice(0, 3).join(", "))}${new Set(fs.map((f) => f.operationId)).size > 3 ? ", …" : ""})`);
  return `<p class="open-list">Open findings: ${shown.join(" · ")}${checks.length > 12 ? ` · and ${checks.length - 12} more checks` : ""}</p>`;
}

/** Every gate the run has; when the load phase did not run, its gates are named as not judged (or not selected). */
function gates(s: Summary): string {
  const load = s.phases.find((p) => p.name === "load");
  const missing = load && !load.ran ? ["load_ttft_slo", "load_json_slo"].filter((g) => !s.gates.some((x) => x.name === g || x.name.startsWith(`${g} (`))) : [];
  const unselected = /not selected/.test(load?.note ?? "");
  const result = (g: Gate) => (g.notJudged ? ["not-judged", "? not judged"] : g.passed ? ["met", "✓ met"] : ["broken", "✗ broken"]);
  const row = (g: Gate) => `<tr><td><code>${esc(g.name)}</code></td><td class="gate-${result(g)[0]}">${result(g)[1]}</td><td>${esc(g.notJudged ?? g.figure ?? g.detail)}</td><td>${esc(g.limit ?? "—")}</td></tr>`;
  const notJudgedRow = (name: string) => `<tr><td><code>${esc(name)}</code></td><td class="${unselected ? "v-not-applicable" : "gate-not-judged"}">${unselected ? "– not applicable" : "? not judged"}</td><td colspan="2">load phase: ${esc(load?.note ?? "did not run")}</td></tr>`;
  if (!s.gates.length && !missing.length) return "";
  return `<h2 id="gates">Gates</h2><table><tr><th>Gate</th><th>Result</th><th>Figure</th><th>Threshold</th></tr>${s.gates.map(row).join("")}${missing.map(notJudgedRow).join("")}</table>`;
}

/** Expired waivers (their findings are open) and the user's stale ones (shown, not failing). */
function waivers(s: Summary): string {
  const { expired = [], stale = [] } = s.waivers ?? {};
  const who = (w: { owner?: string; ticket?: string }) => [w.owner, w.ticket].filter(Boolean).join(", ") || "—";
  return [
    expired.length ? `<h2 id="expired-waivers" class="v-failed">Expired waivers (${expired.length})</h2><p>They no longer waive: their findings are open.</p><table><tr><th>Waiver</th><th>Expired on</th><th>Owner, ticket</th><th>Findings now open</th></tr>${expired.map((w) => `<tr><td><code>${esc(w.id)}</code></td><td>${esc(w.expires)}</td><td>${esc(who(w))}</td><td>${w.findings}</td></tr>`).join("")}</table>` : "",
    stale.length ? `<h2 id="stale-waivers">Stale waivers (${stale.length})</h2><p>They matched nothing this run (shown, not failing).</p><table><tr><th>Waiver</th><th>Owner, ticket</th></tr>${stale.map((w) => `<tr><td><code>${esc(w.id)}</code></td><td>${esc(who(w))}</td></tr>`).join("")}</table>` : "",
  ].join("");
}

function legend(): string {
  return `<p class="legend">${(Object.keys(SYMBOL) as CellVerdict[]).map((v) => `<span><span class="c ${v}">${SYMBOL[v]}</span> ${LABEL[v]}</span>`).join("")}<span>· a number is the findings behind the cell; a linked cell shows them</span></p>`;
}

type CellRender = (c: Cell, label: string) => string;

function matrixSection(s: Summary, cell: CellRender): string {
  const m = conformanceMatrix(s);
  const specs = [...new Set(m.rows.map((r) => r.op.spec))];
  const tables = specs.map((spec) => {
    const rows = m.rows.filter((r) => r.op.spec === spec);
    const counts = countBy(rows.map((r) => r.op.verdict));
    return `<div><h3>${esc(spec)} (${rows.length} operations: ${esc(Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", "))})</h3><table class="matrix ops" data-spec="${esc(spec)}"><thead><tr><th>Operation</th>${m.columns.map((c) => `<th class="rot">${esc(c)}</th>`).join("")}</tr></thead><tbody>${rows
      .map((r) => `<tr data-op="${esc(r.op.operationId)}"><td class="op"><code>${esc(r.op.operationId)}</code><br><span class="muted">${esc(r.op.method)} ${esc(r.op.path)}</span></td>${r.cells.map((c, i) => cell(c, `${r.op.operationId} · ${m.columns[i]}`)).join("")}</tr>`)
      .join("")}</tbody></table></div>`;
  });
  const flows = m.flows.length
    ? `<h3>Flows</h3><table class="matrix flows"><tr><th>Flow</th><th>Verdict</th><th>Operations it used</th></tr>${m.flows.map((f) => `<tr><td>${esc(f.spec)} › ${esc(f.title)}</td>${cell(f.cell, `flow ${f.title}`)}<td class="muted">${esc(f.operations.join(", ") || "—")}</td></tr>`).join("")}</table>`
    : "";
  const noUnits = s.units === undefined && s.operations.length ? `<p class="note">This summary does not list the units it judged (written by an older agentwire): cells without findings show “not run here” rather than a pass.</p>` : "";
  return `<section id="matrix"><h2>Conformance matrix</h2>${legend()}${noUnits}<div class="mgrid">${tables.join("")}</div>${flows}</section>`;
}

function streamsSection(s: Summary, cell: CellRender): string {
  const m = streamMatrix(s);
  if (!m.rows.length) return "";
  return `<section id="streams"><h2>Streams: modes × rules (${s.streams.length} verdicts)</h2><table class="matrix streams"><thead><tr><th>API · stream mode</th>${m.checks.map((c) => `<th class="rot">${esc(c)}</th>`).join("")}</tr></thead><tbody>${m.rows
    .map((r) => `<tr><td class="op" title="${esc(r.operations.join(", "))}">${esc(r.spec)} · <code>${esc(r.streamMode)}</code> <span class="muted">(${r.operations.length} op${r.operations.length === 1 ? "" : "s"})</span></td>${r.cells.map((c, i) => cell(c, `${r.streamMode} · ${m.checks[i]}`)).join("")}</tr>`)
    .join("")}</tbody></table></section>`;
}

function load(s: Summary, cell: CellRender): string {
  const l = s.load;
  if (!l) return "";
  const at = l.measuredAtConcurrency;
  const rows = Object.entries(l.metrics);
  const table = `<table><caption class="muted">Measured at concurrency ${esc(at ?? "not recorded")}${at !== undefined && at === l.maxConcurrencyWithinSlo ? " (the highest within the SLO)" : ""}; the TTFT gate is judged at concurrency 1.</caption><tr><th>Metric (ms)</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>samples</th></tr>${rows
    .map(([k, p]) => `<tr><td>${esc(k)}</td>${[p.p50, p.p90, p.p95, p.p99, p.p999].map((v) => `<td>${v.toFixed(1)}</td>`).join("")}<td>${p.count}</td></tr>`)
    .join("")}</table>`;
  return `<section id="load"><h2>Load</h2><p>${esc(String(l.api ?? ""))} API; highest concurrency within SLO: <strong>${esc(l.maxConcurrencyWithinSlo ?? "—")}</strong>.</p>
${sweepChart(l)}
<h3>Latency distributions</h3>${latencyCdfs(l)}${table}${throughput(l)}${multitask(l.multitask, cell, s.findings)}${jsonEndpoints(l.json)}${definitions(l)}</section>`;
}

function throughput(l: LoadReport): string {
  const t = l.throughput as { runs_per_s?: number; output_tokens_per_s?: number; goodput_per_s?: number } | undefined;
  const errors = l.errors as Record<string, number> | undefined;
  if (!t && !errors) return "";
  const fig = (v: number | undefined) => (typeof v === "number" ? v.toFixed(1) : "—");
  const errs = errors && Object.keys(errors).length ? Object.entries(errors).map(([k, n]) => `${n} ${k}`).join(", ") : "none";
  return `<p>At concurrency ${esc(l.measuredAtConcurrency ?? "—")}: ${fig(t?.runs_per_s)} runs/s, ${fig(t?.output_tokens_per_s)} output tokens/s, goodput ${fig(t?.goodput_per_s)} runs/s within the per-run SLO; failed runs: ${esc(errs)}.</p>`;
}

function definitions(l: LoadReport): string {
  const defs = l.definitions as { key: string; unit: string; definition: string }[] | undefined;
  if (!Array.isArray(defs) || !defs.length) return "";
  return `<details class="more"><summary>Metric definitions</summary><table><tr><th>Metric</th><th>Unit</th><th>Definition</th></tr>${defs.map((d) => `<tr><td><code>${esc(d.key)}</code></td><td>${esc(d.unit)}</td><td>${esc(d.definition)}</td></tr>`).join("")}</table></details>`;
}

function jsonEndpoints(j: JsonLoadSummary | undefined): string {
  if (!j) return "";
  return `<h3>JSON endpoints under concurrent reads</h3><p>${j.connections} connections, up to ${j.durationS} s per endpoint.</p>
<table><tr><th>Endpoint</th><th>Requests</th><th>per s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>Failed</th></tr>${j.endpoints
    .map((e) => `<tr><td>${esc(e.endpoint)} <code>${esc(e.method)} ${esc(e.path)}</code></td><td>${e.requests}</td><td>${e.requests_per_s.toFixed(0)}</td>${[e.latency_ms.p50, e.latency_ms.p95, e.latency_ms.p99].map((v) => `<td>${v.toFixed(1)}</td>`).join("")}<td>${e.status.non2xx + e.errors}</td></tr>`)
    .join("")}</table>`;
}

function multitask(m: MultitaskSummary | undefined, cell: CellRender, findings: Summary["findings"]): string {
  if (!m) return "";
  const names = m.strategies[0]?.checks.map((c) => c.check) ?? [];
  const verdictCell = (strategy: string, c: { check: string; verdict: "passed" | "failed" | "waived" }) => {
    const key = strategyCellKey(strategy, c.check);
    const mine = findings.filter((f) => findingCells(f).includes(key));
    return cell({ key, verdict: c.verdict, open: mine.filter((f) => !f.waived).length, waived: mine.filter((f) => f.waived).length }, `${strategy} · ${c.check}`);
  };
  return `<h3>Concurrent runs on one thread</h3><p>${m.threadsPerStrategy} threads per strategy, ${m.runsPerThread} runs each sent ${m.gapMs[0]}–${m.gapMs[1]} ms apart (seed ${m.seed}), all strategies at once; ${(m.wallMs / 1000).toFixed(1)} s.</p>
<table class="matrix multitask"><thead><tr><th>Strategy</th><th>Created / sent</th><th>Outcomes</th><th>Most running at once</th>${names.map((n) => `<th class="rot"><code>${esc(n.replace("multitask_load_", ""))}</code></th>`).join("")}</tr></thead><tbody>${m.strategies
    .map((st) => `<tr><td>${esc(st.strategy)}</td><td>${st.created} / ${st.runsSent}</td><td>${esc(Object.entries(st.fates).map(([k, n]) => `${n} ${k}`).join(", "))}</td><td>${st.maxRunningOnOneThread}</td>${st.checks.map((c) => verdictCell(st.strategy, c)).join("")}</tr>`)
    .join("")}</tbody></table>${multitaskTimelines(m)}`;
}

function notJudged(s: Summary): string {
  const blocking = s.notJudged.filter(blocksVerdict);
  const na = s.notJudged.filter((n) => !blocksVerdict(n));
  const table = (rows: Summary["notJudged"]) => `<table><tr><th>Unit</th><th>Why</th></tr>${rows.map((n) => `<tr><td>${esc(n.unit)}</td><td>${esc(n.reason)}</td></tr>`).join("")}</table>`;
  return `<section id="not-judged">${[
    blocking.length ? `<h2 class="v-failed">Not judged (${blocking.length})</h2><p>These units could not be judged, so the run cannot pass.</p>${table(blocking)}` : `<h2>Not judged (0)</h2><p>Every applicable unit was judged.</p>`,
    na.length ? `<details class="more"><summary>Not applicable (${na.length})</summary>${table(na)}</details>` : "",
  ].join("")}</section>`;
}

function leftovers(s: Summary): string {
  if (!s.leftovers.length) return "";
  return `<h2>Left on the target (${s.leftovers.length})</h2><table><tr><th>API</th><th>Resource</th><th>Why it is still there</th></tr>${s.leftovers
    .map((l) => `<tr><td>${esc(l.spec)}</td><td><code>${esc(l.method)} ${esc(l.path)}</code></td><td>${esc(l.reason)}</td></tr>`)
    .join("")}</table>`;
}

function lintSection(s: Summary): string {
  if (s.lint.length === 0) return "";
  return `<section id="lint"><details class="more"><summary>The documents (${s.lint.length} lint notes)</summary><table><tr><th>Spec</th><th>Operation</th><th>Rule</th><th>Note</th></tr>${s.lint
    .map((l) => `<tr><td>${esc(l.spec)}</td><td><code>${esc(l.operationId ?? "—")}</code></td><td><code>${esc(l.rule)}</code></td><td>${esc(l.message)}</td></tr>`)
    .join("")}</table></details></section>`;
}

const countBy = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
