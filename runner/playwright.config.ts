/** Playwright runs the conformance units as tests, one per operation and check family or stream rule. */
import { defineConfig } from "@playwright/test";
import { join } from "node:path";
import { blobDir, readSettings } from "./settings.ts";

const settings = readSettings();

// Without its CLI (killed, or its terminal closed) the run has no target left: stop instead of timing out.
setInterval(() => {
  try {
    process.kill(settings.ownerPid, 0);
  } catch {
    process.exit(130);
  }
}, 1000).unref();

export default defineConfig({
  testDir: ".",
  testMatch: ["contract.spec.ts", "streams.spec.ts"],
  // Tests of one operation are independent; fully parallel lets --shard split them evenly.
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  timeout: 180_000,
  outputDir: join(settings.outDir, ".playwright-output"),
  reporter: [
    // First, so every reporter after it is handed redacted results.
    ["./redacting-reporter.ts"],
    settings.verbose ? ["list", { printSteps: false }] : ["./progress-reporter.ts"],
    ["html", { outputFolder: join(settings.outDir, "playwright"), open: "never" }],
    ["./reporter.ts"],
    // A shard's Playwright report is merged with the others' by `agentwire merge`.
    ...(settings.shard ? [["blob", { outputDir: blobDir(settings.outDir) }] as ["blob", { outputDir: string }]] : []),
  ],
  // One project: a worker goes from stream scenarios to contract units without a restart (see fixtures.ts).
  // The CLI picks the phases by file.
  projects: [{ name: "conformance" }],
});
