/**
 * The contract and streams phases: Playwright runs the units; its reporter hands each result back as the
 * test ends. Playwright runs in a process group of its own, so a signal to the CLI's group reaches it only
 * through the CLI (as an orderly SIGINT); its output passes through redaction on the way to the console.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { Leftover } from "../../core/cleanup.ts";
import { limits } from "../../core/limits.ts";
import { lineRedactor } from "../../core/redact.ts";
import type { Target } from "../../core/target.ts";
import { WALK_BOUNDS } from "../../contract/engine/walk-bounds.ts";
import { mergeResults, type UnitResult } from "../../results/recorder.ts";
import { SETTINGS_FILE_ENV, writeSettings, type RunSettings } from "../../runner/settings.ts";
import { readExchanges, readLeftovers, readResults, resetParts, targetDown } from "../../runner/shared.ts";
import { writeRecord } from "../../reporters/record.ts";
import type { Waiver } from "../../results/waivers.ts";
import type { RunConfig } from "../args.ts";
import { CliError } from "../exit-codes.ts";
import { trackGroup, untrackGroup } from "../interrupt.ts";
import { PACKAGE_ROOT, packageInfo } from "../package-info.ts";
import type { SpecFiles } from "../specs.ts";

export interface ConformanceInput {
  config: RunConfig;
  target: Target;
  specs: SpecFiles;
  waivers: { files: string[]; waivers: Waiver[] };
  phases: ("contract" | "streams")[];
  /** Put into the metadata of every resource the run creates. */
  tag: string;
  signal: AbortSignal;
  log(line: string): void;
}

export interface ConformanceOutput {
  result: UnitResult;
  /** Why the target could not be tested, when a process of the runner found it unusable. */
  unusable?: string;
  /** What the runner's cleanups could not delete. */
  leftovers: Leftover[];
}

export const GREP_ENV = "AGENTWIRE_GREP";

/**
 * Conformance units at once. The units wait on the target, not on the CPU (about 90 % of their time), so the
 * embedded reference takes four at a time; a remote one two, as a staging server may rate-limit (a 429 is
 * waited out as its Retry-After says).
 */
// The units mostly wait on the target; on the embedded reference 6 beat 4 by 5 s idle and 9 s on a busy
// machine (contract + streams, 2 cores, 2026-12-02/03).
const DEFAULT_WORKERS = { embedded: 6, remote: 2 } as const;

/** Examples per operation and family: smoke is a quick gate, full is a thorough property run. */
const EXAMPLES = { smoke: 5, full: 100 } as const;

/** After an interrupt, Playwright gets this long to clean up and write its report before it is killed. */
const graceMs = () => limits().cleanupBudgetMs + 15_000;

/** What the runner has reported so far (also after a hard stop: each result is written as its test ends). */
export function conformanceSoFar(outDir: string): ConformanceOutput {
  const result = mergeResults(readResults(resolve(outDir)));
  const unusable = targetDown(resolve(outDir));
  return { result, leftovers: readLeftovers(resolve(outDir)), ...(unusable ? { unusable } : {}) };
}

export async function runConformance(input: ConformanceInput): Promise<ConformanceOutput> {
  const { config } = input;
  const outDir = resolve(config.outDir);
  const settings: RunSettings = {
    target: input.target,
    seed: config.seed,
    profile: config.profile,
    examples: EXAMPLES[config.profile],
    walks: WALK_BOUNDS[config.profile],
    specs: input.specs,
    waiverFiles: input.waivers.files,
    inlineWaivers: input.config.inlineWaivers,
    verbose: input.config.verbose,
    outDir,
    tag: input.tag,
    ownerPid: process.pid,
    shard: config.shard,
    record: config.record !== undefined,
    ...(config.responseTimeMs !== undefined ? { responseTimeMs: config.responseTimeMs } : {}),
  };
  resetParts(outDir);
  const cli = join(createRequire(import.meta.url).resolve("@playwright/test/package.json"), "..", "cli.js");
  // tsx, as for the CLI: Playwright does not compile TypeScript inside node_modules, where an installed suite lives.
  const args = ["--import", "tsx", cli, "test", "--config", join(PACKAGE_ROOT, "runner", "playwright.config.ts"), ...(input.phases.length === 1 ? [`${input.phases[0]}\\.spec\\.ts$`] : [])];
  args.push("--workers", String(config.workers ?? DEFAULT_WORKERS[input.target.embedded ? "embedded" : "remote"]));
  if (config.shard) args.push("--shard", config.shard);
  const grep = unitFilter(config, process.env[GREP_ENV]);
  if (grep) args.push("--grep", grep, "--pass-with-no-tests");

  const settingsFile = writeSettings(settings);
  // The settings hold the key: they go even when a second interrupt ends the process at once.
  process.once("exit", settingsFile.remove);
  let code: number | null = null;
  try {
    const color = process.stdout.isTTY ? { FORCE_COLOR: "1" } : {};
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...color, [SETTINGS_FILE_ENV]: settingsFile.file } });
    trackGroup(child.pid!);
    const out = lineRedactor((t) => process.stdout.write(t));
    const err = lineRedactor((t) => process.stderr.write(t));
    child.stdout.on("data", out.write);
    child.stderr.on("data", err.write);
    let killer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      signal(child.pid!, "SIGINT");
      killer = setTimeout(() => signal(child.pid!, "SIGKILL"), graceMs());
    };
    input.signal.addEventListener("abort", onAbort);
    code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    clearTimeout(killer);
    input.signal.removeEventListener("abort", onAbort);
    untrackGroup(child.pid!);
    // Whatever it left (a worker that ignored the stop) goes with it.
    signal(child.pid!, "SIGKILL");
    out.end();
    err.end();
  } finally {
    settingsFile.remove();
    process.off("exit", settingsFile.remove);
  }

  const output = conformanceSoFar(outDir);
  if (config.record) saveRecord(config.record, outDir, input.log);
  const { result } = output;
  const reported = result.operations.length + result.notJudged.length + result.streams.length + result.findings.length;
  if (!input.signal.aborted) {
    if (reported === 0 && grep && code === 0) throw new CliError(`${config.grep ? `--grep ${config.grep}` : "--operation"}: no unit of ${input.phases.join(" or ")} matches (unit titles read "<api> › <operationId> › <family>", "<api> › flow › <title>", "<api> › stream mode <mode>")`);
    if (reported === 0) throw new CliError(`the conformance runner (Playwright) exited with ${code} and produced no results`, 70);
    // Units it never reported were not judged: a runner that died half way must not leave a pass.
    if (code !== 0 && code !== 1) result.notJudged.push({ unit: "conformance runner", reason: `Playwright exited with ${code} before every unit had reported`, cause: "suite" });
  }
  return output;
}

/** What the workers recorded, merged in the order it was sent, into the one file --record names. */
function saveRecord(record: NonNullable<RunConfig["record"]>, outDir: string, log: (line: string) => void): void {
  const file = recordFile(record, outDir);
  try {
    const n = writeRecord(record.format, file, readExchanges(outDir), packageInfo());
    log(`record: ${n} exchanges of the contract and streams phases in ${file}`);
  } catch (error) {
    log(`note: the record of exchanges could not be written to ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const recordFile = (record: NonNullable<RunConfig["record"]>, outDir: string) => record.file ?? join(outDir, `exchanges.${record.format}`);

/**
 * One Playwright --grep for the units asked for: `--operation ID` selects that operation's units (titled
 * "<api> › <operationId> › <family>"), `--grep` any title; the project's own tests narrow runs with
 * AGENTWIRE_GREP. All given must match.
 */
export function unitFilter(config: Pick<RunConfig, "operations" | "grep">, testGrep: string | undefined): string | undefined {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const parts = [
    ...(config.operations.length ? [`› (${config.operations.map(escape).join("|")})(?![\\w-])`] : []),
    // Playwright matches a test's titles joined by spaces; units are named with " › " between them.
    ...(config.grep ? [config.grep.replaceAll(" › ", " (?:› )?")] : []),
    ...(testGrep ? [testGrep] : []),
  ];
  if (parts.length <= 1) return parts[0];
  return parts.map((p) => `(?=.*${p.startsWith("^") ? p.slice(1) : p})`).join("");
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pid, name);
  } catch {
    // the group is gone
  }
}
