/**
 * The quiet console (the default; --verbose gives Playwright's per-test list instead): one progress line per
 * phase — units done of the total, elapsed time, an estimate of what is left — rewritten in place on a
 * terminal and printed at each quarter elsewhere (CI logs); each failing unit as its open findings with their
 * reproducers, never the suite's stack frames.
 */
import { basename } from "node:path";
import type { FullConfig, Reporter, Suite, TestCase, TestResult } from "@playwright/test/reporter";
import type { UnitResult } from "../results/recorder.ts";
import { RESULT_ATTACHMENT } from "./reporter.ts";

function secs(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

interface Phase {
  total: number;
  done: number;
  failed: number;
  started: number;
  lastQuarter: number;
}

export default class ProgressReporter implements Reporter {
  private readonly phases = new Map<string, Phase>();
  private readonly tty = Boolean(process.stdout.isTTY);
  private open = false;

  onBegin(_config: FullConfig, suite: Suite): void {
    for (const test of suite.allTests()) {
      const name = phaseOf(test);
      const p = this.phases.get(name) ?? { total: 0, done: 0, failed: 0, started: 0, lastQuarter: 0 };
      p.total++;
      this.phases.set(name, p);
    }
  }

  onTestBegin(test: TestCase): void {
    const p = this.phases.get(phaseOf(test));
    if (p && !p.started) p.started = performance.now();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const name = phaseOf(test);
    const p = this.phases.get(name);
    if (!p) return;
    p.done++;
    if (result.status === "failed" || result.status === "timedOut") {
      p.failed++;
      this.printFailure(test, result);
    }
    this.progress(name, p);
  }

  onEnd(): void {
    if (this.open) process.stdout.write("\n");
    this.open = false;
  }

  printsToStdio(): boolean {
    return true;
  }

  private progress(name: string, p: Phase): void {
    const elapsed = performance.now() - p.started;
    // The first units carry the workers' setup: no estimate until a few have ended.
    const left = p.done < p.total && p.done >= Math.max(3, p.total / 20) ? ` · about ${secs((elapsed / p.done) * (p.total - p.done))} left` : "";
    const line = `${name}: ${p.done}/${p.total} units · ${secs(elapsed)}${left}${p.failed ? ` · ${p.failed} failing` : ""}`;
    if (this.tty) {
      process.stdout.write(`\r\x1b[2K${line}`);
      this.open = p.done < p.total;
      if (!this.open) process.stdout.write("\n");
      return;
    }
    const quarter = Math.floor((p.done / p.total) * 4);
    if (quarter > p.lastQuarter || p.done === 1) {
      p.lastQuarter = quarter;
      process.stdout.write(`${line}\n`);
    }
  }

  /** The unit's open findings with reproducers; a unit that failed otherwise, its error's first line. */
  private printFailure(test: TestCase, result: TestResult): void {
    if (this.open) process.stdout.write("\n");
    this.open = false;
    const attached = result.attachments.find((a) => a.name === RESULT_ATTACHMENT && a.body);
    const unit = attached ? (JSON.parse(attached.body!.toString("utf8")) as UnitResult) : undefined;
    const open = unit?.findings.filter((f) => !f.waived) ?? [];
    const lines = [`✗ ${test.titlePath().slice(3).join(" › ")}`];
    if (open.length) for (const f of open) lines.push(`  ${f.check}: ${f.message}`, `    ${f.reproducer}`, `    fingerprint ${f.fingerprint}`);
    else lines.push(`  ${result.status === "timedOut" ? "timed out" : (result.error?.message ?? "failed").split("\n")[0]}`);
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}

/** A phase is a spec file: "contract" or "streams". */
const phaseOf = (test: TestCase) => basename(test.location.file).replace(/\.spec\.ts$/, "");
