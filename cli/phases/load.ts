/**
 * The load phase of `run`: a short concurrency sweep of streamed runs against one API, the highest
 * concurrency that meets the TTFT SLO, and a gate on that SLO. Threads and agents it creates are tagged and
 * deleted afterwards. Then concurrent runs on shared threads under every multitask_strategy (./multitask.ts).
 */
import { request } from "undici";
import type { Target } from "../../core/target.ts";
import type { Gate, LoadResult, Percentiles } from "../../reports/summary.ts";
import { assertAllowedTarget } from "../../load/driver/safety.ts";
import { agentServerScenario, managedScenario, type Scenario } from "../../load/driver/scenario.ts";
import { closedLoopStep, sweep, type SweepResult, type SweepStep } from "../../load/sweep.ts";
import type { SloSpec } from "../../load/metrics/slo.ts";
import type { LatencySummary } from "../../load/metrics/histogram.ts";
import { METRIC_DEFINITIONS } from "../../load/metrics/definitions.ts";
import type { Finding } from "../../core/finding.ts";
import type { RunConfig } from "../args.ts";
import { runMultitaskPhase } from "./multitask.ts";

export interface LoadPhaseInput {
  config: RunConfig;
  target: Target;
  signal: AbortSignal;
  log(line: string): void;
}

export interface LoadPhaseOutput {
  ran: boolean;
  load: LoadResult | null;
  gates: Gate[];
  /** Findings of the multitask part (waivers are applied with everyone else's). */
  findings: Finding[];
  note?: string;
}

/** The default objective: p95 time to first token at most 2 s (runs of the reference take ~0.1–0.6 s). */
export const DEFAULT_SLO = { ttft_p95_ms: 2000 };

const PROFILES = {
  smoke: { levels: [1, 2, 4, 8], durationMs: 3000, maxRequests: 60 },
  full: { levels: [1, 2, 4, 8, 16, 32, 64], durationMs: 10_000, maxRequests: 2000 },
} as const;

// The reference's scripted model: 20 tokens, 10 ms apart.
const MODEL = { tokens: 20, delayMs: 10 };

export async function runLoadPhase(input: LoadPhaseInput): Promise<LoadPhaseOutput> {
  const { target, config, log } = input;
  const api = target.managedUrl ? "managed" : "agent-server";
  const baseUrl = (api === "managed" ? target.managedUrl : target.agentServerUrl)!;
  try {
    assertAllowedTarget(baseUrl, config.allowHosts);
  } catch (error) {
    return skip(log, `${(error as Error).message}`);
  }
  if (!target.embedded && !target.agentId) return skip(log, "load on a remote target needs --agent-id (an agent or assistant to run; the suite will not create one that calls a real model)");

  const tag = `agentwire-${config.seed}-${process.pid}`;
  const created: string[] = [];
  // Threads of the multitask part live on the Agent Server whichever API the sweep used.
  const serverThreads: string[] = [];
  const setup = await prepare(target, api, tag);
  try {
    const base: Scenario = api === "managed"
      ? managedScenario({ baseUrl, apiKey: target.apiKey ?? "", agentId: setup.agentId, model: target.embedded ? MODEL : undefined, metadata: { agentwire: tag } })
      : agentServerScenario({ baseUrl, assistantId: setup.agentId, model: target.embedded ? MODEL : undefined, metadata: { agentwire: tag } });
    // Remember every thread the load creates, to delete it afterwards.
    const scenario: Scenario = { ...base, createThread: async (d, s) => { const id = await base.createThread(d, s); created.push(id); return id; } };
    const profile = PROFILES[config.profile];
    log(`load: ${api} API, closed-loop sweep at concurrency ${profile.levels.join(", ")} (≤ ${profile.durationMs / 1000} s and ${profile.maxRequests} runs per step), SLO p95 TTFT ≤ ${DEFAULT_SLO.ttft_p95_ms} ms`);
    // Steps measured so far: an interrupt between steps keeps them (the sweep itself would discard them).
    const measured: SweepStep[] = [];
    let validatedSlo: SloSpec = DEFAULT_SLO;
    let result: SweepResult;
    let note: string | undefined;
    try {
      result = await sweep({
        slo: DEFAULT_SLO,
        levels: [...profile.levels],
        measure: async (concurrency, slo) => {
          validatedSlo = slo;
          if (input.signal.aborted) throw new Interrupted();
          const summary = await closedLoopStep({ scenario, durationMs: profile.durationMs, maxRequests: profile.maxRequests, allowHosts: config.allowHosts, graceMs: 15_000 })(concurrency, slo);
          log(`  concurrency ${concurrency}: ${summary.runs.ok}/${summary.runs.finished} ok, TTFT p95 ${summary.latency_ms.ttft.p95.toFixed(0)} ms, ${summary.output_tokens_per_s.toFixed(0)} tokens/s${summary.slo_ok ? "" : " — SLO broken"}`);
          measured.push({ concurrency, summary, checks: summary.slo_checks, ok: summary.slo_ok });
          return summary;
        },
      });
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
      if (!measured.length) return skip(log, "interrupted before the first step");
      // The sweep stops at the first broken step, so every step it went on from met the SLO.
      result = { maxConcurrencyWithinSlo: measured.at(-1)!.concurrency, slo: validatedSlo, steps: measured };
      note = `interrupted after concurrency ${result.maxConcurrencyWithinSlo}`;
    }
    const reported = result.steps.find((s) => s.concurrency === result.maxConcurrencyWithinSlo) ?? result.steps[0]!;
    const m = reported.summary.latency_ms;
    const load: LoadResult = {
      api,
      slo: result.slo,
      measuredAtConcurrency: reported.concurrency,
      metrics: {
        time_to_headers_ms: pct(m.time_to_headers),
        time_to_first_event_ms: pct(m.time_to_first_event),
        ttft_ms: pct(m.ttft),
        itl_ms: pct(m.itl),
        tpot_ms: pct(m.tpot),
        e2e_ms: pct(m.e2e),
      },
      maxConcurrencyWithinSlo: result.maxConcurrencyWithinSlo,
      throughput: { runs_per_s: reported.summary.runs_per_s, output_tokens_per_s: reported.summary.output_tokens_per_s, goodput_per_s: reported.summary.goodput.per_s },
      errors: reported.summary.errors,
      sweep: result.steps.map((s) => ({ concurrency: s.concurrency, ok: s.ok, runs: s.summary.runs, ttft_p95_ms: s.summary.latency_ms.ttft.p95, checks: s.checks })),
      definitions: METRIC_DEFINITIONS,
    };
    const first = result.steps[0]!;
    const gate: Gate = {
      name: "load_ttft_slo",
      passed: result.maxConcurrencyWithinSlo >= 1,
      detail: `p95 TTFT ${first.summary.latency_ms.ttft.p95.toFixed(0)} ms at concurrency 1 (SLO ≤ ${DEFAULT_SLO.ttft_p95_ms} ms, error rate ≤ 1%); highest concurrency within SLO: ${result.maxConcurrencyWithinSlo}`,
    };
    if (input.signal.aborted) return { ran: true, load, gates: [gate], findings: [], note };
    const multitask = await runMultitaskPhase({ config, target, tag, signal: input.signal, log, onThread: (id) => serverThreads.push(id) });
    if (multitask.multitask) load.multitask = multitask.multitask;
    const notes = [note, multitask.note].filter(Boolean).join("; ");
    return { ran: true, load, gates: multitask.gate ? [gate, multitask.gate] : [gate], findings: multitask.findings, note: notes || undefined };
  } finally {
    await cleanup(target, api, created, setup.createdAgent ? setup.agentId : undefined);
    await cleanup(target, "agent-server", serverThreads, undefined);
  }
}

function skip(log: (line: string) => void, why: string): LoadPhaseOutput {
  log(`load: not run — ${why}`);
  return { ran: false, load: null, gates: [], findings: [], note: `not run: ${why}` };
}

class Interrupted extends Error {}

const pct = (s: LatencySummary): Percentiles => ({ p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99, p999: s.p999, count: s.count });

/** On the embedded reference the phase makes its own agent; elsewhere it runs the one the user named. */
async function prepare(target: Target, api: "managed" | "agent-server", tag: string): Promise<{ agentId: string; createdAgent: boolean }> {
  if (target.agentId) return { agentId: target.agentId, createdAgent: false };
  if (api === "agent-server") return { agentId: "deep", createdAgent: false };
  const res = await request(`${target.managedUrl}/agents`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": target.apiKey ?? "" },
    body: JSON.stringify({ name: `agentwire load ${tag}`, extras: { agentwire: tag } }),
  });
  const body = (await res.body.json()) as { id?: string };
  if (res.statusCode !== 201 || !body.id) throw new Error(`load setup: creating an agent answered ${res.statusCode}`);
  return { agentId: body.id, createdAgent: true };
}

async function cleanup(target: Target, api: "managed" | "agent-server", threads: string[], agentId: string | undefined) {
  const base = api === "managed" ? target.managedUrl : target.agentServerUrl;
  const headers = api === "managed" ? { "x-api-key": target.apiKey ?? "" } : {};
  const del = async (path: string) => {
    try {
      await (await request(`${base}${path}`, { method: "DELETE", headers })).body.dump();
    } catch {
      // Best effort: a resource that cannot be deleted is left, never retried forever.
    }
  };
  for (let i = 0; i < threads.length; i += 16) await Promise.all(threads.slice(i, i + 16).map((t) => del(`/threads/${t}`)));
  if (agentId) await del(`/agents/${agentId}`);
}
