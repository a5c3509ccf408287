/**
 * The driver benchmark (`npm run bench -- --only driver`), not a test: what one streamed event costs the load
 * driver in CPU, the same against k6 on the same source, the driver's TTFT error against an exact schedule
 * beside a bare undici client's on the same run, and how the driver scales from one worker to two. Every
 * figure is a median of several repetitions against the synthetic source (its own process). CPU is the whole
 * driver process's (every thread, kernel time included), from process.cpuUsage().
 */
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { Agent, request } from "undici";
import { ApiClient } from "../../core/client.ts";
import { sleep } from "../../core/poll.ts";
import { paceConfig } from "../../core/target.ts";
import { SCRIPTED_MODEL_KNOBS } from "../../reference/knobs.ts";
import { stampToPerformanceMs } from "../../reference/synthetic/clock.ts";
import { spawnSyntheticSource } from "../../reference/synthetic/spawn.ts";
import { runLoad } from "../driver/driver.ts";
import { agentServerScenario } from "../driver/scenario.ts";
import { LatencyHistogram, type LatencySummary } from "../metrics/histogram.ts";
import { errorSchedule, K6_DEFAULT, k6Version, median, medianOf, pick, round, runK6, type Schedule } from "./calibration.ts";
import { newProbeStats, probeObserver, RECEIVED_STAMP, SENT_STAMP, type ProbeStats } from "./probe.ts";

export interface DriverBenchOptions {
  repeats: number;
  quick: boolean;
  /** A k6 binary with k6/x/sse, or false to skip (default load/k6/bin/k6 when built). */
  k6?: string | false;
  log(line: string): void;
}

/** The goals of issue 13, beside which every figure is reported. */
export const DRIVER_GOALS = { cpuUsPerEvent: 10, k6Ratio: 10, ttftP99OverFloor: 2 };

interface Load {
  concurrency: number;
  schedule: Schedule;
  runs: number;
  rampUpMs?: number;
  /** Threads made before the clock starts (so setup is not measured), else one per run as k6 does. */
  pool: boolean;
  probe?: ProbeStats;
  workers?: number;
  /** Events the source writes at once (default 1: one event per write, as a model streams). */
  batch?: number;
}

async function drive(url: string, l: Load) {
  const s = l.schedule;
  const pace = paceConfig(SCRIPTED_MODEL_KNOBS, { tokens: s.events, delayMs: s.gapMs, firstTokenDelayMs: s.firstMs - s.gapMs });
  const runConfig = l.batch ? { configurable: { ...pace.configurable, synthetic_batch: l.batch } } : pace;
  const scenario = agentServerScenario({ client: new ApiClient({ baseUrl: url }), assistantId: "synthetic", runConfig });
  const streamMs = s.firstMs + s.events * s.gapMs;
  const cpu = process.cpuUsage();
  const r = await runLoad({
    scenario,
    shape: { kind: "closed", concurrency: l.concurrency },
    rampUpMs: l.rampUpMs ?? 0,
    durationMs: (l.rampUpMs ?? 0) + Math.ceil(l.runs / l.concurrency) * streamMs * 3 + 5_000,
    graceMs: 5_000,
    maxRequests: l.runs,
    stream: { deadlineMs: streamMs * 3 + 5_000 },
    threads: l.pool ? { pool: l.concurrency } : "per-run",
    observe: l.probe ? probeObserver(l.probe, s) : undefined,
    workers: l.workers ?? 1,
  });
  // Every thread of this process, the kernel's share (system time) included.
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  // Every run's events: one metadata event, then its tokens.
  const events = r.summary.runs.ok + r.summary.output_tokens;
  const per = (us: number) => round(us / Math.max(1, events), 2);
  return { r, cpuMs, events, cpuUsPerEvent: per(used.user + used.system), userUsPerEvent: per(used.user), systemUsPerEvent: per(used.system) };
}

/**
 * CPU per event of a raw socket reading the same streams (net `onread`, one request per connection, no HTTP
 * parsing at all): the least any Node client pays for an event on this machine.
 */
async function rawCost(url: string, concurrency: number, s: Schedule, runs: number) {
  const target = new URL(url);
  const buffer = Buffer.allocUnsafe(64 * 1024);
  const request = `GET /stream?first_ms=${s.firstMs}&gap_ms=${s.gapMs}&events=${s.events} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: close\r\n\r\n`;
  let started = 0;
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started++ < runs) {
        await new Promise<void>((resolve, reject) => {
          const socket = connect({ host: target.hostname, port: Number(target.port), onread: { buffer, callback: () => (performance.now(), true) } });
          socket.on("error", reject).on("close", () => resolve());
          socket.write(request);
        });
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const events = runs * (s.events + 1);
  return { userUsPerEvent: round(used.user / events, 2), systemUsPerEvent: round(used.system / events, 2), cpuUsPerEvent: round((used.user + used.system) / events, 2) };
}

/** CPU per event of a bare undici client reading the same streams (no parsing, no metrics): the machine's floor. */
async function bareCost(url: string, concurrency: number, s: Schedule, runs: number) {
  const dispatcher = new Agent({ connections: concurrency + 4, bodyTimeout: 0, headersTimeout: 0 });
  const path = `${url}/stream?first_ms=${s.firstMs}&gap_ms=${s.gapMs}&events=${s.events}`;
  let started = 0;
  const cpu = process.cpuUsage();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (started++ < runs) {
          const res = await request(path, { dispatcher, signal: AbortSignal.timeout(60_000) });
          for await (const _ of res.body) performance.now();
        }
      }),
    );
  } finally {
    await dispatcher.close();
  }
  const used = process.cpuUsage(cpu);
  const events = runs * (s.events + 1);
  return { userUsPerEvent: round(used.user / events, 2), systemUsPerEvent: round(used.system / events, 2), cpuUsPerEvent: round((used.user + used.system) / events, 2) };
}

/**
 * The floor: the same stamps a bare undici client takes (send before `request`, receive per body chunk), at
 * the same concurrency and schedule as the driver. What the driver adds above this is its own doing.
 */
async function bareFloor(url: string, concurrency: number, s: Schedule, runs: number, rampUpMs: number): Promise<LatencySummary> {
  const ttftError = LatencyHistogram.create();
  const dispatcher = new Agent({ connections: concurrency + 4, bodyTimeout: 0, headersTimeout: 0 });
  const path = `${url}/stream?first_ms=${s.firstMs}&gap_ms=${s.gapMs}&events=${s.events}`;
  let started = 0;
  const user = async (i: number) => {
    const wait = (rampUpMs * i) / concurrency;
    if (wait > 0) await sleep(wait);
    while (started++ < runs) {
      const sentAt = performance.now();
      const res = await request(path, { dispatcher, signal: AbortSignal.timeout(60_000) });
      let receivedNs: bigint | undefined;
      let measured = false;
      for await (const chunk of res.body) {
        const at = performance.now();
        if (measured) continue;
        const text = (chunk as Buffer).toString("latin1");
        const received = RECEIVED_STAMP.exec(text)?.[1];
        if (received !== undefined) receivedNs = BigInt(received);
        const sent = SENT_STAMP.exec(text)?.[1];
        if (sent !== undefined && receivedNs !== undefined) {
          ttftError.recordMs(at - sentAt - Number(BigInt(sent) - receivedNs) / 1e6);
          measured = true;
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, i) => user(i)));
  } finally {
    await dispatcher.close();
  }
  return ttftError.summary();
}

export async function runDriverBench(o: DriverBenchOptions) {
  const { log, quick } = o;
  const repeats = Math.max(1, o.repeats);
  const k6 = o.k6 === false ? undefined : (o.k6 ?? (existsSync(K6_DEFAULT) ? K6_DEFAULT : undefined));
  const source = await spawnSyntheticSource();
  try {
    log(`driver benchmark against the synthetic source (pid ${source.pid}); ${repeats} repetition(s), medians shown`);
    // Warm-up, discarded: lazily loaded code, the JIT, and heaps grown to the largest level's size.
    const warm = errorSchedule(1000, quick);
    await drive(source.url, { concurrency: 1000, schedule: warm.schedule, runs: 1000, rampUpMs: warm.rampUpMs, pool: true });
    await bareFloor(source.url, 100, { firstMs: 10, gapMs: 10, events: 10 }, 200, 0);

    // 1. CPU per event: 100 streams of 100 events 10 ms apart (~10,000 events/s), threads made beforehand.
    const costSchedule = { firstMs: 10, gapMs: 10, events: quick ? 50 : 100 };
    const cost = [];
    for (let i = 0; i < repeats; i++) {
      const m = await drive(source.url, { concurrency: 100, schedule: costSchedule, runs: 300, pool: true });
      const bare = await bareCost(source.url, 100, costSchedule, 300);
      const raw = await rawCost(source.url, 100, costSchedule, 300);
      cost.push({
        runs_ok: m.r.summary.runs.ok,
        events: m.events,
        cpu_us_per_event: m.cpuUsPerEvent,
        user_us_per_event: m.userUsPerEvent,
        system_us_per_event: m.systemUsPerEvent,
        bare_undici_cpu_us_per_event: bare.cpuUsPerEvent,
        bare_undici_user_us_per_event: bare.userUsPerEvent,
        bare_undici_system_us_per_event: bare.systemUsPerEvent,
        raw_socket_cpu_us_per_event: raw.cpuUsPerEvent,
        raw_socket_user_us_per_event: raw.userUsPerEvent,
        raw_socket_system_us_per_event: raw.systemUsPerEvent,
      });
    }
    const costMedian = medianOf(cost);
    const cpuUsPerEvent = costMedian.cpu_us_per_event;
    log(`  CPU per event: ${cpuUsPerEvent} µs (user ${costMedian.user_us_per_event}, kernel ${costMedian.system_us_per_event}; goal ≤ ${DRIVER_GOALS.cpuUsPerEvent}); a bare undici client reading the same streams: ${costMedian.bare_undici_cpu_us_per_event} µs (user ${costMedian.bare_undici_user_us_per_event}, kernel ${costMedian.bare_undici_system_us_per_event}); a raw socket: ${costMedian.raw_socket_cpu_us_per_event} µs (user ${costMedian.raw_socket_user_us_per_event}, kernel ${costMedian.raw_socket_system_us_per_event})`);

    // 2. TTFT error at 1, 100 and 1,000 streams, each beside the bare-undici floor at the same level.
    const ttftError = [];
    for (const concurrency of [1, 100, 1000]) {
      const { schedule, runs, rampUpMs } = errorSchedule(concurrency, quick);
      const reps = [];
      for (let i = 0; i < repeats; i++) {
        const probe = newProbeStats();
        const m = await drive(source.url, { concurrency, schedule, runs, rampUpMs, pool: true, probe });
        const floor = await bareFloor(source.url, concurrency, schedule, runs, rampUpMs);
        reps.push({ runs_ok: m.r.summary.runs.ok, driver_ms: pick(probe.ttftError.summary()), floor_ms: pick(floor), event_lag_p99_ms: round(probe.eventLag.summary().p99) });
      }
      const med = medianOf(reps);
      // Driver and floor are compared within each repetition (same machine state), then the median is taken.
      const p99OverFloor = round(median(reps.map((r) => r.driver_ms.p99 / Math.max(0.001, r.floor_ms.p99))), 2);
      ttftError.push({ concurrency, schedule, runs, median: med, p99_over_floor: p99OverFloor, repeats: reps });
      log(`  TTFT error @${concurrency}: driver p50 ${med.driver_ms.p50} / p99 ${med.driver_ms.p99} ms; bare undici p50 ${med.floor_ms.p50} / p99 ${med.floor_ms.p99} ms; p99 ${p99OverFloor}× the floor's (median of each run's ratio; goal ≤ ${DRIVER_GOALS.ttftP99OverFloor}×)`);
    }

    // 3. k6 on the same source and scenario (a thread per run in both), CPU per event as a ratio.
    let k6Result: object = { skipped: "no k6 binary (build it: node --import tsx load/k6/build.ts)" };
    if (k6) {
      const s = { firstMs: 10, gapMs: 10, events: 50 };
      const vus = 100;
      const runs = 300;
      const reps = [];
      for (let i = 0; i < repeats; i++) {
        const d = await drive(source.url, { concurrency: vus, schedule: s, runs, pool: false });
        const k = await runK6(k6, source.url, vus, runs, s);
        const events = k.summary.runs.ok * (s.events + 1);
        const k6Us = round((k.cpuMs * 1000) / Math.max(1, events), 2);
        reps.push({ driver_cpu_us_per_event: d.cpuUsPerEvent, k6_cpu_us_per_event: k6Us, driver_runs_ok: d.r.summary.runs.ok, k6_runs_ok: k.summary.runs.ok, ratio: round(k6Us / d.cpuUsPerEvent, 2) });
      }
      const med = medianOf(reps);
      k6Result = { binary: k6, version: k6Version(k6), scenario: { vus, runs, schedule: s }, median: med, repeats: reps };
      log(`  k6 vs driver, CPU per event: ${med.k6_cpu_us_per_event} vs ${med.driver_cpu_us_per_event} µs → ${med.ratio}× (goal ≥ ${DRIVER_GOALS.k6Ratio}×)`);
    }

    // 4. Scaling: a load the driver, not the source, is the limit of: 500 streams of 1,000 events, written
    // 20 at a time every 20 ms (500,000 events/s offered, 25,000 writes/s), in one driver thread and in two.
    const heavy = { firstMs: 10, gapMs: 1, events: quick ? 400 : 1000 };
    const batch = 20;
    const scaling = [];
    // Warm-up of the worker threads, discarded: they are kept between loads, so they are measured warm.
    await drive(source.url, { concurrency: 500, schedule: heavy, runs: 500, rampUpMs: 200, pool: true, workers: 2, batch });
    for (const workers of [1, 2]) {
      const reps = [];
      for (let i = 0; i < repeats; i++) {
        const m = await drive(source.url, { concurrency: 500, schedule: heavy, runs: 500, rampUpMs: 200, pool: true, workers, batch });
        // Events of successful runs only: a run past its deadline (a driver or source that fell behind) counts none.
        reps.push({ runs_ok: m.r.summary.runs.ok, errors: m.r.summary.errors, events_per_s: round(m.events / Math.max(0.001, m.r.summary.window_s), 0), cpu_us_per_event: m.cpuUsPerEvent, busiest_thread: Math.max(...m.r.busy) });
      }
      const med = medianOf(reps.map(({ errors: _, ...figures }) => figures));
      scaling.push({ workers, median: med, repeats: reps });
      log(`  ${workers} driver thread(s), 500 streams, ${batch} events per write: ${med.events_per_s} events/s delivered, ${med.cpu_us_per_event} µs CPU per event, busiest thread ${Math.round(med.busiest_thread * 100)} % busy`);
    }
    const speedup = round(scaling[1]!.median.events_per_s / Math.max(1, scaling[0]!.median.events_per_s), 2);
    log(`  2 threads / 1 thread: ${speedup}×`);

    return {
      goals: DRIVER_GOALS,
      cpu_per_event: { schedule: costSchedule, streams: 100, runs: 300, median_us: cpuUsPerEvent, median: costMedian, repeats: cost },
      ttft_error: ttftError,
      k6: k6Result,
      scaling: { schedule: heavy, events_per_write: batch, streams: 500, runs: 500, speedup_2_over_1: speedup, levels: scaling },
    };
  } finally {
    await source.stop();
  }
}
