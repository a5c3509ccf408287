/** The contract and streams phases: Playwright runs the units; its reporter hands the results back. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { Target } from "../../core/target.ts";
import { emptyResult, type UnitResult } from "../../results/recorder.ts";
import { partsFile, SETTINGS_FILE_ENV, writeSettings, type RunSettings } from "../../runner/settings.ts";
import type { Waiver } from "../../results/waivers.ts";
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
  /** Put into the metadata of every resource the run creates. */
  tag: string;
  signal: AbortSignal;
  log(line: string): void;
}

/** Examples per operation and family: smoke is a quick gate, full is a thorough property run. */
const EXAMPLES = { smoke: 5, full: 100 } as const;

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
    tag: input.tag,
    ownerPid: process.pid,
    shard: config.shard,
  };
  rmSync(partsFile(outDir), { force: true });
  const cli = join(createRequire(import.meta.url).resolve("@playwright/test/package.json"), "..", "cli.js");
  const args = [cli, "test", "--config", join(PACKAGE_ROOT, "runner", "playwright.config.ts"), ...input.projects.flatMap((p) => ["--project", p])];
  if (config.workers) args.push("--workers", String(config.workers));
  if (config.shard) args.push("--shard", config.shard);

  const settingsFile = writeSettings(settings);
  let code: number | null;
  try {
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, [SETTINGS_FILE_ENV]: settingsFile.file } });
    const onAbort = () => child.kill("SIGINT");
    input.signal.addEventListener("abort", onAbort);
    code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    input.signal.removeEventListener("abort", onAbort);
  } finally {
    settingsFile.remove();
  }

  const file = partsFile(outDir);
  if (!existsSync(file)) {
    if (input.signal.aborted) return { result: emptyResult(), note: "interrupted before any result" };
    throw new CliError(`the conformance runner (Playwright) exited with ${code} and produced no results`, 70);
  }
  const result = JSON.parse(readFileSync(file, "utf8")) as UnitResult;
  const note = result.notJudged.length ? `${result.notJudged.length} tests not judged` : undefined;
  return { result, note };
}
