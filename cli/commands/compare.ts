/**
 * `agentwire compare BASE HEAD`: what changed between two runs, from their report folders or summary.json
 * files (or BASE from a history: `--history DIR --baseline latest|<run>`). Prints a table, writes
 * compare.json (next to HEAD's summary unless --out names a file) and compare.html beside it, and exits 1 on a new open finding or a
 * latency regression beyond its limit, 0 otherwise, 2 on unusable input.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { redact } from "../../core/redact.ts";
import { renderCompareHtml } from "../../reporters/html-compare.ts";
import { compareSummaries, fmtMs, fmtPct, type Compare, type MetricComparison } from "../../results/compare.ts";
import type { Summary } from "../../results/summary.ts";
import type { CompareConfig } from "../args.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { baselineFile, historyName } from "../history.ts";
import { packageInfo } from "../package-info.ts";

export async function compare(config: CompareConfig): Promise<number> {
  const head = readSummary(config.head);
  const baseSource = config.base ?? baselineFile(config.history!, config.baseline ?? "latest", historyName(head.summary));
  const base = readSummary(baseSource);
  const pkg = packageInfo();
  const result = compareSummaries(base.summary, head.summary, { base: base.file, head: head.file }, { name: pkg.name, version: pkg.version }, { confidence: config.confidence, regression: config.regression });
  // --out names the JSON file, or (like run's --out) a folder that gets compare.json and compare.html.
  const out = !config.out ? join(dirname(head.file), "compare.json") : config.out.endsWith(".json") ? config.out : join(config.out, "compare.json");
  // The page beside it: the same result, with both runs' latency distributions overlaid.
  const page = out.replace(/(\.json)?$/, ".html");
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, redact(`${JSON.stringify(result, null, 2)}\n`));
    writeFileSync(page, redact(renderCompareHtml(result, { base: base.summary, head: head.summary })));
  } catch (error) {
    throw new CliError(`cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? "error"}); name another file with --out`);
  }
  for (const line of render(result)) process.stdout.write(`${redact(line)}\n`);
  process.stdout.write(`compare.json: ${out}\ncompare.html: ${page}\n`);
  return result.verdict === "pass" ? EXIT.conforms : EXIT.findings;
}

function readSummary(path: string): { file: string; summary: Summary } {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, "summary.json") : path;
  if (!existsSync(file)) throw new CliError(`${file} does not exist: pass a report folder or its summary.json`);
  let s: Summary & { kind?: string };
  try {
    s = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${file}: not JSON (${(error as Error).message.split("\n")[0]})`);
  }
  if (s?.kind === "side-by-side") throw new CliError(`${file} is a side-by-side run of both references: compare each reference's folder (${join(dirname(file), "js")}, …)`);
  if (typeof s?.schemaVersion !== "number" || !Array.isArray(s.findings) || !Array.isArray(s.operations)) throw new CliError(`${file}: not an agentwire summary.json`);
  return { file, summary: s };
}

function render(c: Compare): string[] {
  const lines: string[] = [];
  const name = (f: { check: string; operationId: string; streamMode?: string; strategy?: string }) => `${f.check} ${f.operationId}${f.streamMode ? ` [${f.streamMode}]` : ""}${f.strategy ? ` [${f.strategy}]` : ""}`;
  lines.push(`BASE ${c.base.source} (${c.base.startedAt}, ${c.base.verdict})`);
  lines.push(`HEAD ${c.head.source} (${c.head.startedAt}, ${c.head.verdict})`);
  const openNew = c.findings.new.filter((f) => !f.waived);
  lines.push(`findings: ${openNew.length} new open${c.findings.new.length > openNew.length ? ` (+${c.findings.new.length - openNew.length} new waived)` : ""}, ${c.findings.fixed.length} fixed, ${c.findings.unchanged.length} unchanged`);
  for (const f of c.findings.new) lines.push(`  new    ${f.fingerprint} ${name(f)}${f.waived ? " (waived)" : ""}: ${f.message.slice(0, 120)}`);
  for (const f of c.findings.fixed) lines.push(`  fixed  ${f.fingerprint} ${name(f)}`);
  for (const o of c.operations) lines.push(`operation ${o.spec} ${o.operationId}: ${o.base ?? "—"} → ${o.head ?? "—"}`);
  for (const s of c.streams) lines.push(`stream ${s.operationId} ${s.streamMode} ${s.check}: ${s.base ?? "—"} → ${s.head ?? "—"}`);
  for (const g of c.gates) lines.push(`gate ${g.name}: ${g.base ?? "—"} → ${g.head ?? "—"}`);
  lines.push(`latency (${Math.round(c.confidence * 100)} % confidence; Δ = HEAD − BASE with its bootstrap interval; a change counts only when its interval lies beyond ±${fmtPct(c.equivalence.relative).slice(1)} of BASE, at least a few ms, or its limit):`);
  lines.push(`  ${"metric".padEnd(24)}${"p50 Δ".padEnd(30)}${"p95 Δ".padEnd(30)}${"p99 Δ".padEnd(30)}verdict`);
  for (const m of c.metrics) lines.push(`  ${m.metric.padEnd(24)}${m.percentiles.length ? m.percentiles.map((p) => cell(p).padEnd(30)).join("") : "".padEnd(90)}${verdictText(m)}`);
  for (const n of c.notes) lines.push(`note: ${n}`);
  lines.push(`verdict: ${c.verdict === "pass" ? "PASS" : "FAIL"}${c.reasons.length ? ` — ${c.reasons.join("; ")}` : c.metrics.some((m) => m.verdict === "worse") ? " (changes within their limits)" : ""}`);
  return lines;
}

const cell = (p: MetricComparison["percentiles"][number]) => `${fmtMs(p.diff, true)}${p.relative === null ? "" : ` ${fmtPct(p.relative)}`} [${p.ci[0].toFixed(0)}, ${p.ci[1].toFixed(0)}]${p.beyondLimit ? " !" : ""}`;
const verdictText = (m: MetricComparison) => `${m.verdict}${m.reason ? ` (${m.reason})` : m.samples.base ? ` (n=${m.samples.base}/${m.samples.head}, p=${m.rankTest!.pValue.toPrecision(2)})` : ""}`;
