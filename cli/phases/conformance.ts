/** The contract and streams phases: Playwright runs the units; its reporter hands the results back. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { Target } from "../../core/target.ts";
import type { UnitResult } from "../../runner/record.ts";
import { partsFile, SETTINGS_ENV, type RunSettings } from "../../runner/settings.ts";
import type { Waiver } from "../../runner/waivers.ts";
import type { RunConfig } from "../args.ts";
import { CliError } from "../exit-codes.ts";
import { PACKAGE_ROOT } from "../package-info.ts";
import type { SpecFiles } from "../specs.ts";

export interface ConformanceInput {
  config: RunConfig;
  target: Target;
  specs: SpecFiles;
  waivers: { files: string[]; waivers: Waiver[] };
  projects: ("contract" | "streams")[];
  signal: AbortSignal;
  log(line: string): void;
}

/** Examples per operation and family: smoke is a quick gate, full is a thorough property run. */
export const EXAMPLES = { smoke: 5, full: 100 } as const;

export async function runConformance(input: ConformanceInput): Promise<{ result: UnitResult; note?: string }> {
  const { config } = input;
  const outDir = resolve(config.outDir);
  const settings: RunSettings = {
    target: input.target,
    seed: config.seed,
    profile: config.profile,
    examples: EXAMPLES[config.profile],
    specs: input.specs,
    waiverFiles: input.waivers.files,
    outDir,
    tag: `agentwire-${config.seed}-${process.pid}`,
    ownerPid: process.pid,
    shard: config.shard,
  };
  rmSync(partsFile(outDir), { force: true });
  const cli = join(createRequire(import.meta.url).resolve("@playwright/test/package.json"), "..", "cli.js");
  const args = [cli, "test", "--config", join(PACKAGE_ROOT, "runner", "playwright.config.ts"), ...input.projects.flatMap((p) => ["--project", p])];
  if (config.workers) args.push("--workers", String(config.workers));
  if (config.shard) args.push("--shard", config.shard);

  const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, [SETTINGS_ENV]: JSON.stringify(settings) } });
  const onAbort = () => child.kill("SIGINT");
  input.signal.addEventListener("abort", onAbort);
  const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  input.signal.removeEventListener("abort", onAbort);

  const file = partsFile(outDir);
  if (!existsSync(file)) {
    if (input.signal.aborted) return { result: { operations: [], findings: [], streams: [] }, note: "interrupted before any result" };
    throw new CliError(`the conformance runner (Playwright) exited with ${code} and produced no results`, 70);
  }
  const parts = JSON.parse(readFileSync(file, "utf8")) as UnitResult & { skippedTests: { title: string; reason: string }[] };
  const note = parts.skippedTests.length ? `${parts.skippedTests.length} tests not judged` : undefined;
  return { result: { operations: parts.operations, findings: parts.findings, streams: parts.streams }, note };
}
