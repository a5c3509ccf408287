/**
 * The time-to-verdict and driver-cost goals beside what one `npm run bench` measured, as Markdown (the
 * README's `bench-goals` section): each figure against its goal, a missed goal said plainly, and a part the
 * run did not include named as not measured, never filled from an earlier run.
 */
import { stalls } from "./peers/table.ts";
import type { TimedRuns } from "./verdict.ts";

/** The goals, fixed here so a table can never be judged against a goal moved to fit it. */
export const GOALS = {
  startS: 60,
  fullRunS: 180,
  peerRatio: 5,
  cpuUsPerEvent: 10,
  k6Ratio: 10,
  ttftP99OverFloor: 2,
  /** Two driver threads deliver at least this many times one thread's events/s. */
  scaling: 1.5,
};

interface DriverResult {
  cpu_per_event?: { median_us: number; median: { bare_undici_cpu_us_per_event: number; raw_socket_cpu_us_per_event: number } };
  ttft_error?: { concurrency: number; median: { driver_ms: { p50: number; p99: number }; floor_ms: { p50: number; p99: number } }; p99_over_floor: number }[];
  k6?: { median?: { ratio: number; k6_cpu_us_per_event: number; driver_cpu_us_per_event: number }; skipped?: string };
  scaling?: { speedup_2_over_1: number; levels: { workers: number; median: { events_per_s: number } }[] };
}

interface PeersSpeed {
  spec: string;
  agentwire: { median: { wallMs: number; requests: number; reqPerS: number } };
  schemathesis: { median: { wallMs: number; requests: number; reqPerS: number }; runs: { capped: boolean }[]; finished: number };
  ratio: number | null;
}

interface PeersDetection {
  fault: string;
  agentwire: { detected: boolean };
  schemathesis: { detected: boolean };
}

export interface BenchResults {
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  start?: TimedRuns;
  conformance?: TimedRuns & { profile: string };
  driver?: DriverResult;
  peers?: { speed?: PeersSpeed[]; detection?: PeersDetection[]; error?: string };
  /** Per part, the 1-minute load average before and after it. */
  loadAverage?: Record<string, [number, number]>;
}

type Verdict = "met" | "missed" | "not measured";
interface Row {
  what: string;
  goal: string;
  measured: string;
  verdict: Verdict;
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = (r: TimedRuns) => {
  const all = r.runs.flatMap((x) => x.loadAverage);
  return `load average ${Math.min(...all).toFixed(1)}–${Math.max(...all).toFixed(1)}`;
};
const runsOf = (r: TimedRuns) => (r.runs.length > 1 ? `median of ${r.runs.length} (${r.runs.map((x) => s1(x.wallMs)).join(", ")})` : "one run");
const notMeasured = (what: string, goal: string, part: string): Row => ({ what, goal, measured: `not measured in this run (\`--only ${part}\`)`, verdict: "not measured" });
const judge = (ok: boolean): Verdict => (ok ? "met" : "missed");
const DOC: Record<string, string> = { "managed-deep-agents": "Managed", "agent-server": "Agent Server" };

function startRow(r: BenchResults): Row {
  const what = "`npm start`, installed (smoke: contract, streams, load on the JS reference)";
  const goal = `≤ ${GOALS.startS} s`;
  if (!r.start) return notMeasured(what, goal, "start");
  const phases = r.start.runs[0]!.phasesMs;
  const split = `contract + streams ${s1(phases.contract ?? phases.streams ?? 0)}, load ${s1(phases.load ?? 0)} in the first`;
  const failed = r.start.runs.filter((x) => x.verdict !== "pass").length;
  return { what, goal, measured: `${s1(r.start.median.wallMs)}, ${runsOf(r.start)}; ${split}; ${load(r.start)}${failed ? `; ${failed} run(s) did not pass` : ""}`, verdict: judge(r.start.median.wallMs <= GOALS.startS * 1000) };
}

function fullRunRow(r: BenchResults): Row {
  const what = "full run of both documents (contract + streams, `--profile full`)";
  const goal = `≤ ${GOALS.fullRunS} s`;
  if (!r.conformance || r.conformance.profile !== "full") return notMeasured(what, goal, "conformance --profile full");
  const c = r.conformance;
  return { what, goal, measured: `${s1(c.median.wallMs)}, ${c.median.requests.toLocaleString("en-US")} requests, ${c.median.reqPerS} req/s; ${runsOf(c)}; ${load(c)}`, verdict: judge(c.median.wallMs <= GOALS.fullRunS * 1000) };
}

function peerRows(r: BenchResults): Row[] {
  const goal = `≥ ${GOALS.peerRatio}× Schemathesis' req/s`;
  const speed = r.peers?.speed ?? [];
  const rows = ["managed-deep-agents", "agent-server"].map((spec): Row => {
    const what = `full profile, ${DOC[spec]} document: agentwire's contract phase beside Schemathesis`;
    const x = speed.find((q) => q.spec === spec);
    if (!x) return notMeasured(what, goal, "peers");
    const measured = `agentwire ${s1(x.agentwire.median.wallMs)}, ${x.agentwire.median.reqPerS} req/s; Schemathesis ${s1(x.schemathesis.median.wallMs)}, ${x.schemathesis.median.reqPerS} req/s${stalls(x.schemathesis)}; ratio ${x.ratio ?? "—"}×`;
    // Against a peer that only ever stalled, the ratio measures the stall: not judged.
    return { what, goal, measured, verdict: x.ratio === null || x.schemathesis.finished === 0 ? "not measured" : judge(x.ratio >= GOALS.peerRatio) };
  });
  const detection = r.peers?.detection ?? [];
  const what = "detection on the reference faults it ran";
  const dgoal = "agentwire reports every fault Schemathesis reports";
  if (!detection.length) return [...rows, notMeasured(what, dgoal, "peers")];
  const missed = detection.filter((d) => d.schemathesis.detected && !d.agentwire.detected).map((d) => `\`${d.fault}\``);
  const aw = detection.filter((d) => d.agentwire.detected).length;
  const st = detection.filter((d) => d.schemathesis.detected).length;
  return [...rows, { what, goal: dgoal, measured: `${detection.length} faults: agentwire ${aw}, Schemathesis ${st}${missed.length ? `; only Schemathesis: ${missed.join(", ")}` : ""} (table below)`, verdict: judge(missed.length === 0) }];
}

function driverRows(r: BenchResults): Row[] {
  const d = r.driver;
  const cpuWhat = "load driver CPU per streamed event (100 streams, one event per write)";
  const k6What = "k6 CPU per event ÷ the driver's";
  const ttftWhat = "TTFT error p50 / p99 beside a bare undici client's (the floor)";
  const scaleWhat = "capacity with 2 driver threads ÷ 1 (500 streams, 20 events per write)";
  if (!d) return [notMeasured(cpuWhat, `≤ ${GOALS.cpuUsPerEvent} µs`, "driver"), notMeasured(k6What, `≥ ${GOALS.k6Ratio}×`, "driver"), notMeasured(ttftWhat, `p99 ≤ ${GOALS.ttftP99OverFloor}× the floor's at 1,000 streams`, "driver"), notMeasured(scaleWhat, `≥ ${GOALS.scaling}×`, "driver")];
  const rows: Row[] = [];
  const c = d.cpu_per_event!;
  rows.push({ what: cpuWhat, goal: `≤ ${GOALS.cpuUsPerEvent} µs`, measured: `${c.median_us} µs; a bare undici client reading the same streams ${c.median.bare_undici_cpu_us_per_event} µs, a raw socket ${c.median.raw_socket_cpu_us_per_event} µs`, verdict: judge(c.median_us <= GOALS.cpuUsPerEvent) });
  const k = d.k6?.median;
  rows.push(k ? { what: k6What, goal: `≥ ${GOALS.k6Ratio}×`, measured: `${k.ratio}× (${k.k6_cpu_us_per_event} vs ${k.driver_cpu_us_per_event} µs)`, verdict: judge(k.ratio >= GOALS.k6Ratio) } : { what: k6What, goal: `≥ ${GOALS.k6Ratio}×`, measured: d.k6?.skipped ?? "no k6", verdict: "not measured" });
  const levels = d.ttft_error ?? [];
  const at1000 = levels.find((l) => l.concurrency === 1000);
  const cells = levels.map((l) => `${l.concurrency.toLocaleString("en-US")}: ${l.median.driver_ms.p50} / ${l.median.driver_ms.p99} ms (floor ${l.median.floor_ms.p50} / ${l.median.floor_ms.p99})`).join("; ");
  rows.push({ what: ttftWhat, goal: `p99 ≤ ${GOALS.ttftP99OverFloor}× the floor's at 1,000 streams`, measured: `${cells}${at1000 ? `; at 1,000 p99 ${at1000.p99_over_floor}× the floor's` : ""}`, verdict: at1000 ? judge(at1000.p99_over_floor <= GOALS.ttftP99OverFloor) : "not measured" });
  const sc = d.scaling;
  rows.push(sc ? { what: scaleWhat, goal: `≥ ${GOALS.scaling}×`, measured: `${sc.speedup_2_over_1}× (${sc.levels.map((l) => `${l.workers}: ${l.median.events_per_s.toLocaleString("en-US")} events/s`).join(", ")})`, verdict: judge(sc.speedup_2_over_1 >= GOALS.scaling) } : notMeasured(scaleWhat, `≥ ${GOALS.scaling}×`, "driver"));
  return rows;
}

export function renderGoals(results: Record<string, unknown>, date: string): string {
  const r = results as unknown as BenchResults;
  const m = r.machine;
  const rows = [startRow(r), fullRunRow(r), ...peerRows(r), ...driverRows(r)];
  const missed = rows.filter((x) => x.verdict === "missed").length;
  const unmeasured = rows.filter((x) => x.verdict === "not measured").length;
  return [
    `Measured ${date} by one \`npm run bench\` on ${m.cpus} vCPUs (${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node.replace(/^v/, "")}): ${rows.length - missed - unmeasured} goals met, ${missed} missed${unmeasured ? `, ${unmeasured} not measured in this run` : ""}.` +
      (r.loadAverage && Object.keys(r.loadAverage).length ? ` Load average before → after each part: ${Object.entries(r.loadAverage).map(([part, [a, b]]) => `${part} ${a} → ${b}`).join(", ")}.` : ""),
    "",
    "| what | goal | measured | |",
    "|---|---|---|---|",
    ...rows.map((x) => `| ${x.what} | ${x.goal} | ${x.measured} | ${x.verdict === "missed" ? "**missed**" : x.verdict} |`),
  ].join("\n");
}
