/**
 * The multitask part of the load phase: concurrent runs on shared Agent Server threads under every
 * multitask_strategy at once, judged run by run. Its findings join the run's findings (and its waivers);
 * the load phase deletes the threads it creates.
 */
import { clientFor } from "../../core/client.ts";
import { curl } from "../../core/reproducer.ts";
import { paceConfig, type Target } from "../../core/target.ts";
import { fingerprintOf } from "../../results/fingerprint.ts";
import type { Finding } from "../../results/finding.ts";
import type { Gate, MultitaskSummary } from "../../results/summary.ts";
import { runMultitaskLoad } from "./run.ts";

const CREATE_RUN = "create_run_threads__thread_id__runs_post";

const PROFILES = {
  smoke: { threadsPerStrategy: 2, runsPerThread: 4, deadlineMs: 30_000 },
  full: { threadsPerStrategy: 4, runsPerThread: 8, deadlineMs: 60_000 },
} as const;
/** Send gaps: short enough that later runs find earlier ones pending, long enough that some find them running. */
const GAP_MS: [number, number] = [10, 150];

export interface MultitaskPhaseOutput {
  multitask: MultitaskSummary | null;
  findings: Finding[];
  /** Set when the bursts could not be run to the end: a part that did not run must not pass quietly. */
  gate?: Gate;
  note?: string;
}

export async function runMultitaskPhase(s: {
  target: Target;
  profile: keyof typeof PROFILES;
  seed: number;
  allowHosts: string[];
  tag: string;
  signal: AbortSignal;
  log(line: string): void;
  /** Told of every Agent Server thread created, for the load phase's cleanup. */
  onThread(threadId: string): void;
}): Promise<MultitaskPhaseOutput> {
  const { target, log } = s;
  const client = clientFor(target, "agent-server", { signal: s.signal });
  // Runs go only to the graph that plays the agent role: the embedded reference's, or the one the user named.
  const assistantId = target.graphs?.agent ?? (target.managedUrl ? undefined : target.agentId);
  if (!client || !assistantId) {
    const why = !client ? "the target has no Agent Server URL (--agent-server)" : "no assistant or graph to run was named (--graph agent=ID)";
    const note = `multitask under load not run: ${why}`;
    log(`load: ${note}`);
    return { multitask: null, findings: [], note };
  }
  const profile = PROFILES[s.profile];
  log(`load: multitask — ${profile.threadsPerStrategy} threads per strategy × ${profile.runsPerThread} runs each, ${GAP_MS[0]}–${GAP_MS[1]} ms apart, all four strategies at once`);
  try {
    const result = await runMultitaskLoad({
      ...profile,
      client,
      assistantId,
      gapMs: GAP_MS,
      seed: s.seed,
      metadata: { agentwire: s.tag },
      // The reference's scripted model: runs of ~0.2 s, so bursts overlap them.
      runConfig: target.knobs ? paceConfig(target.knobs, { tokens: 20, delayMs: 10 }) : undefined,
      onThread: s.onThread,
      allowHosts: s.allowHosts,
      signal: s.signal,
    });
    for (const o of result.outcomes) {
      const failed = o.checks.filter((c) => c.verdict === "failed").map((c) => c.check);
      log(`  ${o.strategy}: ${o.created}/${o.runsSent} created, ${Object.entries(o.fates).map(([k, n]) => `${n} ${k}`).join(", ")}${failed.length ? ` — findings in ${failed.join(", ")} (before waivers)` : ""}`);
    }
    const findings = result.problems.map(
      (p): Finding => ({ fingerprint: fingerprintOf({ check: p.check, spec: "agent-server", operationId: CREATE_RUN, message: p.message, strategy: p.strategy }), check: p.check, spec: "agent-server", operationId: CREATE_RUN, message: p.message, ...(p.strategy ? { strategy: p.strategy } : {}), unit: { scenario: "multitask under load" }, replay: { seed: s.seed }, reproducer: curl(p.request) }),
    );
    return {
      multitask: { ...profile, gapMs: GAP_MS, seed: s.seed, wallMs: Math.round(result.wallMs), strategies: result.outcomes },
      findings,
    };
  } catch (error) {
    if (s.signal.aborted) return { multitask: null, findings: [], note: "multitask under load interrupted" };
    const detail = `multitask under load could not run: ${(error as Error).message}`;
    log(`load: ${detail}`);
    return { multitask: null, findings: [], gate: { name: "load_multitask_ran", passed: false, detail }, note: detail };
  }
}
