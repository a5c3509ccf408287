/**
 * Listed first among the reporters, it redacts every registered secret in place in what the others are
 * handed — errors, steps, annotations, attachments, captured output — so Playwright's own HTML report, its
 * blob report and its console lines never carry a key a target echoed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Reporter, TestCase, TestError, TestResult, TestStep } from "@playwright/test/reporter";
import { redact, registerSecret } from "../core/redact.ts";
import { targetSecrets } from "../core/target.ts";
import { readSettings } from "./settings.ts";

function redactError(e: TestError | undefined): void {
  if (!e) return;
  for (const key of ["message", "stack", "value", "snippet"] as const) if (typeof e[key] === "string") e[key] = redact(e[key]);
  redactError(e.cause);
}

const redactChunk = (chunk: string | Buffer) => (typeof chunk === "string" ? redact(chunk) : Buffer.from(redact(chunk.toString("utf8"))));

function redactStep(step: TestStep): void {
  step.title = redact(step.title);
  redactError(step.error);
  step.steps.forEach(redactStep);
}

export function redactResult(test: TestCase, result: TestResult): void {
  for (const a of [...test.annotations, ...result.annotations]) if (a.description) a.description = redact(a.description);
  redactError(result.error);
  result.errors.forEach(redactError);
  result.steps.forEach(redactStep);
  result.stdout.forEach((c, i) => (result.stdout[i] = redactChunk(c)));
  result.stderr.forEach((c, i) => (result.stderr[i] = redactChunk(c)));
  for (const a of result.attachments) {
    if (!/^text\/|json/.test(a.contentType)) continue;
    if (a.body) a.body = Buffer.from(redact(a.body.toString("utf8")));
    // Files a worker wrote (the error context of a failed test) are copied into the report at its end.
    else if (a.path) writeFileSync(a.path, redact(readFileSync(a.path, "utf8")));
  }
}

export default class RedactingReporter implements Reporter {
  constructor() {
    for (const secret of targetSecrets(readSettings().target)) registerSecret(secret);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    redactResult(test, result);
  }

  onError(error: TestError): void {
    redactError(error);
  }

  printsToStdio(): boolean {
    return false;
  }
}
