/**
 * Writes a run's reports: summary.json, index.html and junit.xml. Every byte written passes through the
 * redaction of registered secrets, whatever the target echoed into a finding.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { redact } from "../core/redact.ts";
import type { SideBySide } from "../results/side-by-side.ts";
import type { Summary } from "../results/summary.ts";
import { renderHtml } from "./html.ts";
import { renderJunit, renderJunitSideBySide } from "./junit.ts";
import { renderMarkdown, renderSideBySideMarkdown } from "./markdown.ts";
import { renderSideBySideHtml } from "./side-by-side.ts";

export function writeReports(summary: Summary, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "summary.json"), redact(`${JSON.stringify(summary, null, 2)}\n`));
  writeFileSync(join(outDir, "index.html"), redact(renderHtml(summary)));
  writeFileSync(join(outDir, "junit.xml"), redact(renderJunit(summary)));
}

/** The reports of a run against each reference (each reference's own are in its folder). */
export function writeSideBySide(x: SideBySide, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "summary.json"), redact(`${JSON.stringify(x, null, 2)}\n`));
  writeFileSync(join(outDir, "index.html"), redact(renderSideBySideHtml(x)));
  writeFileSync(join(outDir, "junit.xml"), redact(renderJunitSideBySide(x)));
}

/** The Markdown summary for CI: to `file` when given, appended to `stepSummary` ($GITHUB_STEP_SUMMARY) when set. */
export function writeMarkdownSummary(summary: Summary | SideBySide, file: string | undefined, stepSummary: string | undefined): void {
  const text = redact("kind" in summary && summary.kind === "side-by-side" ? renderSideBySideMarkdown(summary) : renderMarkdown(summary as Summary));
  if (file) writeFileSync(file, text);
  if (stepSummary) appendFileSync(stepSummary, text);
}
