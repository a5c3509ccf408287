/**
 * One run of the real CLI against a hostile target, measured: exit code, wall time, peak memory, whether the
 * canary key leaked into any output, and whether any process it started outlived it.
 */
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, descendants, eventually, isAlive, killTree, startCli, tempDir, watchMemory, type Finished, type MemoryPeak, type Proc } from "../cli/harness.ts";
import { filesContaining } from "./leaks.ts";

export const CANARY = "sk-canary-7f3a9c2e51";

/** Short bounds, so every behaviour ends in seconds (the defaults allow minute-long runs of real servers). */
export const TEST_LIMITS = "probeTimeoutMs=2000,setupTimeoutMs=2000,requestTimeoutMs=2000,streamDeadlineMs=4000,streamIdleMs=1500,cleanupBudgetMs=3000";

export interface HostileRun extends Finished {
  wallMs: number;
  memory: MemoryPeak;
  /** Files (and report entries) under --out holding the canary key. */
  leaks: string[];
  /** Processes the run started that were still alive 5 s after it ended. */
  survivors: Proc[];
  summary: any;
}

/**
 * Runs `agentwire run ARGS --api-key-file … --workers 1 --out …` (`grep` narrows it to some units); stops it
 * (a failure) after `timeoutMs`. One worker keeps the run's processes together well under the memory bound.
 */
export async function runAgainst(args: string[], timeoutMs: number, grep?: string): Promise<HostileRun> {
  const out = tempDir("agentwire-hostile-");
  try {
    const keyFile = join(out.dir, "key");
    writeFileSync(keyFile, `${CANARY}\n`);
    chmodSync(keyFile, 0o600);
    const reports = join(out.dir, "reports");
    const started = performance.now();
    const cli = startCli(["run", ...args, "--api-key-file", keyFile, "--workers", "1", "--out", reports], cleanEnv({ AGENTWIRE_LIMITS: TEST_LIMITS, ...(grep ? { AGENTWIRE_GREP: grep } : {}) }));
    const memory = watchMemory(cli.pid);
    const seen = new Map<number, Proc>();
    const census = setInterval(() => descendants(cli.pid).forEach((p) => seen.set(p.pid, p)), 200);
    const timer = setTimeout(() => killTree(cli, [...seen.values()]), timeoutMs);
    const end = await cli.exited;
    const wallMs = performance.now() - started;
    clearTimeout(timer);
    clearInterval(census);
    const peak = memory.stop();
    await eventually(() => ![...seen.values()].some(isAlive), 5000);
    const survivors = [...seen.values()].filter(isAlive);
    for (const p of survivors) process.kill(p.pid, "SIGKILL");
    let summary: unknown;
    try {
      summary = JSON.parse(readFileSync(join(reports, "summary.json"), "utf8"));
    } catch {
      summary = undefined;
    }
    const leaks = [...filesContaining(out.dir, CANARY).filter((f) => f !== keyFile), ...(`${end.stdout}${end.stderr}`.includes(CANARY) ? ["stdout/stderr"] : [])];
    return { ...end, wallMs, memory: peak, leaks, survivors, summary };
  } finally {
    out.remove();
  }
}
