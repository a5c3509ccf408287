/**
 * The hostile-target matrix: against each behaviour of test/support/hostile.ts the run ends within its
 * bound with exit 1 or 3 (never 0), says why, stays under 512 MiB per process (and bounded all together),
 * leaks the canary key into no output, and leaves no process behind. The README's table is this one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { closedPort } from "./harness.ts";
import { HOSTILE_CASES, type HostileCase } from "../support/hostile-cases.ts";
import { startHostile } from "../support/hostile.ts";
import { runAgainst, type HostileRun } from "../support/hostile-run.ts";

/** Each process's peak resident set, as `/usr/bin/time -v` reports a run's maximum. */
const MEMORY_MIB = 512;
/** The run's three Node processes together (CLI, runner, worker): about 450 MiB whatever the target sends. */
const TREE_MIB = 768;

async function runCase(c: HostileCase): Promise<HostileRun> {
  if (c.behaviour === "refused") {
    const port = await closedPort();
    return runAgainst(c.args(`http://127.0.0.1:${port}`), c.maxWallMs + 30_000, c.grep);
  }
  const server = await startHostile(c.behaviour, { probe: c.probe });
  try {
    const run = await runAgainst(c.args(server.url), c.maxWallMs + 30_000, c.grep);
    // A redirect to another host is never followed: nothing, the key least of all, went there.
    if (c.behaviour === "redirect") assert.equal(server.redirected(), 0, "a request followed the redirect to another host");
    return run;
  } finally {
    await server.stop();
  }
}

for (const c of HOSTILE_CASES) {
  test(`hostile target, ${c.behaviour}: exit ${c.exit} within ${c.maxWallMs / 1000} s, ${c.says}`, async (t) => {
    const r = await runCase(c);
    t.diagnostic(`${c.behaviour}: exit ${r.code}, ${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${r.memory.processMiB.toFixed(0)} MiB per process, ${r.memory.treeMiB.toFixed(0)} MiB for the tree`);
    const tail = r.stderr.slice(-3000);
    assert.equal(r.code, c.exit, tail);
    assert.ok(r.wallMs < c.maxWallMs, `took ${r.wallMs.toFixed(0)} ms (bound ${c.maxWallMs})`);
    assert.ok(r.memory.processMiB < MEMORY_MIB, `a process peaked at ${r.memory.processMiB.toFixed(0)} MiB`);
    assert.ok(r.memory.treeMiB < TREE_MIB, `the run's processes together peaked at ${r.memory.treeMiB.toFixed(0)} MiB`);
    assert.deepEqual(r.leaks, [], "the canary key was written");
    assert.deepEqual(r.survivors, [], "processes outlived the run");
    assert.match(r.stderr, c.says, tail);
    assert.doesNotMatch(r.stderr, /^\s+at .+:\d+/m, "a stack trace was printed");
    assert.equal(r.summary?.verdict, "fail");
    c.judged?.(r.summary);
  });
}
