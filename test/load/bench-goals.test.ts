/** The benchmark's goal table: each figure against its goal, a miss said plainly, a part not run never filled in. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderGoals } from "../../load/bench/goals.ts";
import type { TimedRuns } from "../../load/bench/verdict.ts";

const machine = { cpus: 2, cpuModel: "Test CPU", memoryGiB: 8, node: "v20.0.0" };
const timed = (walls: number[], phasesMs: Record<string, number>): TimedRuns => ({
  args: [],
  runs: walls.map((wallMs) => ({ wallMs, exit: 0, verdict: "pass", requests: 1000, phasesMs, targetShare: 0.9, loadAverage: [0.1, 0.5] as [number, number], openFindings: [] })),
  median: { wallMs: [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)]!, requests: 1000, reqPerS: 20 },
});
const row = (table: string, starts: string) => table.split("\n").find((l) => l.startsWith(`| ${starts}`)) ?? assert.fail(`no row "${starts}" in\n${table}`);

test("a met goal, a missed one, and parts the run did not include", () => {
  const table = renderGoals({ machine, start: timed([58_000, 55_000, 61_000], { contract: 38_000, streams: 38_000, load: 18_000 }), conformance: { profile: "full", ...timed([400_000], { contract: 400_000 }) } }, "2026-12-03");
  assert.match(row(table, "`npm start`"), /58\.0 s, median of 3 \(58\.0 s, 55\.0 s, 61\.0 s\); contract \+ streams 38\.0 s, load 18\.0 s.*\| met \|$/);
  assert.match(row(table, "full run of both documents"), /400\.0 s.*\| \*\*missed\*\* \|$/);
  for (const what of ["full profile, Managed", "full profile, Agent Server", "detection", "load driver CPU", "k6 CPU", "TTFT error", "capacity with 2"]) assert.match(row(table, what), /not measured in this run.*\| not measured \|$/, what);
  assert.match(table, /^Measured 2026-12-03 by one `npm run bench` on 2 vCPUs \(Test CPU, 8 GiB, Node 20\.0\.0\): 1 goals met, 1 missed, 7 not measured in this run\./);
});

test("a quick smoke conformance run is not a full run; a fault only Schemathesis reports is named", () => {
  const table = renderGoals(
    {
      machine,
      conformance: { profile: "smoke", ...timed([40_000], {}) },
      peers: {
        speed: [{ spec: "managed-deep-agents", agentwire: { median: { wallMs: 100_000, requests: 5000, reqPerS: 50 } }, schemathesis: { median: { wallMs: 70_000, requests: 1400, reqPerS: 20 }, runs: [{ capped: false }], finished: 1 }, ratio: 2.5 }],
        detection: [
          { fault: "server-error", agentwire: { detected: true }, schemathesis: { detected: true } },
          { fault: "odd-one", agentwire: { detected: false }, schemathesis: { detected: true } },
        ],
      },
    },
    "2026-12-03",
  );
  assert.match(row(table, "full run of both documents"), /not measured/);
  assert.match(row(table, "full profile, Managed"), /ratio 2\.5×.*\*\*missed\*\*/);
  assert.match(row(table, "full profile, Agent Server"), /not measured/);
  assert.match(row(table, "detection"), /2 faults: agentwire 1, Schemathesis 2; only Schemathesis: `odd-one`.*\*\*missed\*\*/);
});

test("a ratio against a peer that only stalled is not judged; one with some runs stopped says which runs its median is over", () => {
  const speed = (spec: string, capped: boolean[]) => ({
    spec,
    agentwire: { median: { wallMs: 50_000, requests: 10_000, reqPerS: 200 } },
    schemathesis: { median: { wallMs: 140_000, requests: 1400, reqPerS: 10 }, runs: capped.map((c) => ({ capped: c })), finished: capped.filter((c) => !c).length },
    ratio: 20,
  });
  const table = renderGoals({ machine, peers: { speed: [speed("managed-deep-agents", [true, false, true]), speed("agent-server", [true, true, true])], detection: [] } }, "2026-12-03");
  assert.match(row(table, "full profile, Managed"), /median of the 1 of 3 runs that finished; 2 stalled in its stateful phase and were stopped at the cap\); ratio 20× \| met/);
  assert.match(row(table, "full profile, Agent Server"), /each of its 3 runs stalled and was stopped at the cap\); ratio 20× \| not measured/);
});
