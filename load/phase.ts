/**
 * The load phase: a short concurrency sweep of streamed runs against one API, the highest concurrency that
 * meets the TTFT SLO, and a gate on that SLO; then concurrent runs on shared threads under every
 * multitask_strategy (./multitask/phase.ts). Agents and threads it creates are tagged and deleted afterwards.
 */
import { availableParallelism, loadavg } from "node:os";
import { removeAll, type Leftover, type Removal } from "../core/cleanup.ts";
import { clientFor, type ApiClient } from "../core/client.ts";
import { setupCall } from "../core/setup.ts";
import { paceConfig, type ModelPace, type SpecId, type Target } from "../core/target.ts";
import type { Finding } from "../results/finding.ts";
import type { Gate, JsonLoadSummary, LoadReport, LoadStep, Percentiles } from "../results/summary.ts";
import { assertAllowedTarget } from "./driver/safety.ts";
import { agentServerScenario, managedScenario, type LoadScenario } from "./driver/scenario.ts";
import { jsonEndpoints, runJsonLoad } from "./json-load.ts";
import { METRIC_DEFINITIONS } from "./metrics/definitions.ts";
import type { LatencySummary } from "./metrics/histogram.ts";
import type { SloSpec } from "./metrics/slo.ts";
import { runMultitaskPhase } from "./multitask/phase.ts";
import { runLoad } from "./driver/driver.ts";
import type { CollectorShard, LoadSummary, MetricsCollector } from "./metrics/collector.ts";
import { sweep, type SweepResult, type SweepStep } from "./sweep.ts";
import { DEFAULT_THRESHOLDS, judgeThresholds, LATENCY_METRICS, sweepSlo, thresholdsOf, type Threshold } from "./thresholds.ts";

export type LoadProfile = "smoke" | "full";

export interface LoadPhaseSettings {
  target: Target;
  profile: LoadProfile;
  seed: number;
  /** Hosts other than loopback that may receive load. */
  allowHosts: string[];
  /** Put into the metadata of everything the phase creates. */
  tag: string;
  /** Worker threads of the load driver (default: see LoadOptions.workers). */
  workers?: number;
  signal: AbortSignal;
  log(line: string): void;
  /** Gates on the load metrics, judged on the sweep's first step (default: DEFAULT_THRESHOLDS). */
  thresholds?: Threshold[];
  /** Overrides of the profile's sweep: levels, duration and run cap per step. */
  shape?: { levels?: number[]; durationMs?: number; maxRequests?: number };
}

export interface LoadPhaseOutput {
  ran: boolean;
  load: LoadReport | null;
  gates: Gate[];
  /** Findings of the multitask part (waivers are applied with everyone else's). */
  findings: Finding[];
  /** What the phase made and could not delete. */
  leftovers: Leftover[];
  note?: string;
}

/** The sweep's objective when the thresholds give none it can use: p95 time to first token at most 2 s. */
const FALLBACK_SLO = { ttft_p95_ms: 2000 };

const PROFILES: Record<LoadProfile, { levels: number[]; durationMs: number; maxRequests: number }> = {
  smoke: { levels: [1, 2, 4, 8], durationMs: 3000, maxRequests: 60 },
  full: { levels: [1, 2, 4, 8, 16, 32, 64], durationMs: 10_000, maxRequests: 2000 },
};

/** Reads of the JSON endpoints: per endpoint, a bounded burst at a fixed number of connections. */
const JSON_PROFILES: Record<LoadProfile, { durationS: number; connections: number; maxRequests: number }> = {
  smoke: { durationS: 1, connections: 4, maxRequests: 400 },
  full: { durationS: 5, connections: 16, maxRequests: 20_000 },
};
/** The JSON endpoints' objective: each endpoint's p95 and its share of failed requests. */
const JSON_SLO = { p95_ms: 1000, failure_rate: 0.01 };

/** The embedded references' scripted model during load: 20 tokens, 10 ms apart. */
const PACE: ModelPace = { tokens: 20, delayMs: 10 };

class Interrupted extends Error {}

export async function runLoadPhase(s: LoadPhaseSettings): Promise<LoadPhaseOutput> {
  const { target, log } = s;
  const spec: SpecId = target.managedUrl ? "managed-deep-agents" : "agent-server";
  const client = clientFor(target, spec, { signal: s.signal })!;
  try {
    assertAllowedTarget(client.baseUrl, s.allowHosts);
  } catch (error) {
    return skip(log, (error as Error).message);
  }
  const named = spec === "managed-deep-agents" ? target.agentId : (target.graphs?.deep ?? target.graphs?.agent ?? target.agentId);
  if (!target.embedded && !named) {
    const flag = spec === "managed-deep-agents" ? "--agent-id (an agent)" : "--graph deep=ID or --graph agent=ID (an assistant or graph)";
    return skip(log, `load on a remote target runs only what you name: pass ${flag}; the suite will not run one that calls a real model on its own`);
  }

  const created: string[] = [];
  // Threads of the multitask part live on the Agent Server whichever API the sweep used.
  const serverThreads: string[] = [];
  let agent: { id: string; created: boolean };
  try {
    agent = await prepareAgent(target, spec, client, s.tag);
  } catch (error) {
    const detail = `the load phase could not create its agent: ${(error as Error).message}`;
    log(`load: ${detail}`);
    return { ran: false, load: null, gates: [{ name: "load_ttft_slo", passed: false, detail }], findings: [], leftovers: [], note: detail };
  }
  // Filled by the cleanup below, after the result naming it is made.
  const leftovers: Leftover[] = [];
  try {
    const runConfig = target.knobs ? paceConfig(target.knobs, PACE) : undefined;
    const common = { client, runConfig, metadata: { agentwire: s.tag } };
    const scenario: LoadScenario = spec === "managed-deep-agents" ? managedScenario({ ...common, agentId: agent.id }) : agentServerScenario({ ...common, assistantId: agent.id });
    const profile = { ...PROFILES[s.profile], ...s.shape };
    const thresholds = s.thresholds ?? thresholdsOf(DEFAULT_THRESHOLDS);
    const slo = sweepSloOf(thresholds);
    log(`load: ${spec === "managed-deep-agents" ? "managed" : "agent-server"} API, closed-loop sweep at concurrency ${profile.levels.join(", ")} (≤ ${profile.durationMs / 1000} s and ${profile.maxRequests} runs per step), SLO ${describeSlo({ error_rate: 0.01, ...slo })}`);
    const loadBefore = loadavg()[0]!;
    const measured = await measureSweep(s, scenario, profile, slo, thresholds, created);
    if (!measured) return skip(log, "interrupted before the first step");
    const { result, note, histograms, aborted } = measured;
    const load = { ...loadReport(spec, result, histograms), host: { cpus: availableParallelism(), loadAverage1m: [loadBefore, loadavg()[0]!] as [number, number] } };
    const first = result.steps[0]!;
    const judged = judgeThresholds(thresholds, first.summary, `at concurrency ${first.concurrency}`);
    // The threshold that stopped the step keeps the verdict it had when it stopped it.
    const gates = [ttftGate(result, slo), ...judged.map((g) => (aborted && g.name === aborted.name ? aborted : g))];
    if (aborted) {
      const why = `${aborted.name} broke at ${aborted.threshold!.abortedAt} samples (abort_on_fail)`;
      log(`load: stopped concurrency ${first.concurrency} early: ${why}`);
      return { ran: true, load, gates, findings: [], leftovers, note: [note, `stopped early: ${why}`].filter(Boolean).join("; ") };
    }
    if (s.signal.aborted) return { ran: true, load, gates, findings: [], leftovers, note };
    const multitask = await runMultitaskPhase({ ...s, onThread: (id) => serverThreads.push(id) });
    if (multitask.multitask) load.multitask = multitask.multitask;
    if (multitask.gate) gates.push(multitask.gate);
    if (!s.signal.aborted) {
      const json = await runJsonPart(s, spec, client, { agentId: agent.id, onThread: (id) => created.push(id) });
      if (json.summary) load.json = json.summary;
      gates.push(json.gate);
    }
    const notes = [note, multitask.note].filter(Boolean).join("; ");
    return { ran: true, load, gates, findings: multitask.findings, leftovers, note: notes || undefined };
  } finally {
    // Threads first, then the agent they belong to; the deletes have their own budget, not the run's signal.
    const removals: Removal[] = [
      ...created.map((t): Removal => ({ spec, method: "DELETE", path: `/threads/${t}` })),
      ...serverThreads.map((t): Removal => ({ spec: "agent-server", method: "DELETE", path: `/threads/${t}` })),
      ...(agent.created ? [{ spec, method: "DELETE", path: `/agents/${agent.id}` } as Removal] : []),
    ];
    leftovers.push(...(await removeAll((api) => clientFor(target, api), removals)).left);
  }
}

/** Runs the sweep; an interrupt between steps keeps the steps measured so far (the sweep alone would drop them). */
async function measureSweep(
  s: LoadPhaseSettings,
  scenario: LoadScenario,
  profile: (typeof PROFILES)[LoadProfile],
  sweepSlo: SloSpec,
  thresholds: Threshold[],
  created: string[],
): Promise<{ result: SweepResult; note?: string; histograms: CollectorShard["histograms"][]; aborted?: Gate } | undefined> {
  const measured: SweepStep[] = [];
  const histograms: CollectorShard["histograms"][] = [];
  let validatedSlo: SloSpec = sweepSlo;
  // abort_on_fail: the thresholds are judged on the first step, and watched while it runs.
  const watched = thresholds.filter((t) => t.abortOnFail);
  let aborted: Gate | undefined;
  const brokenOf = (summary: LoadSummary, concurrency: number) => judgeThresholds(watched, summary, `at concurrency ${concurrency}`).find((g) => !g.passed && !g.notJudged);
  const stopped = (g: Gate, how: string): Gate => ({ ...g, threshold: { ...g.threshold!, abortedAt: g.threshold!.samples }, detail: `${g.detail}; abort_on_fail stopped ${how}` });
  try {
    const result = await sweep({
      slo: sweepSlo,
      levels: [...profile.levels],
      measure: async (concurrency, slo) => {
        validatedSlo = slo;
        if (s.signal.aborted) throw new Interrupted();
        const first = measured.length === 0 && watched.length > 0;
        const stop = new AbortController();
        // As runs finish, a watched threshold that breaks (on at least its min_samples) stops the step: no run starts after it.
        const onProgress = (sofar: MetricsCollector) => {
          if (stop.signal.aborted) return;
          const broken = brokenOf(sofar.summary(), concurrency);
          if (!broken) return;
          aborted = stopped(broken, `the step at ${broken.threshold!.samples} samples`);
          stop.abort();
        };
        // Every thread the load creates is remembered (from whichever worker made it), to delete it afterwards.
        const out = await runLoad({
          scenario, durationMs: profile.durationMs, maxRequests: profile.maxRequests, allowHosts: s.allowHosts, graceMs: 15_000, workers: s.workers,
          onThread: (id) => created.push(id), shape: { kind: "closed", concurrency }, slo,
          ...(first ? { stop: stop.signal, onProgress } : {}),
        });
        const summary = out.summary;
        // A step cut short by the interrupt measured the interrupt, not the target: it is not kept.
        if (s.signal.aborted) throw new Interrupted();
        histograms.push(out.shard.histograms);
        if (first && !aborted) {
          // The last runs may have finished between two progress reports: judged once more on the whole step.
          const broken = brokenOf(summary, concurrency);
          if (broken) aborted = stopped(broken, "the sweep after this step");
        }
        if (aborted) {
          measured.push({ concurrency, summary, checks: summary.slo_checks, ok: summary.slo_ok });
          throw new Interrupted();
        }
        const ttft = summary.latency_ms.ttft;
        s.log(`  concurrency ${concurrency}: ${summary.runs.ok}/${summary.runs.finished} ok, ${ttft.count ? `TTFT p95 ${ttft.p95.toFixed(0)} ms` : "no TTFT measured"}, ${summary.output_tokens_per_s.toFixed(0)} tokens/s${summary.slo_ok ? "" : " — SLO broken"}`);
        measured.push({ concurrency, summary, checks: summary.slo_checks, ok: summary.slo_ok });
        return summary;
      },
    });
    return { result, histograms };
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    if (!measured.length) return undefined;
    // The sweep stops at the first broken step, so every step before the last one met the SLO.
    const last = measured.at(-1)!;
    const within = last.ok ? last.concurrency : (measured.at(-2)?.concurrency ?? 0);
    const result: SweepResult = { maxConcurrencyWithinSlo: within, slo: validatedSlo, steps: measured };
    return { result, histograms, aborted, note: s.signal.aborted ? `interrupted after concurrency ${last.concurrency}` : undefined };
  }
}

/** The sweep's SLO from the thresholds; a latency percentile is needed to sweep at all. */
function sweepSloOf(thresholds: Threshold[]): SloSpec {
  const slo = sweepSlo(thresholds);
  return Object.keys(slo).some((k) => k !== "error_rate") ? slo : { ...slo, ...FALLBACK_SLO };
}

const pct = (s: LatencySummary): Percentiles => ({ p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99, p999: s.p999, count: s.count });

/** The figures of the highest concurrency within the SLO (or of the first step when none met it). */
function loadReport(spec: SpecId, result: SweepResult, histograms: CollectorShard["histograms"][]): LoadReport {
  const reported = result.steps.find((st) => st.concurrency === result.maxConcurrencyWithinSlo) ?? result.steps[0]!;
  const m = reported.summary.latency_ms;
  return {
    api: spec === "managed-deep-agents" ? "managed" : "agent-server",
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
    distributions: Object.fromEntries((["time_to_headers", "time_to_first_event", "ttft", "itl", "tpot", "e2e"] as const).map((k) => [`${k}_ms`, reported.summary.distribution_ms?.[k] ?? []])),
    maxConcurrencyWithinSlo: result.maxConcurrencyWithinSlo,
    throughput: { runs_per_s: reported.summary.runs_per_s, output_tokens_per_s: reported.summary.output_tokens_per_s, goodput_per_s: reported.summary.goodput.per_s },
    errors: reported.summary.errors,
    sweep: result.steps.map((st) => ({
      concurrency: st.concurrency,
      ok: st.ok,
      runs: st.summary.runs,
      ttft_p95_ms: st.summary.latency_ms.ttft.p95,
      ttft_samples: st.summary.latency_ms.ttft.count,
      output_tokens_per_s: st.summary.output_tokens_per_s,
      runs_per_s: st.summary.runs_per_s,
      checks: st.checks,
    })),
    steps: result.steps.map((st, i): LoadStep => ({
      concurrency: st.concurrency,
      runs: st.summary.runs,
      error_rate: st.summary.error_rate,
      runs_per_s: st.summary.runs_per_s,
      goodput_per_s: st.summary.goodput.per_s,
      histograms: histograms[i] ? Object.fromEntries(Object.entries(LATENCY_METRICS).map(([metric, key]) => [metric, histograms[i]![key]])) : {},
    })),
    definitions: METRIC_DEFINITIONS,
  };
}

/** The gate is decided at concurrency 1; a step without a single measured first token says so, not "0 ms". */
function ttftGate(result: SweepResult, slo: SloSpec): Gate {
  const first = result.steps[0]!.summary;
  const ttft = first.latency_ms.ttft;
  const errors = Object.entries(first.errors).map(([k, n]) => `${n} ${k}${first.error_examples[k] ? ` (${first.error_examples[k]})` : ""}`).join(", ");
  const figure = ttft.count ? `p95 TTFT ${ttft.p95.toFixed(0)} ms` : `no first token measured (${first.runs.ok} of ${first.runs.finished} runs succeeded${errors ? `; errors: ${errors}` : ""})`;
  const errorRate = first.runs.finished ? `, ${((first.runs.failed / first.runs.finished) * 100).toFixed(1)} % errors` : "";
  const sloText = describeSlo({ error_rate: 0.01, ...slo });
  return {
    name: "load_ttft_slo",
    passed: result.steps[0]!.ok,
    detail: `${figure} at concurrency ${result.steps[0]!.concurrency} (SLO ${sloText}); highest concurrency within SLO: ${result.maxConcurrencyWithinSlo}`,
    figure: `${figure}${errorRate} at concurrency ${result.steps[0]!.concurrency} (${ttft.count} samples)`,
    limit: `${sloText} at concurrency ${result.steps[0]!.concurrency}`,
  };
}

/** "p95 ttft ≤ 2000 ms and ≤ 1 % errors". */
const describeSlo = (slo: SloSpec) =>
  Object.entries(slo)
    .sort(([a], [b]) => (a === "error_rate" ? 1 : b === "error_rate" ? -1 : 0))
    .map(([k, v]) => (k === "error_rate" ? `≤ ${v * 100} % errors` : k.replace(/^(\w+?)_(p\d+)_ms$/, `$2 $1 ≤ ${v} ms`)))
    .join(" and ");

/** The plain JSON endpoints under concurrent reads, one endpoint after another, and their gate. */
export async function runJsonPart(
  s: Pick<LoadPhaseSettings, "profile" | "allowHosts" | "tag" | "signal" | "log">,
  spec: SpecId,
  client: ApiClient,
  o: { agentId?: string; onThread(id: string): void },
): Promise<{ summary?: JsonLoadSummary; gate: Gate }> {
  const profile = JSON_PROFILES[s.profile];
  const fail = (detail: string) => {
    s.log(`load: ${detail}`);
    return { gate: { name: "load_json_slo", passed: false, detail } };
  };
  let setup;
  try {
    setup = await jsonEndpoints(spec, client, { agentId: o.agentId, tag: s.tag });
  } catch (error) {
    return fail(`the JSON endpoints could not be prepared: ${(error as Error).message}`);
  }
  o.onThread(setup.threadId);
  s.log(`load: JSON endpoints — ${setup.endpoints.map((e) => e.name).join(", ")}; ${profile.connections} connections, ≤ ${profile.durationS} s and ${profile.maxRequests} requests each`);
  const endpoints: JsonLoadSummary["endpoints"] = [];
  for (const endpoint of setup.endpoints) {
    if (s.signal.aborted) break;
    try {
      const r = await runJsonLoad({ client, endpoint, ...profile, allowHosts: s.allowHosts });
      endpoints.push({ ...r, latency_ms: pct(r.latency_ms) });
      s.log(`  ${endpoint.name}: ${r.requests} requests, ${r.requests_per_s.toFixed(0)}/s, p95 ${r.latency_ms.p95.toFixed(1)} ms, ${failures(r)} failed`);
    } catch (error) {
      return fail(`the JSON endpoint load could not run: ${(error as Error).message}`);
    }
  }
  const broken = endpoints.flatMap((e) => {
    if (e.requests === 0) return [`${e.endpoint}: no request answered within ${profile.durationS} s`];
    const rate = failures(e) / e.requests;
    return [
      ...(e.latency_ms.p95 > JSON_SLO.p95_ms ? [`${e.endpoint}: p95 ${e.latency_ms.p95.toFixed(0)} ms`] : []),
      ...(rate > JSON_SLO.failure_rate ? [`${e.endpoint}: ${(rate * 100).toFixed(1)} % failed`] : []),
    ];
  });
  const worst = endpoints.reduce((m, e) => Math.max(m, e.latency_ms.p95), 0);
  const limits = `p95 ≤ ${JSON_SLO.p95_ms} ms and ≤ ${JSON_SLO.failure_rate * 100} % failures per endpoint, at ${profile.connections} connections`;
  const figure = endpoints.length ? `highest p95 ${worst.toFixed(1)} ms over ${endpoints.length} endpoints` : "nothing measured";
  const gate: Gate = broken.length
    ? { name: "load_json_slo", passed: false, detail: `${broken.join("; ")} (${limits})`, figure: broken.join("; "), limit: limits }
    : { name: "load_json_slo", passed: endpoints.length > 0, detail: endpoints.length ? `${figure} (${limits})` : "interrupted before any endpoint was measured", figure, limit: limits };
  return { summary: { connections: profile.connections, durationS: profile.durationS, endpoints }, gate };
}

// autocannon counts timeouts among its errors.
const failures = (r: { status: { non2xx: number }; errors: number }) => r.status.non2xx + r.errors;

function skip(log: (line: string) => void, why: string): LoadPhaseOutput {
  log(`load: not run — ${why}`);
  return { ran: false, load: null, gates: [], findings: [], leftovers: [], note: `not run: ${why}` };
}

/** On an embedded reference the phase makes its own agent; elsewhere it runs the one the user named. */
async function prepareAgent(target: Target, spec: SpecId, client: ApiClient, tag: string): Promise<{ id: string; created: boolean }> {
  if (spec === "agent-server") {
    const id = target.graphs?.deep ?? target.graphs?.agent ?? target.agentId;
    if (!id) throw new Error("no assistant or graph to run was named (--graph deep=ID)");
    return { id, created: false };
  }
  if (target.agentId) return { id: target.agentId, created: false };
  const a = await setupCall(client, "createManagedDeepAgent", "POST", "/agents", { name: `agentwire load ${tag}`, extras: { agentwire: tag } }, "id");
  return { id: a.id as string, created: true };
}
