/**
 * A Playwright reporter that hands every test's unit result to the CLI as the test ends (one line each), so
 * a run stopped hard still leaves what it measured.
 */
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import type { UnitResult } from "../results/recorder.ts";
import type { NotJudgedCause } from "../results/summary.ts";
import { readSettings } from "./settings.ts";
import { appendResult } from "./shared.ts";

export const RESULT_ATTACHMENT = "agentwire-result";

/** A test without a result of its own was stopped or skipped by Playwright: not judged, and why. */
const CAUSES: Partial<Record<TestResult["status"], NotJudgedCause>> = { interrupted: "interrupted", skipped: "target", timedOut: "target", failed: "suite" };

export default class ResultsReporter implements Reporter {
  private readonly outDir = readSettings().outDir;

  onTestEnd(test: TestCase, result: TestResult): void {
    const attached = result.attachments.filter((a) => a.name === RESULT_ATTACHMENT && a.body);
    for (const a of attached) appendResult(this.outDir, JSON.parse(a.body!.toString("utf8")) as UnitResult);
    const cause = CAUSES[result.status];
    if (attached.length || !cause) return;
    const why = test.annotations.find((x) => x.type === "skip")?.description ?? result.error?.message?.split("\n")[0] ?? result.status;
    appendResult(this.outDir, { operations: [], findings: [], streams: [], notJudged: [{ unit: test.titlePath().slice(1).join(" › "), reason: why, cause }] });
  }

  printsToStdio(): boolean {
    return false;
  }
}
