/**
 * What the processes of one conformance run tell each other, through files in the run's private parts
 * folder: each test's result as it ends (so a run stopped hard keeps what was measured), that the target
 * is unusable (every process then stops sending), each stream scenario's result (a worker restarted after
 * a failing test does not run the scenario again), what a cleanup could not delete, and (with --record)
 * every exchange, in a file per process.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Leftover } from "../core/cleanup.ts";
import type { RecordedExchange } from "../core/recording.ts";
import type { UnitResult } from "../results/recorder.ts";

const partsDir = (outDir: string) => join(outDir, ".parts");
const file = (outDir: string, name: string) => join(partsDir(outDir), name);

function append(path: string, value: unknown): void {
  mkdirSync(join(path, ".."), { recursive: true });
  appendFileSync(path, `${JSON.stringify(value)}\n`);
}

/** Every complete line of a JSON-lines file (a line cut by a hard stop is left out). */
function lines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .flatMap((l) => {
      try {
        return l ? [JSON.parse(l) as T] : [];
      } catch {
        return [];
      }
    });
}

/** A fresh parts folder for a run. */
export function resetParts(outDir: string): void {
  removeParts(outDir);
  mkdirSync(partsDir(outDir), { recursive: true, mode: 0o700 });
}

/** Once the reports are written, the parts are not needed. */
export const removeParts = (outDir: string) => rmSync(partsDir(outDir), { recursive: true, force: true });

export const appendResult = (outDir: string, result: UnitResult) => append(file(outDir, "results.jsonl"), result);
export const readResults = (outDir: string): UnitResult[] => lines(file(outDir, "results.jsonl"));

/** Records, once, why the target cannot be tested; later reasons are dropped. */
export function markTargetDown(outDir: string, reason: string): void {
  mkdirSync(partsDir(outDir), { recursive: true });
  try {
    writeFileSync(file(outDir, "target-down"), reason, { flag: "wx" });
  } catch {
    // another process said it first
  }
}

export function targetDown(outDir: string): string | undefined {
  const path = file(outDir, "target-down");
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

const scenarioFile = (outDir: string, title: string) => file(outDir, `scenario-${createHash("sha1").update(title).digest("hex")}.json`);

export function cachedScenario(outDir: string, title: string): UnitResult | undefined {
  const path = scenarioFile(outDir, title);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as UnitResult) : undefined;
}

export function cacheScenario(outDir: string, title: string, result: UnitResult): void {
  mkdirSync(partsDir(outDir), { recursive: true });
  writeFileSync(scenarioFile(outDir, title), JSON.stringify(result));
}

export function appendLeftovers(outDir: string, left: Leftover[]): void {
  if (left.length) append(file(outDir, "leftovers.jsonl"), left);
}
export const readLeftovers = (outDir: string): Leftover[] => lines<Leftover[]>(file(outDir, "leftovers.jsonl")).flat();

/** Each process appends to its own part, so no two writers share a file. */
export const appendExchange = (outDir: string, e: RecordedExchange) => append(file(outDir, `exchanges-${process.pid}.jsonl`), e);

/** The exchanges of every process of the run, in the order they were sent. */
export function readExchanges(outDir: string): RecordedExchange[] {
  const dir = partsDir(outDir);
  const parts = existsSync(dir) ? readdirSync(dir).filter((f) => /^exchanges-\d+\.jsonl$/.test(f)).sort() : [];
  const all = parts.flatMap((p) => lines<RecordedExchange>(join(dir, p)));
  // ISO timestamps of one clock sort as text; sort is stable, so a process's own order breaks ties.
  return all.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}
