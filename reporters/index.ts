/**
 * Writes a run's reports: summary.json, index.html and junit.xml. Every byte written passes through the
 * redaction of registered secrets, whatever the target echoed into a finding.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { redact } from "../core/redact.ts";
import type { Summary } from "../results/summary.ts";
import { renderHtml } from "./html.ts";
import { renderJunit } from "./junit.ts";

export function writeReports(summary: Summary, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "summary.json"), redact(`${JSON.stringify(summary, null, 2)}\n`));
  writeFileSync(join(outDir, "index.html"), redact(renderHtml(summary)));
  writeFileSync(join(outDir, "junit.xml"), redact(renderJunit(summary)));
}
