/** index.html: one self-contained page (no scripts, no network) rendered from the summary. */
import { formatReplay, type Finding } from "../results/finding.ts";
import { blocksVerdict, type JsonLoadSummary, type MultitaskSummary, type OperationResult, type Summary } from "../results/summary.ts";

export const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{margin:0 0 .25rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
.verdict{display:inline-block;padding:.2rem .7rem;border-radius:1rem;font-weight:600;color:#fff}
.pass{background:#1a7f37}.fail{background:#cf222e}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}code,pre{font:12px ui-monospace,monospace}pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:.5rem;border-radius:4px;margin:.25rem 0}
.v-passed{color:#1a7f37}.v-failed,.v-not-judged{color:#cf222e;font-weight:600}.v-waived{color:#9a6700}.v-skipped,.v-not-implemented{color:#57606a}
.meta td:first-child{color:#57606a;width:12rem}.waived{opacity:.8}
`;

export function renderHtml(s: Summary): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>agentwire — ${esc(s.verdict)}</title><style>${STYLE}</style></head><body>
<h1>agentwire report <span class="verdict ${s.verdict}">${s.verdict.toUpperCase()}</span></h1>
${meta(s)}
${gates(s)}
${findings(s.findings)}
${waivers(s)}
${notJudged(s)}
${leftovers(s)}
${operations(s.operations)}
${lintSection(s)}
${streams(s)}
${load(s)}
</body></html>
`;
}

function meta(s: Summary): string {
  const rows: [string, string][] = [
    ["Started", s.startedAt],
    ["Duration", `${(s.durationMs / 1000).toFixed(1)} s${s.interrupted ? " (interrupted)" : ""}`],
    ["Target", s.targets.embedded ? `embedded reference${s.targets.faults.length ? ` with faults: ${s.targets.faults.join(", ")}` : ""}` : "remote"],
    ["Managed Deep Agents API", s.targets.managedDeepAgents ?? "—"],
    ["Agent Server API", s.targets.agentServer ?? "—"],
    ["Profile / seed", `${s.profile} / ${s.seed} (replay with --seed ${s.seed})`],
    ...(s.unusable ? ([["Target unusable", s.unusable]] as [string, string][]) : []),
    ["Phases", s.phases.map((p) => `${p.name}${p.ran ? ` ${(p.durationMs / 1000).toFixed(1)} s` : " (not run)"}${p.note ? ` — ${p.note}` : ""}`).join("; ")],
    ["Machine", `${s.machine.cpus} CPUs, ${s.machine.memoryGiB} GiB, Node ${s.machine.node}, ${s.machine.platform}`],
  ];
  return `<table class="meta">${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join("")}</table>`;
}

function gates(s: Summary): string {
  if (s.gates.length === 0) return "";
  return `<h2>Gates</h2><table><tr><th>Gate</th><th>Result</th><th>Detail</th></tr>${s.gates
    .map((g) => `<tr><td>${esc(g.name)}</td><td class="v-${g.notJudged ? "not-judged" : g.passed ? "passed" : "failed"}">${g.notJudged ? "not judged" : g.passed ? "met" : "broken"}</td><td>${esc(g.detail)}</td></tr>`)
    .join("")}</table>`;
}

function waivers(s: Summary): string {
  const { expired = [], stale = [] } = s.waivers ?? {};
  const who = (w: { owner?: string; ticket?: string }) => [w.owner, w.ticket].filter(Boolean).join(", ") || "—";
  return [
    expired.length ? `<h2 class="v-failed">Expired waivers (${expired.length})</h2><p>They no longer waive: their findings are open.</p><table><tr><th>Waiver</th><th>Expired on</th><th>Owner, ticket</th><th>Findings now open</th></tr>${expired.map((w) => `<tr><td><code>${esc(w.id)}</code></td><td>${esc(w.expires)}</td><td>${esc(who(w))}</td><td>${w.findings}</td></tr>`).join("")}</table>` : "",
    stale.length ? `<h2>Stale waivers (${stale.length})</h2><p>They matched nothing this run (shown, not failing).</p><table><tr><th>Waiver</th><th>Owner, ticket</th></tr>${stale.map((w) => `<tr><td><code>${esc(w.id)}</code></td><td>${esc(who(w))}</td></tr>`).join("")}</table>` : "",
  ].join("");
}

function findings(list: Finding[]): string {
  const open = list.filter((f) => !f.waived);
  const waived = list.filter((f) => f.waived);
  const item = (f: Finding) => `<tr class="${f.waived ? "waived" : ""}"><td><code>${esc(f.check)}</code></td><td>${esc(f.spec)}<br><code>${esc(f.operationId)}</code></td>
<td>${f.streamMode ? `<code>[${esc(f.streamMode)}]</code> ` : ""}${f.strategy ? `<code>[${esc(f.strategy)}]</code> ` : ""}${esc(f.message)}${f.expiredWaiver ? `<br><em>Waiver ${esc(f.expiredWaiver.waiver)} expired on ${esc(f.expiredWaiver.expires)}</em>` : ""}${f.waived ? `<br><em>Waived (${esc(f.waived.waiver)}): ${esc(f.waived.reason)}</em>` : ""}<pre>${esc(f.reproducer)}</pre>${f.replay ? `replay <code>${esc(formatReplay(f.replay))}</code> · ` : ""}fingerprint <code>${esc(f.fingerprint)}</code></td></tr>`;
  const table = (rows: Finding[]) => `<table><tr><th>Check</th><th>Operation</th><th>Finding and reproducer</th></tr>${rows.map(item).join("")}</table>`;
  return `<h2>Findings (${open.length} open, ${waived.length} waived)</h2>${open.length ? table(open) : "<p>No open findings.</p>"}${waived.length ? `<h3>Waived</h3>${table(waived)}` : ""}`;
}

function notJudged(s: Summary): string {
  const blocking = s.notJudged.filter(blocksVerdict);
  const na = s.notJudged.filter((n) => !blocksVerdict(n));
  const table = (rows: Summary["notJudged"]) =>
    `<table><tr><th>Unit</th><th>Why</th></tr>${rows.map((n) => `<tr><td>${esc(n.unit)}</td><td>${esc(n.reason)}</td></tr>`).join("")}</table>`;
  return [
    blocking.length ? `<h2 class="v-failed">Not judged (${blocking.length})</h2><p>These units could not be judged, so the run cannot pass.</p>${table(blocking)}` : "",
    na.length ? `<h2>Not applicable (${na.length})</h2>${table(na)}` : "",
  ].join("");
}

function leftovers(s: Summary): string {
  if (!s.leftovers.length) return "";
  return `<h2>Left on the target (${s.leftovers.length})</h2><table><tr><th>API</th><th>Resource</th><th>Why it is still there</th></tr>${s.leftovers
    .map((l) => `<tr><td>${esc(l.spec)}</td><td><code>${esc(l.method)} ${esc(l.path)}</code></td><td>${esc(l.reason)}</td></tr>`)
    .join("")}</table>`;
}

function operations(ops: OperationResult[]): string {
  if (ops.length === 0) return "";
  const bySpec = new Map<string, OperationResult[]>();
  for (const o of ops) bySpec.set(o.spec, [...(bySpec.get(o.spec) ?? []), o]);
  return [...bySpec]
    .map(([spec, rows]) => {
      const counts = countBy(rows.map((r) => r.verdict));
      return `<h2>Operations — ${esc(spec)} (${rows.length})</h2><p>${Object.entries(counts).map(([k, n]) => `<span class="v-${k}">${n} ${esc(k)}</span>`).join(" · ")}</p>
<table><tr><th>Operation</th><th>Method</th><th>Path</th><th>Verdict</th><th>Requests</th></tr>${rows
        .map((r) => `<tr><td><code>${esc(r.operationId)}</code></td><td>${esc(r.method)}</td><td><code>${esc(r.path)}</code></td><td class="v-${r.verdict}">${esc(r.verdict)}</td><td>${r.requests}</td></tr>`)
        .join("")}</table>`;
    })
    .join("");
}

function lintSection(s: Summary): string {
  if (s.lint.length === 0) return "";
  return `<h2>The documents (${s.lint.length} lint notes)</h2><table><tr><th>Spec</th><th>Operation</th><th>Rule</th><th>Note</th></tr>${s.lint
    .map((l) => `<tr><td>${esc(l.spec)}</td><td><code>${esc(l.operationId ?? "—")}</code></td><td><code>${esc(l.rule)}</code></td><td>${esc(l.message)}</td></tr>`)
    .join("")}</table>`;
}

function streams(s: Summary): string {
  if (s.streams.length === 0) return "";
  return `<h2>Streams (${s.streams.length} checks)</h2><table><tr><th>Spec</th><th>Operation</th><th>Mode</th><th>Check</th><th>Verdict</th></tr>${s.streams
    .map((r) => `<tr><td>${esc(r.spec)}</td><td><code>${esc(r.operationId)}</code></td><td>${esc(r.streamMode)}</td><td><code>${esc(r.check)}</code></td><td class="v-${r.verdict}">${esc(r.verdict)}</td></tr>`)
    .join("")}</table>`;
}

function load(s: Summary): string {
  if (!s.load) return "";
  const rows = Object.entries(s.load.metrics);
  return `<h2>Load</h2><p>Highest concurrency within SLO: <strong>${esc(s.load.maxConcurrencyWithinSlo ?? "—")}</strong></p>
<table><tr><th>Metric (ms)</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>samples</th></tr>${rows
    .map(([k, p]) => `<tr><td>${esc(k)}</td>${[p.p50, p.p90, p.p95, p.p99, p.p999].map((v) => `<td>${v.toFixed(1)}</td>`).join("")}<td>${p.count}</td></tr>`)
    .join("")}</table>${multitask(s.load.multitask)}${jsonEndpoints(s.load.json)}`;
}

function jsonEndpoints(j: JsonLoadSummary | undefined): string {
  if (!j) return "";
  return `<h3>JSON endpoints under concurrent reads</h3><p>${j.connections} connections, up to ${j.durationS} s per endpoint.</p>
<table><tr><th>Endpoint</th><th>Requests</th><th>per s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>Failed</th></tr>${j.endpoints
    .map((e) => `<tr><td>${esc(e.endpoint)} <code>${esc(e.method)} ${esc(e.path)}</code></td><td>${e.requests}</td><td>${e.requests_per_s.toFixed(0)}</td>${[e.latency_ms.p50, e.latency_ms.p95, e.latency_ms.p99].map((v) => `<td>${v.toFixed(1)}</td>`).join("")}<td>${e.status.non2xx + e.errors}</td></tr>`)
    .join("")}</table>`;
}

function multitask(m: MultitaskSummary | undefined): string {
  if (!m) return "";
  const names = m.strategies[0]?.checks.map((c) => c.check) ?? [];
  return `<h3>Concurrent runs on one thread</h3><p>${m.threadsPerStrategy} threads per strategy, ${m.runsPerThread} runs each sent ${m.gapMs[0]}–${m.gapMs[1]} ms apart (seed ${m.seed}), all strategies at once; ${(m.wallMs / 1000).toFixed(1)} s.</p>
<table><tr><th>Strategy</th><th>Created / sent</th><th>Outcomes</th><th>Most running at once</th>${names.map((n) => `<th><code>${esc(n.replace("multitask_load_", ""))}</code></th>`).join("")}</tr>${m.strategies
    .map((st) => `<tr><td>${esc(st.strategy)}</td><td>${st.created} / ${st.runsSent}</td><td>${esc(Object.entries(st.fates).map(([k, n]) => `${n} ${k}`).join(", "))}</td><td>${st.maxRunningOnOneThread}</td>${st.checks.map((c) => `<td class="v-${c.verdict}">${esc(c.verdict)}</td>`).join("")}</tr>`)
    .join("")}</table>`;
}

const countBy = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
