/** A Playwright reporter that gathers every test's unit results into one file for the CLI to merge. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import { registerSecret } from "../core/redact.ts";
import { targetSecrets } from "../core/target.ts";
import { mergeResults, type UnitResult } from "../results/recorder.ts";
import { partsFile, readSettings } from "./settings.ts";

export const RESULT_ATTACHMENT = "agentwire-result";

export default class ResultsReporter implements Reporter {
  private results: UnitResult[] = [];
  private readonly settings = readSettings();

  constructor() {
    for (const secret of targetSecrets(this.settings.target)) registerSecret(secret);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    for (const a of result.attachments) {
      if (a.name === RESULT_ATTACHMENT && a.body) this.results.push(JSON.parse(a.body.toString("utf8")) as UnitResult);
    }
    if (result.status === "skipped") {
      const reason = test.annotations.find((x) => x.type === "skip")?.description ?? "";
      this.results.push({ operations: [], findings: [], streams: [], notJudged: [{ unit: test.titlePath().slice(1).join(" › "), reason }] });
    }
  }

  onEnd(): void {
    const file = partsFile(this.settings.outDir);
    mkdirSync(dirname(file), { recursive: true });
    // Every rule test of a stream scenario carries the scenario's whole result; the merge keeps each item once.
    writeFileSync(file, JSON.stringify(mergeResults(this.results)));
  }

  printsToStdio(): boolean {
    return false;
  }
}
