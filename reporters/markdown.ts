/**
 * A Markdown summary for CI job pages (--summary-md FILE, and $GITHUB_STEP_SUMMARY when set): the verdict,
 * the gates, the open findings with their reproducers, what was not judged, and expired waivers.
 */
import { formatReplay } from "../results/finding.ts";
import type { SideBySide } from "../results/side-by-side.ts";
import { blocksVerdict, type Summary } from "../results/summary.ts";

const MAX_FINDINGS = 30;
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

const verdictText = (x: { verdict: "pass" | "fail"; interrupted?: boolean }) => `${x.verdict === "pass" ? "✅ PASS" : "❌ FAIL"}${x.interrupted ? " (interrupted)" : ""}`;

/** `level`: the heading level of the title (its sections are one deeper), so a summary can sit inside another. */
export function renderMarkdown(s: Summary, o: { title?: string; level?: number } = {}): string {
  const open = s.findings.filter((f) => !f.waived);
  const unjudged = s.notJudged.filter(blocksVerdict);
  const h = "#".repeat(o.level ?? 2);
  const out: string[] = [];
  out.push(`${h} ${o.title ?? "agentwire"}: ${verdictText(s)}`);
  out.push("");
  const target = s.targets.embedded ? `embedded ${s.targets.reference ?? "js"} reference${s.targets.faults.length ? ` with ${s.targets.faults.join(", ")}` : ""}` : [s.targets.managedDeepAgents, s.targets.agentServer].filter(Boolean).join(", ");
  out.push(`${target} · profile ${s.profile} · seed ${s.seed} · ${(s.durationMs / 1000).toFixed(0)} s · ${open.length} open findings, ${s.findings.length - open.length} waived${unjudged.length ? ` · ${unjudged.length} units not judged` : ""}`);
  if (s.unusable) out.push("", `**Target unusable:** ${s.unusable}`);
  if (s.gates.length) {
    out.push("", "| gate | result | detail |", "|---|---|---|");
    for (const g of s.gates) out.push(`| ${cell(g.name)} | ${g.notJudged ? "⚠️ not judged" : g.passed ? "✅ met" : "❌ broken"} | ${cell(g.detail)} |`);
  }
  if (open.length) {
    out.push("", `${h}# Open findings (${open.length})`, "", "| check | operation | finding | fingerprint |", "|---|---|---|---|");
    for (const f of open.slice(0, MAX_FINDINGS)) out.push(`| \`${f.check}\` | ${f.spec} \`${f.operationId}\`${f.streamMode ? ` [${f.streamMode}]` : ""}${f.strategy ? ` [${f.strategy}]` : ""} | ${cell(f.message.slice(0, 200))}${f.expiredWaiver ? ` (waiver ${f.expiredWaiver.waiver} expired ${f.expiredWaiver.expires})` : ""} | \`${f.fingerprint}\` |`);
    if (open.length > MAX_FINDINGS) out.push("", `… and ${open.length - MAX_FINDINGS} more in summary.json.`);
    out.push("", "<details><summary>Reproducers</summary>", "");
    for (const f of open.slice(0, MAX_FINDINGS)) out.push("```sh", `# ${f.check} ${f.operationId}${f.replay ? ` (replay ${formatReplay(f.replay)})` : ""}`, f.reproducer, "```");
    out.push("</details>");
  }
  if (unjudged.length) {
    out.push("", `${h}# Not judged (${unjudged.length})`, "");
    for (const n of unjudged.slice(0, 10)) out.push(`- ${n.unit}: ${n.reason}`);
    if (unjudged.length > 10) out.push(`- … and ${unjudged.length - 10} more`);
  }
  for (const w of s.waivers?.expired ?? []) out.push("", `⚠️ Waiver \`${w.id}\` expired on ${w.expires}${w.owner ? ` (owner ${w.owner})` : ""}${w.ticket ? ` ${w.ticket}` : ""}: ${w.findings} findings open.`);
  if (s.waivers?.stale.length) out.push("", `Stale waivers (matched nothing): ${s.waivers.stale.map((w) => `\`${w.id}\``).join(", ")}`);
  return `${out.join("\n")}\n`;
}

/** `--reference both`: one summary with the verdict of both, then each reference's own, named. */
export function renderSideBySideMarkdown(x: SideBySide): string {
  const parts = Object.entries(x.references).map(([reference, s]) => renderMarkdown(s, { title: `${reference} reference`, level: 3 }));
  const line = Object.entries(x.references).map(([reference, s]) => `${reference} ${s.verdict.toUpperCase()}`).join(" · ");
  return [`## agentwire, both references: ${verdictText(x)}`, "", `${line} (each reference's reports in its own folder: ${Object.keys(x.references).map((r) => `\`${r}/\``).join(", ")})`, "", ...parts].join("\n");
}
