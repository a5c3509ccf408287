/**
 * Run history: `--history DIR` adds each run's summary.json to DIR as `<startedAt>-seed<N>.json` (names
 * sort by time), so `agentwire compare --history DIR --baseline latest|<run>` has a baseline to read.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Summary } from "../results/summary.ts";
import { CliError } from "./exit-codes.ts";

/** `<startedAt>-seed<N>`, and `-js` or `-python` for a run against an embedded reference (`--reference both` adds one of each). */
const runName = (s: Pick<Summary, "startedAt" | "seed"> & { targets?: Pick<Summary["targets"], "reference"> }) =>
  `${s.startedAt.replace(/[:.]/g, "-")}-seed${s.seed}${s.targets?.reference ? `-${s.targets.reference}` : ""}`;
const referenceOf = (name: string) => /-seed\d+-(js|python)$/.exec(name)?.[1];

/** Adds the run's written summary.json to the history; returns the run's name there. */
export function appendHistory(dir: string, summaryFile: string): string {
  const s = JSON.parse(readFileSync(summaryFile, "utf8")) as Summary;
  try {
    mkdirSync(dir, { recursive: true });
    copyFileSync(summaryFile, join(dir, `${runName(s)}.json`));
  } catch (error) {
    throw new CliError(`--history ${dir}: cannot write it (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return runName(s);
}

/** The runs in a history, oldest first. */
export function historyRuns(dir: string): string[] {
  if (!existsSync(dir)) throw new CliError(`--history ${dir}: no such folder (runs with --history ${dir} fill it)`);
  return readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
}

/**
 * The summary file of `baseline` in the history: "latest" (the newest run, or the newest before `exclude`
 * when HEAD is itself the newest), or a run's name or a unique prefix of it.
 */
export function baselineFile(dir: string, baseline: string, exclude?: string): string {
  const runs = historyRuns(dir).filter((r) => r !== exclude);
  if (!runs.length) throw new CliError(`--history ${dir}: no run recorded yet`);
  if (baseline === "latest") {
    // A run against one reference is compared with the last run against the same reference.
    const same = runs.filter((r) => referenceOf(r) === (exclude ? referenceOf(exclude) : referenceOf(r)));
    if (!same.length) throw new CliError(`--history ${dir}: no earlier run against the ${referenceOf(exclude!) ?? "same"} reference`);
    return join(dir, `${same.at(-1)}.json`);
  }
  const matching = runs.filter((r) => r.startsWith(baseline));
  if (matching.length !== 1) throw new CliError(`--baseline ${baseline}: ${matching.length ? `${matching.length} runs match; give more of the name` : "no such run"} in ${dir} (runs: ${runs.slice(-5).join(", ")}${runs.length > 5 ? ", …" : ""})`);
  return join(dir, `${matching[0]}.json`);
}

export const historyName = runName;
