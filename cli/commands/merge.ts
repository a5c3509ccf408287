/**
 * `agentwire merge DIR... [--out DIR]`: the report of one run split over machines with --shard. Reads each
 * shard's summary.json, writes the merged summary.json, index.html and junit.xml, merges the shards'
 * Playwright reports into one when they left blob reports, and exits like `run` on the merged verdict.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { mergeSummaries, MergeError } from "../../results/merge.ts";
import type { Summary } from "../../results/summary.ts";
import { blobDir } from "../../runner/settings.ts";
import type { MergeConfig } from "../args.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { writeReports } from "../../reporters/index.ts";
import { prepareOutDir } from "../out-dir.ts";
import { printOutcome } from "./run.ts";

export async function merge(config: MergeConfig): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const parts = config.dirs.map(readSummary);
  prepareOutDir(config.outDir);
  let summary: Summary;
  try {
    summary = mergeSummaries(parts);
  } catch (error) {
    if (error instanceof MergeError) throw new CliError(`cannot merge: ${error.message}`);
    throw error;
  }
  writeReports(summary, config.outDir);
  mergePlaywrightReports(config.dirs, config.outDir, log);
  log(`merged ${parts.length} shard reports`);
  printOutcome(summary, config.outDir, log);
  if (summary.interrupted) return EXIT.interrupted;
  return summary.verdict === "pass" ? EXIT.conforms : EXIT.findings;
}

function readSummary(dir: string): Summary {
  const file = join(dir, "summary.json");
  if (!existsSync(file)) throw new CliError(`${file} does not exist: pass the --out folder of each shard`);
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as Summary;
    if (typeof s.schemaVersion !== "number" || !Array.isArray(s.operations)) throw new Error("not an agentwire summary");
    return s;
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** Playwright merges blob reports that sit in one folder; each shard's blob has its own file name. */
function mergePlaywrightReports(dirs: string[], outDir: string, log: (line: string) => void) {
  const blobs = dirs.flatMap((d) => (existsSync(blobDir(d)) ? readdirSync(blobDir(d)).filter((f) => f.endsWith(".zip")).map((f) => join(blobDir(d), f)) : []));
  if (!blobs.length) return;
  const staging = mkdtempSync(join(tmpdir(), "agentwire-blobs-"));
  try {
    blobs.forEach((b, i) => copyFileSync(b, join(staging, `shard-${i + 1}-${b.split(/[\\/]/).pop()}`)));
    const cli = join(createRequire(import.meta.url).resolve("@playwright/test/package.json"), "..", "cli.js");
    const r = spawnSync(process.execPath, [cli, "merge-reports", "--reporter", "html", staging], {
      env: { ...process.env, PLAYWRIGHT_HTML_OUTPUT_DIR: resolve(outDir, "playwright"), PLAYWRIGHT_HTML_OPEN: "never" },
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    if (r.status !== 0) log(`note: the shards' Playwright reports could not be merged: ${(r.stderr || "").trim().split("\n")[0]}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
