/** What Playwright's own reporters are handed is redacted first: errors, steps, annotations, output, attachments. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestCase, TestResult } from "@playwright/test/reporter";
import { registerSecret } from "../../core/redact.ts";
import { redactResult } from "../../runner/redacting-reporter.ts";

const KEY = "sk-playwright-canary-9";

test("every part of a test result that a report writes loses the key", (t) => {
  registerSecret(KEY);
  const dir = mkdtempSync(join(tmpdir(), "agentwire-redact-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const context = join(dir, "error-context.md");
  writeFileSync(context, `# Error details\nthe server said ${KEY}`);
  const error = { message: `expected [] got ["answered 401: bad key ${KEY}"]`, stack: `Error: ${KEY}\n    at x`, cause: { message: KEY } };
  const test = { annotations: [{ type: "waived", description: `echoed ${KEY}` }] } as unknown as TestCase;
  const result = {
    annotations: [{ type: "skip", description: `not judged: ${KEY}` }],
    error,
    errors: [error],
    steps: [{ title: `step ${KEY}`, error: { message: KEY }, steps: [{ title: KEY, steps: [] }] }],
    stdout: [`out ${KEY}\n`, Buffer.from(`buffer ${KEY}`)],
    stderr: [`err ${KEY}`],
    attachments: [
      { name: "agentwire-result", contentType: "application/json", body: Buffer.from(JSON.stringify({ message: KEY })) },
      { name: "error-context", contentType: "text/markdown", path: context },
    ],
  } as unknown as TestResult;
  redactResult(test, result);
  const everything = JSON.stringify({ test, result, stdout: result.stdout.map(String), bodies: result.attachments.map((a) => a.body?.toString()) }) + readFileSync(context, "utf8");
  assert.ok(!everything.includes(KEY), everything);
  assert.match(everything, /\*\*\*/);
});
