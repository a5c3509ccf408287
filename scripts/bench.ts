/**
 * `npm run bench`: measures the suite itself, never as a timed test. Medians of several runs, the machine
 * described, results in reports/bench/. Parts: the SSE parser's throughput, the load driver's calibration
 * against a synthetic source with an exact schedule (and k6 on the same source), and the wall time and
 * requests per second of a conformance run of both documents against the embedded reference, and the
 * time `npm start` takes. Each goal is shown against what was measured (goals.md; --readme writes it and
 * the peers table into the README).
 *
 * The report part renders synthetic summaries of 60 and 2,000 findings and opens them in Chromium. The
 * peers part (only when named) runs agentwire beside Schemathesis on the reference and its faults.
 *
 *   npm run bench [-- --quick] [--only parser,calibration,driver,start,conformance,report,peers] [--profile full|smoke] [--repeats N]
 *                 [--faults a,b | --all-faults] [--peer-cap S] [--no-speed] [--readme] [--out DIR]
 *   npm run bench -- --render DIR/bench.json [--readme] [--out DIR]   (the tables again from a run's results)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runCalibration } from "../load/bench/calibration.ts";
import { runDriverBench } from "../load/bench/driver.ts";
import { renderGoals } from "../load/bench/goals.ts";
import { DEFAULT_FAULTS, runPeers, speedOf, type PeersResult } from "../load/bench/peers/index.ts";
import { PeerSetupError } from "../load/bench/peers/schemathesis.ts";
import { timedRuns } from "../load/bench/verdict.ts";
import { earlierSpeed, renderPeers } from "../load/bench/peers/table.ts";
import { FAULT_NAMES, FAULTS } from "../reference/faults/catalog.ts";
import { describeMachine } from "../results/machine.ts";
import { benchParser } from "../streams/sse/bench.ts";
import { benchReport } from "./bench-report.ts";
import { README, replaceSection, sectionOf } from "./readme.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean" }, only: { type: "string" }, profile: { type: "string" }, repeats: { type: "string" },
    faults: { type: "string" }, "all-faults": { type: "boolean" }, "peer-cap": { type: "string" }, "no-speed": { type: "boolean" }, readme: { type: "boolean" },
    out: { type: "string" }, render: { type: "string" },
  },
});
// --render measures nothing: it writes the tables again from an earlier run's bench.json, its speed figures
// derived again by today's rule (speedOf), dated by that run.
const rendering = values.render !== undefined;
const parts = rendering ? [] : (values.only ?? "parser,calibration,driver,start,conformance,report").split(",");
const quick = values.quick === true;
const repeats = Number(values.repeats ?? 3);
const profile = values.profile ?? (quick ? "smoke" : "full");
const out = values.out ?? join("reports", "bench");
mkdirSync(out, { recursive: true });
const log = (line: string) => console.log(line);

// The load average around each part: on a machine shared with other work the figures say so.
const results: Record<string, unknown> = rendering ? earlierRun(values.render!) : { machine: describeMachine(), startedAt: new Date().toISOString(), loadAverage: {} as Record<string, [number, number]> };
const loadAround = async <T>(part: string, measure: () => Promise<T> | T): Promise<T> => {
  const before = loadavg()[0]!;
  const r = await measure();
  (results.loadAverage as Record<string, [number, number]>)[part] = [before, loadavg()[0]!].map((x) => Math.round(x * 10) / 10) as [number, number];
  return r;
};

if (parts.includes("parser")) {
  log("SSE parser throughput (in memory, 64 KiB chunks, best of 3 rounds)…");
  results.parser = benchParser(quick ? 8 * 1024 * 1024 : 32 * 1024 * 1024, 3);
  console.table(results.parser);
}

if (parts.includes("calibration")) {
  log("Load driver calibration against the synthetic source…");
  results.calibration = await loadAround("calibration", () => runCalibration({ quick, repeats, log }));
}

if (parts.includes("driver")) {
  log("Load driver cost, TTFT error beside the bare-undici floor, k6 ratio…");
  results.driver = await loadAround("driver", () => runDriverBench({ quick, repeats, log }));
}

/**
 * A benchmark judges speed where a gate does not: the conformance runs have a response-time limit, far
 * above what the embedded reference needs on a loaded machine, so a finding means a real slowdown.
 */
const RESPONSE_TIME_MS = 5000;
// A full-profile run takes minutes: one repetition unless --repeats asks for more (as for the peers).
const longRepeats = values.repeats ? repeats : 1;

if (parts.includes("start")) {
  log(`\`npm start\` (the default run: smoke profile, every phase, the embedded JS reference), ${repeats} times…`);
  results.start = await loadAround("start", () => timedRuns("npm start", [], repeats, log));
}

if (parts.includes("conformance")) {
  log(`Conformance run of both documents (contract and streams, profile ${profile}) against the embedded reference, ${longRepeats} time(s)…`);
  results.conformance = await loadAround("conformance", () => ({ profile, ...timedRuns("run", ["--only", "contract,streams", "--profile", profile, "--response-time", String(RESPONSE_TIME_MS)], longRepeats, log) }));
}

if (parts.includes("report")) {
  log(`The HTML report: size, render time and time to first paint in Chromium, ${repeats} times…`);
  results.report = await benchReport({ repeats, log });
}

if (parts.includes("peers")) {
  // A fault the shipped documents allow breaks nothing here: --all-faults names it, and why, beside the table.
  const all = values["all-faults"] === true;
  const leftOut = all ? FAULTS.filter((f) => f.stricterDocument).map((f) => ({ fault: f.name, why: `it breaks only a document with ${f.stricterDocument}` })) : [];
  const faults = all ? FAULTS.filter((f) => !f.stricterDocument).map((f) => f.name) : (values.faults?.split(",").filter(Boolean) ?? DEFAULT_FAULTS);
  const unknown = faults.filter((f) => !FAULT_NAMES.includes(f));
  if (unknown.length) {
    console.error(`agentwire bench: unknown fault ${unknown.join(", ")} (agentwire reference --list-faults names them)`);
    process.exit(2);
  }
  // Every peer run takes minutes: one repetition unless --repeats asks for more.
  const peerRepeats = values.repeats ? repeats : 1;
  const capMs = Number(values["peer-cap"] ?? 300) * 1000;
  log(`agentwire beside Schemathesis on the reference: speed on both documents${values["no-speed"] ? " (skipped)" : ""}, detection of ${faults.length} faults…`);
  try {
    const peers: PeersResult = await loadAround("peers", () => runPeers({
      faults,
      leftOut,
      repeats: peerRepeats,
      speed: { profile: "full", maxExamples: 100, only: "contract", capMs, statefulCapMs: Math.round(capMs / 3) },
      // Its stateful phase takes 3–15 s on the reference when it does not stall (then it would wait forever).
      detect: { profile: "smoke", maxExamples: 5, capMs: 150_000, statefulCapMs: 60_000 },
      // agentwire's default on the embedded reference, so both send as many requests at once.
      workers: 6,
      seed: 1,
      speedOff: values["no-speed"] === true,
      dir: join(out, "peers"),
      log,
    }));
    results.peers = peers;
  } catch (error) {
    if (!(error instanceof PeerSetupError)) throw error;
    console.error(`agentwire bench: ${error.message}`);
    results.peers = { error: error.message };
    process.exitCode = 1;
  }
}

const date = String(results.startedAt).slice(0, 10);
const peers = results.peers as PeersResult | { error: string } | undefined;
if (peers && !("error" in peers)) {
  // A run without the speed part keeps the README's earlier speed rows, said to be from that run.
  const earlier = peers.speed.length ? undefined : earlierSpeed(sectionOf(readFileSync(README, "utf8"), "peers") ?? "");
  const table = renderPeers(peers, results.machine as ReturnType<typeof describeMachine>, date, earlier);
  writeFileSync(join(out, "peers.md"), `${table}\n`);
  log(table);
  if (values.readme) writeFileSync(README, replaceSection(readFileSync(README, "utf8"), "peers", table));
}

// The goals of issue #13 against what this run measured; what it did not run is said so.
const goals = renderGoals(results, date);
writeFileSync(join(out, "goals.md"), `${goals}\n`);
log(goals);
if (values.readme) writeFileSync(README, replaceSection(readFileSync(README, "utf8"), "bench-goals", goals));

if (!rendering) {
  writeFileSync(join(out, "bench.json"), `${JSON.stringify(results, null, 2)}\n`);
  log(`written ${join(out, "bench.json")}`);
}

/** An earlier run's results, each document's peer speed figures derived again from its runs. */
function earlierRun(file: string): Record<string, unknown> {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    console.error(`agentwire bench: --render ${file}: ${(error as Error).message.split("\n")[0]}`);
    process.exit(2);
  }
  const p = r.peers as PeersResult | { error: string } | undefined;
  if (!p || "error" in p) return r;
  return { ...r, peers: { ...p, leftOut: p.leftOut ?? [], speed: p.speed.map((x) => speedOf(x.spec, x.agentwire.runs, x.schemathesis.runs)) } };
}
