/**
 * The settings a run hands to its Playwright workers (through one environment variable), and the
 * where-to-write conventions shared by the CLI and the reporter.
 */
import { join } from "node:path";
import type { Target } from "../core/target.ts";

export interface RunSettings {
  target: Target;
  seed: number;
  profile: "smoke" | "full";
  /** Generated examples per operation and family. */
  examples: number;
  /** Spec files by API. */
  specs: { "managed-deep-agents"?: string; "agent-server"?: string };
  waiverFiles: string[];
  outDir: string;
  /** Tag put into the metadata of every resource the run creates. */
  tag: string;
  /** The CLI process: when it is gone (even killed), the runner stops too. */
  ownerPid: number;
  /** Set when this run is one shard of several (`--shard i/n`): Playwright then also writes a blob report. */
  shard?: string;
}

export const SETTINGS_ENV = "AGENTWIRE_RUN_SETTINGS";

export function readSettings(): RunSettings {
  const raw = process.env[SETTINGS_ENV];
  if (!raw) throw new Error(`${SETTINGS_ENV} is not set: run the suite through \`agentwire run\``);
  return JSON.parse(raw) as RunSettings;
}

/** Where the Playwright reporter leaves the merged unit results for the CLI. */
export const partsFile = (outDir: string) => join(outDir, ".parts", "playwright.json");

/** Where a sharded run leaves its Playwright blob report, for `agentwire merge`. */
export const blobDir = (outDir: string) => join(outDir, "playwright-blob");
