/**
 * The page of a run against each embedded reference: the verdicts side by side (operations, findings,
 * stream checks judged per mode, gates), linking to each reference's own full report.
 */
import type { SideBySide } from "../results/side-by-side.ts";
import type { Summary } from "../results/summary.ts";
import { esc, STYLE } from "./html.ts";

const countBy = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
const counts = (xs: string[]) => Object.entries(countBy(xs)).map(([k, n]) => `${n} ${k}`).join(", ") || "—";

export function renderSideBySideHtml(x: SideBySide): string {
  const refs = Object.entries(x.references);
  const cell = (f: (s: Summary) => string) => refs.map(([, s]) => `<td>${f(s)}</td>`).join("");
  const head = `<tr><th></th>${refs.map(([r]) => `<th><a href="${esc(r)}/index.html">${esc(r)}</a></th>`).join("")}</tr>`;
  const rows: [string, (s: Summary) => string][] = [
    ["Verdict", (s) => `<span class="verdict ${s.verdict}">${s.verdict.toUpperCase()}</span>`],
    ["Managed operations", (s) => esc(counts(s.operations.filter((o) => o.spec === "managed-deep-agents").map((o) => o.verdict)))],
    ["Agent Server operations", (s) => esc(counts(s.operations.filter((o) => o.spec === "agent-server").map((o) => o.verdict)))],
    ["Findings", (s) => `${s.findings.filter((f) => !f.waived).length} open, ${s.findings.filter((f) => f.waived).length} waived`],
    ["Stream checks", (s) => esc(counts(s.streams.map((r) => r.verdict)))],
    ["Gates", (s) => esc(s.gates.map((g) => `${g.name} ${g.passed ? "met" : "broken"}`).join(", ") || "—")],
  ];
  const summary = `<table>${head}${rows.map(([k, f]) => `<tr><td>${esc(k)}</td>${cell(f)}</tr>`).join("")}</table>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>agentwire — ${esc(x.verdict)} on each reference</title><style>${STYLE}</style></head><body>
<h1>agentwire on each reference <span class="verdict ${x.verdict}">${x.verdict.toUpperCase()}</span></h1>
<p>${esc(x.startedAt)}, ${(x.durationMs / 1000).toFixed(1)} s${x.interrupted ? " (interrupted)" : ""}. Each column links to that reference's full report.</p>
${summary}${streamModes(refs)}${operationDifferences(refs)}
</body></html>
`;
}

/** Stream checks judged per mode, per reference: what each Agent Server was actually held to. */
function streamModes(refs: [string, Summary][]): string {
  const modes = [...new Set(refs.flatMap(([, s]) => s.streams.map((r) => `${r.spec} · ${r.streamMode}`)))].sort();
  const of = (s: Summary, key: string) => s.streams.filter((r) => `${r.spec} · ${r.streamMode}` === key);
  return `<h2>Stream checks per stream</h2><table><tr><th>Stream</th>${refs.map(([r]) => `<th>${esc(r)}</th>`).join("")}</tr>${modes
    .map((m) => `<tr><td><code>${esc(m)}</code></td>${refs.map(([, s]) => `<td>${esc(counts(of(s, m).map((r) => r.verdict)))}</td>`).join("")}</tr>`)
    .join("")}</table>`;
}

/** The operations whose verdict differs between the references. */
function operationDifferences(refs: [string, Summary][]): string {
  const keys = [...new Set(refs.flatMap(([, s]) => s.operations.map((o) => `${o.spec} ${o.operationId}`)))];
  const verdict = (s: Summary, key: string) => s.operations.find((o) => `${o.spec} ${o.operationId}` === key)?.verdict ?? "—";
  const differing = keys.filter((k) => new Set(refs.map(([, s]) => verdict(s, k))).size > 1);
  if (!differing.length) return "<h2>Operations</h2><p>Every operation has the same verdict on each reference.</p>";
  return `<h2>Operations whose verdict differs (${differing.length})</h2><table><tr><th>Operation</th>${refs.map(([r]) => `<th>${esc(r)}</th>`).join("")}</tr>${differing
    .map((k) => `<tr><td><code>${esc(k)}</code></td>${refs.map(([, s]) => `<td class="v-${esc(verdict(s, k))}">${esc(verdict(s, k))}</td>`).join("")}</tr>`)
    .join("")}</table>`;
}
