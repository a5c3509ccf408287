/**
 * Concurrent runs on shared threads under every multitask_strategy at once: for each strategy, several
 * threads each receive a burst of runs, all bursts in flight together, and every burst is judged by the
 * checks in ./checks.ts. Bounded: a fixed number of runs, and a deadline per burst.
 */
import { Agent } from "undici";
import type { HttpRequest } from "../../core/exchange.ts";
import type { Violation } from "../../results/finding.ts";
import type { StrategyOutcome } from "../../results/summary.ts";
import { seededRandom } from "../../core/random.ts";
import { MULTITASK_CHECKS, MULTITASK_CHECK_NAMES } from "./checks.ts";
import { observeBurst, STRATEGIES, type BurstOptions, type Strategy, type ThreadObservation } from "./observe.ts";

export interface MultitaskLoadOptions extends Pick<BurstOptions, "client" | "assistantId" | "gapMs" | "deadlineMs" | "metadata" | "runConfig" | "onThread" | "allowHosts" | "signal"> {
  threadsPerStrategy: number;
  runsPerThread: number;
  /** Seeds the send gaps, so a burst can be replayed with the same schedule. */
  seed: number;
  strategies?: readonly Strategy[];
}

export interface MultitaskProblem extends Violation {
  /** The create request of the thread's burst, for the reproducer. */
  request: HttpRequest;
}

export interface MultitaskLoadResult {
  outcomes: StrategyOutcome[];
  problems: MultitaskProblem[];
  wallMs: number;
}

export async function runMultitaskLoad(o: MultitaskLoadOptions): Promise<MultitaskLoadResult> {
  const strategies = o.strategies ?? STRATEGIES;
  const dispatcher = new Agent({ connections: 64 });
  const started = performance.now();
  try {
    const bursts = strategies.flatMap((strategy, s) =>
      Array.from({ length: o.threadsPerStrategy }, (_, t) =>
        observeBurst({ ...o, client: o.client.with({ dispatcher }), strategy, runs: o.runsPerThread, random: seededRandom(o.seed * 1009 + s * 97 + t) }),
      ),
    );
    const observations = await Promise.all(bursts);
    const problems: MultitaskProblem[] = [];
    const outcomes = strategies.map((strategy) => {
      const mine = observations.filter((x) => x.strategy === strategy);
      const found = mine.flatMap((x) => MULTITASK_CHECKS.flatMap((check) => check(x)).map((v) => ({ ...v, request: x.template })));
      problems.push(...found);
      return outcomeOf(strategy, mine, found);
    });
    return { outcomes, problems, wallMs: performance.now() - started };
  } finally {
    await dispatcher.close();
  }
}

function outcomeOf(strategy: Strategy, observations: ThreadObservation[], problems: Violation[]): StrategyOutcome {
  const runs = observations.flatMap((x) => x.runs);
  const fates: Record<string, number> = {};
  for (const r of runs) if (r.runId) fates[r.fate ?? "unknown"] = (fates[r.fate ?? "unknown"] ?? 0) + 1;
  return {
    strategy,
    threads: observations.length,
    runsSent: runs.length,
    created: runs.filter((r) => r.runId).length,
    refused: runs.filter((r) => !r.runId).length,
    fates,
    maxRunningOnOneThread: Math.max(0, ...observations.map((x) => x.maxRunning)),
    checks: MULTITASK_CHECK_NAMES.map((check) => ({ check, verdict: problems.some((p) => p.check === check) ? "failed" : "passed" })),
    timeline: observations.map((x) =>
      x.runs.map((r) => ({
        index: r.index,
        sentAtMs: r.sentAtMs,
        status: r.createStatus,
        ...(r.answeredAtMs !== undefined ? { answeredAtMs: r.answeredAtMs } : {}),
        ...(r.runningSeenAtMs !== undefined ? { runningAtMs: r.runningSeenAtMs } : {}),
        ...(r.endSeenAtMs !== undefined ? { endedAtMs: r.endSeenAtMs } : {}),
        ...(r.fate ? { fate: r.fate } : {}),
      })),
    ),
  };
}
