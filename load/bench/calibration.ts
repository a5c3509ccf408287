/**
 * Calibration benchmark (not a test): how far the load driver's own timestamps are from the truth, and how
 * much one driver process can carry, measured against the synthetic source (a separate process that stamps
 * every event on the shared monotonic clock). Also runs k6 (load/k6/bin/k6, when built) on the same source
 * and scenario and reports it as a ratio. Every figure is the median of several repetitions; everything is
 * bounded in time. Results go to reports/bench/calibration.json.
 *
 *   node --import tsx load/bench/calibration.ts [--quick]
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { runLoad } from "../driver/driver.ts";
import { ApiClient } from "../../core/client.ts";
import { paceConfig } from "../../core/target.ts";
import { SCRIPTED_MODEL_KNOBS } from "../../reference/knobs.ts";
import { agentServerScenario } from "../driver/scenario.ts";
import { LatencyHistogram, type LatencySummary } from "../metrics/histogram.ts";
import { stampToPerformanceMs } from "../../reference/synthetic/clock.ts";
import { spawnSyntheticSource } from "../../reference/synthetic/spawn.ts";
import { newProbeStats, probeObserver, RECEIVED_STAMP, SENT_STAMP, type ProbeStats } from "./probe.ts";
import { sleep } from "../../core/poll.ts";

export const K6_DEFAULT = fileURLToPath(new URL("../k6/bin/k6", import.meta.url));
const K6_SCRIPT = fileURLToPath(new URL("../k6/scripts/streams.ts", import.meta.url));
const OUT_DEFAULT = fileURLToPath(new URL("../../reports/bench/calibration.json", import.meta.url));
/** A driver "keeps up" while its p99 event lag stays under this. */
const LAG_LIMIT_MS = 5;

export interface CalibrationOptions {
  /** Concurrent streams for the TTFT-error measurement (default 1, 100, 1000). */
  levels?: number[];
  /** Repetitions of every measurement; medians are reported (default 3). */
  repeats?: number;
  /** Fewer and smaller steps (for a quick look; default false). */
  quick?: boolean;
  /** Path of a k6 binary with k6/x/sse, or false to skip (default load/k6/bin/k6 when present). */
  k6?: string | false;
  /** Where to write the JSON (default reports/bench/calibration.json), or false. */
  out?: string | false;
  /** Stop starting new steps after this long (default 10 min); skipped steps are listed. */
  budgetMs?: number;
  log?: (line: string) => void;
}

export interface Schedule {
  firstMs: number;
  gapMs: number;
  events: number;
}

export interface Pick {
  p50: number;
  p99: number;
  max: number;
}
export const pick = (s: LatencySummary): Pick => ({ p50: round(s.p50), p99: round(s.p99), max: round(s.max) });
export async function sequential<T>(n: number, f: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}
export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Field-by-field median of a list of same-shaped numeric records. */
export function medianOf<T>(rows: T[]): T {
  const first = rows[0] as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(first).map((k) => {
      const values = rows.map((r) => (r as Record<string, unknown>)[k]);
      if (typeof values[0] === "number") return [k, round(median(values as number[]))];
      if (typeof values[0] === "object" && values[0] !== null) return [k, medianOf(values as object[])];
      return [k, values[0]];
    }),
  ) as T;
}

interface Measured {
  ok: number;
  failed: number;
  errors: Record<string, number>;
  ttft: LatencySummary;
  probe: ProbeStats;
  cpuMs: number;
  wallMs: number;
  peakInFlight: number;
}

/**
 * One closed-loop load. With `probe`, threads come from a pool made before the clock starts (setup is not what
 * is being calibrated, and it doubles the requests both processes handle); without it, one thread per run, as
 * the k6 script does.
 */
async function measure(baseUrl: string, concurrency: number, s: Schedule, runs: number, rampUpMs: number, probe: boolean): Promise<Measured> {
  const stats = newProbeStats();
  const runConfig = paceConfig(SCRIPTED_MODEL_KNOBS, { tokens: s.events, delayMs: s.gapMs, firstTokenDelayMs: s.firstMs - s.gapMs });
  const scenario = agentServerScenario({ client: new ApiClient({ baseUrl }), assistantId: "synthetic", runConfig });
  const streamMs = s.firstMs + s.events * s.gapMs;
  const cpu = process.cpuUsage();
  const r = await runLoad({
    scenario,
    shape: { kind: "closed", concurrency },
    rampUpMs,
    durationMs: rampUpMs + Math.ceil(runs / concurrency) * streamMs * 3 + 5_000,
    graceMs: 5_000,
    maxRequests: runs,
    stream: { deadlineMs: streamMs * 3 + 5_000 },
    observe: probe ? probeObserver(stats, s) : undefined,
    threads: probe ? { pool: concurrency } : "per-run",
  });
  const used = process.cpuUsage(cpu);
  return {
    ok: r.summary.runs.ok,
    failed: r.summary.runs.failed,
    errors: r.summary.errors,
    ttft: r.summary.latency_ms.ttft,
    probe: stats,
    cpuMs: (used.user + used.system) / 1000,
    wallMs: r.wallMs,
    peakInFlight: r.peakInFlight,
  };
}

/** Schedules for the TTFT-error levels: events/s stays moderate so the error, not the capacity, is measured. */
export function errorSchedule(concurrency: number, quick: boolean): { schedule: Schedule; runs: number; rampUpMs: number } {
  if (concurrency <= 1) return { schedule: { firstMs: 20, gapMs: 10, events: 20 }, runs: quick ? 5 : 15, rampUpMs: 0 };
  const gapMs = Math.max(10, Math.round(concurrency / 10)); // about 10 000 events/s at 1000 streams
  // The source's knobs put the first token one gap or more after arrival.
  return { schedule: { firstMs: Math.max(20, gapMs), gapMs, events: 20 }, runs: concurrency * (quick ? 1 : 2), rampUpMs: Math.min(2000, concurrency) };
}

/**
 * The machine's floor: the same two stamps taken around a bare undici request (no reader, no driver), one
 * stream at a time. What the driver measures above this is its own doing.
 */
export async function floor(baseUrl: string, samples: number) {
  const send = LatencyHistogram.create();
  const event = LatencyHistogram.create();
  const dispatcher = new Agent({ connections: 1 });
  try {
    for (let i = 0; i < samples; i++) {
      const sentAt = performance.now();
      const res = await request(`${baseUrl}/stream?first_ms=5&gap_ms=1&events=1`, { dispatcher, signal: AbortSignal.timeout(10_000) });
      for await (const chunk of res.body) {
        const at = performance.now();
        const text = (chunk as Buffer).toString("latin1");
        const received = RECEIVED_STAMP.exec(text)?.[1];
        if (received) send.recordMs(stampToPerformanceMs(received) - sentAt);
        const sent = SENT_STAMP.exec(text)?.[1];
        if (sent) event.recordMs(at - stampToPerformanceMs(sent));
      }
      await sleep(5);
    }
  } finally {
    await dispatcher.close();
  }
  return { samples, send_lag_ms: pick(send.summary()), event_lag_ms: pick(event.summary()) };
}

function cutimeMs(): number {
  // Fields after the ")" of /proc/self/stat: cutime and cstime (children reaped so far) are the 14th and 15th, in 1/100 s.
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export async function runK6(k6: string, baseUrl: string, vus: number, runs: number, s: Schedule) {
  const dir = mkdtempSync(join(tmpdir(), "agentwire-cal-"));
  const summaryFile = join(dir, "summary.json");
  const env = { BASE_URL: baseUrl, VUS: String(vus), ITERATIONS: String(runs), MAX_DURATION: "120s", TOKENS: String(s.events), DELAY_MS: String(s.gapMs), FIRST_TOKEN_DELAY_MS: String(s.firstMs - s.gapMs), SUMMARY_FILE: summaryFile };
  const before = cutimeMs();
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(k6, ["run", "-q", "--no-usage-report", ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]), K6_SCRIPT], { stdio: "ignore" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`k6 exited with ${code}`));
      });
    });
    const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as { runs: { ok: number; failed: number }; output_tokens: number; latency_ms: { ttft: LatencySummary } };
    return { summary, cpuMs: cutimeMs() - before, wallMs: performance.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runCalibration(o: CalibrationOptions = {}) {
  const log = o.log ?? ((line: string) => console.log(line));
  const quick = o.quick ?? false;
  const repeats = o.repeats ?? (quick ? 1 : 3);
  const levels = o.levels ?? [1, 100, 1000];
  const budgetEnd = performance.now() + (o.budgetMs ?? 10 * 60_000);
  const skipped: string[] = [];
  const inBudget = (step: string) => {
    if (performance.now() < budgetEnd) return true;
    skipped.push(step);
    return false;
  };
  const k6 = o.k6 === false ? undefined : (o.k6 ?? (existsSync(K6_DEFAULT) ? K6_DEFAULT : undefined));
  const source = await spawnSyntheticSource();
  const startedAt = new Date().toISOString();
  try {
    log(`calibration against the synthetic source (pid ${source.pid}); ${repeats} repetition(s), medians shown`);
    // Warm-up, discarded: loads lazily imported code, lets the JIT settle and grows both heaps to the size the
    // largest level needs (on a fresh VM, first-touch page faults stall an event loop for tens of ms).
    const largest = errorSchedule(Math.max(...levels), quick);
    await measure(source.url, Math.max(...levels), largest.schedule, Math.max(...levels), largest.rampUpMs, true);
    await measure(source.url, 50, { firstMs: 10, gapMs: 10, events: 10 }, 100, 0, false);

    const machineFloor = medianOf(await sequential(repeats, () => floor(source.url, quick ? 50 : 200)));
    log(`  machine floor (bare undici, 1 stream): send lag p50 ${machineFloor.send_lag_ms.p50} ms, event lag p50 ${machineFloor.event_lag_ms.p50} ms`);

    // 1. TTFT error at each concurrency level.
    const ttftError = [];
    for (const concurrency of levels) {
      const { schedule, runs, rampUpMs } = errorSchedule(concurrency, quick);
      const reps = [];
      for (let i = 0; i < repeats && inBudget(`ttft-error c=${concurrency} #${i + 1}`); i++) {
        const m = await measure(source.url, concurrency, schedule, runs, rampUpMs, true);
        reps.push({
          runs_ok: m.ok,
          runs_failed: m.failed,
          ttft_error_ms: pick(m.probe.ttftError.summary()),
          send_lag_ms: pick(m.probe.sendLag.summary()),
          event_lag_ms: pick(m.probe.eventLag.summary()),
          source_late_ms: pick(m.probe.sourceLate.summary()),
          events_per_s: round(m.probe.events / ((m.probe.lastEventAt - m.probe.firstEventAt) / 1000), 0),
        });
      }
      if (!reps.length) continue;
      const med = medianOf(reps);
      ttftError.push({ concurrency, schedule, runs_per_repeat: runs, median: med, repeats: reps });
      log(`  TTFT error @${concurrency} streams: p50 ${med.ttft_error_ms.p50} ms, p99 ${med.ttft_error_ms.p99} ms, max ${med.ttft_error_ms.max} ms (event lag p99 ${med.event_lag_ms.p99} ms, ~${med.events_per_s} events/s)`);
    }

    // 2. Capacity: events/s at 500 streams with shrinking gaps (2 000 to 50 000 offered), then open streams at
    // 2 events/s each. The ladder starts low enough that a busy machine still keeps up with its first step.
    const eventSteps = quick ? [250, 50] : [250, 100, 50, 33, 25, 20, 14, 10];
    const streamSteps = quick ? [1000, 2000] : [1000, 2000, 4000, 8000];
    const capacityReps: { eventsPerSec: number; cpuUsPerEvent: number; streams: number; eventSteps: object[]; streamSteps: object[] }[] = [];
    for (let i = 0; i < repeats; i++) {
      const rep = { eventsPerSec: 0, cpuUsPerEvent: 0, streams: 0, eventSteps: [] as object[], streamSteps: [] as object[] };
      for (const gapMs of eventSteps) {
        if (!inBudget(`events gap=${gapMs} #${i + 1}`)) break;
        const streams = 500;
        const s = { firstMs: gapMs, gapMs, events: Math.round(3000 / gapMs) };
        const m = await measure(source.url, streams, s, streams, 500, true);
        const step = stepVerdict(m, streams * s.events, { streams, offered_peak_events_per_s: (streams * 1000) / gapMs });
        rep.eventSteps.push(step);
        if (!step.kept_up) break;
        rep.eventsPerSec = step.events_per_s;
        rep.cpuUsPerEvent = step.driver_cpu_us_per_event;
      }
      for (const streams of streamSteps) {
        if (!inBudget(`streams=${streams} #${i + 1}`)) break;
        const s = { firstMs: 500, gapMs: 500, events: 6 };
        const m = await measure(source.url, streams, s, streams, streams / 2, true);
        const step = stepVerdict(m, streams * s.events, { streams, peak_in_flight: m.peakInFlight });
        rep.streamSteps.push(step);
        if (!step.kept_up) break;
        rep.streams = streams;
      }
      capacityReps.push(rep);
    }
    // A repeat in which not even the first step kept up has no figure: null, never 0 or a projection from nothing.
    const medianOrNull = (xs: number[]) => (xs.some((x) => x > 0) ? median(xs) : null);
    const cpuUsPerEvent = medianOrNull(capacityReps.map((r) => r.cpuUsPerEvent));
    const capacity = capacityReps.length
      ? {
          criterion: `all runs ok, every event delivered, driver event lag p99 <= ${LAG_LIMIT_MS} ms`,
          max_events_per_s: medianOrNull(capacityReps.map((r) => r.eventsPerSec)),
          // CPU cost per event at the busiest step that kept up, as a ceiling for a driver alone on one core.
          driver_cpu_us_per_event: cpuUsPerEvent,
          projected_events_per_s_one_core: cpuUsPerEvent ? round(1e6 / cpuUsPerEvent, -2) : null,
          max_concurrent_streams: medianOrNull(capacityReps.map((r) => r.streams)),
          repeats: capacityReps,
        }
      : undefined;
    if (capacity) {
      const events = capacity.max_events_per_s === null ? "no event-rate step kept up" : `~${capacity.max_events_per_s} events/s over 500 streams (${capacity.driver_cpu_us_per_event} µs CPU per event, ~${capacity.projected_events_per_s_one_core} events/s on a core of its own)`;
      const streams = capacity.max_concurrent_streams === null ? "no stream-count step kept up" : `${capacity.max_concurrent_streams} concurrent streams at 2 events/s each`;
      log(`  capacity of one driver process: ${events}; ${streams}`);
    }

    // 3. k6 on the same source and scenario, against the driver, as ratios.
    let k6Result: object = { skipped: k6 ? "out of time budget" : `no k6 binary (build it: node --import tsx load/k6/build.ts)` };
    if (k6) {
      const s = { firstMs: 20, gapMs: 20, events: 20 };
      const vus = 100;
      const runs = 300;
      const reps = [];
      for (let i = 0; i < repeats && inBudget(`k6 #${i + 1}`); i++) {
        const d = await measure(source.url, vus, s, runs, 0, false);
        const k = await runK6(k6, source.url, vus, runs, s);
        const events = runs * s.events;
        reps.push({
          driver: { runs_ok: d.ok, ttft_ms: pick(d.ttft), ttft_over_schedule_p99_ms: round(d.ttft.p99 - s.firstMs), cpu_ms_per_1000_events: round((d.cpuMs / events) * 1000) },
          k6: { runs_ok: k.summary.runs.ok, ttft_ms: pick(k.summary.latency_ms.ttft), ttft_over_schedule_p99_ms: round(k.summary.latency_ms.ttft.p99 - s.firstMs), cpu_ms_per_1000_events: round((k.cpuMs / events) * 1000) },
        });
      }
      if (reps.length) {
        const med = medianOf(reps);
        k6Result = {
          binary: k6,
          scenario: { vus, runs, schedule: s },
          median: med,
          ratio_k6_over_driver: {
            ttft_over_schedule_p99: round(med.k6.ttft_over_schedule_p99_ms / med.driver.ttft_over_schedule_p99_ms, 2),
            cpu_per_event: round(med.k6.cpu_ms_per_1000_events / med.driver.cpu_ms_per_1000_events, 2),
          },
          repeats: reps,
        };
        log(`  k6 vs driver (100 streams): TTFT p99 over schedule ${med.k6.ttft_over_schedule_p99_ms} vs ${med.driver.ttft_over_schedule_p99_ms} ms; CPU per 1000 events ${med.k6.cpu_ms_per_1000_events} vs ${med.driver.cpu_ms_per_1000_events} ms`);
      }
    }

    const report = {
      benchmark: "agentwire load driver calibration",
      started_at: startedAt,
      command: "node --import tsx load/bench/calibration.ts" + (quick ? " --quick" : ""),
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? "unknown", memory_gib: round(totalmem() / 2 ** 30, 1), node: process.version, kernel: release(), k6: k6 ? k6Version(k6) : undefined },
      notes: [
        "Source and driver run in separate processes on the same machine; stamps use CLOCK_MONOTONIC (process.hrtime.bigint) converted to the driver's performance.now() scale.",
        "ttft_error = driver TTFT − (source first-token write − source request arrival): the driver's send-side plus receive-side timestamping error.",
        "event_lag = driver receive stamp − source write stamp, per token event (includes loopback transit).",
      ],
      floor: machineFloor,
      ttft_error: ttftError,
      capacity,
      k6: k6Result,
      skipped_for_time: skipped,
    };
    const out = o.out === false ? undefined : (o.out ?? OUT_DEFAULT);
    if (out) {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
      log(`  written to ${out}`);
    }
    if (skipped.length) log(`  skipped for time: ${skipped.join(", ")}`);
    return report;
  } finally {
    await source.stop();
  }
}

function stepVerdict(m: Measured, expectedEvents: number, extra: Record<string, number>) {
  const lag = m.probe.eventLag.summary();
  const eventsPerSec = m.probe.events / ((m.probe.lastEventAt - m.probe.firstEventAt) / 1000);
  return {
    ...extra,
    runs_ok: m.ok,
    runs_failed: m.failed,
    errors: m.errors,
    events: m.probe.events,
    events_per_s: round(Number.isFinite(eventsPerSec) ? eventsPerSec : 0, 0),
    event_lag_ms: pick(lag),
    source_late_p99_ms: round(m.probe.sourceLate.summary().p99),
    driver_cpu_percent: round((m.cpuMs / m.wallMs) * 100, 0),
    driver_cpu_us_per_event: round((m.cpuMs * 1000) / Math.max(1, m.probe.events), 1),
    kept_up: m.failed === 0 && m.probe.events === expectedEvents && lag.p99 <= LAG_LIMIT_MS,
  };
}

export function k6Version(k6: string): string {
  const r = spawnSync(k6, ["version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0]!.trim() : "unknown";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runCalibration({ quick: process.argv.includes("--quick") }).catch((error: Error) => {
    console.error(`calibration failed: ${error.message}`);
    process.exitCode = 1;
  });
}
