/** A Playwright reporter that gathers every test's unit results into one file for the CLI to merge. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import { mergeResults, type UnitResult } from "./record.ts";
import { partsFile, readSettings } from "./settings.ts";

export const RESULT_ATTACHMENT = "agentwire-result";

export default class ResultsReporter implements Reporter {
  private results: UnitResult[] = [];
  private skipped: { title: string; reason: string }[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    for (const a of result.attachments) {
      if (a.name === RESULT_ATTACHMENT && a.body) this.results.push(JSON.parse(a.body.toString("utf8")) as UnitResult);
    }
    if (result.status === "skipped") this.skipped.push({ title: test.titlePath().slice(1).join(" › "), reason: test.annotations.find((x) => x.type === "skip")?.description ?? "" });
  }

  onEnd(): void {
    const file = partsFile(readSettings().outDir);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...dedupe(mergeResults(this.results)), skippedTests: this.skipped }));
  }

  printsToStdio(): boolean {
    return false;
  }
}

/** Every rule test of a stream scenario carries the scenario's whole result; keep each item once. */
function dedupe(r: UnitResult): UnitResult {
  const once = <T>(xs: T[], key: (x: T) => string) => [...new Map(xs.map((x) => [key(x), x])).values()];
  return {
    operations: r.operations,
    findings: once(r.findings, (f) => `${f.spec}|${f.operationId}|${f.check}|${f.message}`),
    streams: once(r.streams, (s) => `${s.spec}|${s.operationId}|${s.streamMode}|${s.check}`),
  };
}
