/**
 * The settings a run hands to its Playwright workers, and the where-to-write conventions shared by the CLI
 * and the reporter. Settings hold the target's key, so they travel in a file only the user can read (0600,
 * in a private folder), never in argv or the environment; the environment carries only the file's path.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SpecId, Target } from "../core/target.ts";
import type { Waiver } from "../results/waivers.ts";

export interface RunSettings {
  target: Target;
  seed: number;
  profile: "smoke" | "full";
  /** Generated examples per operation and family. */
  examples: number;
  /** Spec files by API. */
  specs: Partial<Record<SpecId, string>>;
  waiverFiles: string[];
  /** Waivers written in the config file (already validated). */
  inlineWaivers?: Waiver[];
  outDir: string;
  /** Tag put into the metadata of every resource the run creates. */
  tag: string;
  /** The CLI process: when it is gone (even killed), the runner stops too. */
  ownerPid: number;
  /** Playwright's per-test list on the console instead of one progress line per phase. */
  verbose?: boolean;
  /** Every exchange goes to the run's parts, for the record the CLI writes (`--record`). */
  record?: boolean;
  /** The response-time limit in ms (`--response-time`); the response_time check is off without it. */
  responseTimeMs?: number;
  /** Set when this run is one shard of several (`--shard i/n`): Playwright then also writes a blob report. */
  shard?: string;
}

export const SETTINGS_FILE_ENV = "AGENTWIRE_RUN_SETTINGS_FILE";

/** Writes the settings for the workers; returns the file and a function that removes it. */
export function writeSettings(settings: RunSettings): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "agentwire-run-"));
  const file = join(dir, "settings.json");
  writeFileSync(file, JSON.stringify(settings), { mode: 0o600 });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readSettings(): RunSettings {
  const file = process.env[SETTINGS_FILE_ENV];
  if (!file) throw new Error(`${SETTINGS_FILE_ENV} is not set: run the suite through \`agentwire run\``);
  return JSON.parse(readFileSync(file, "utf8")) as RunSettings;
}

/** Where a sharded run leaves its Playwright blob report, for `agentwire merge`. */
export const blobDir = (outDir: string) => join(outDir, "playwright-blob");
