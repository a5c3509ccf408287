/**
 * Concurrent runs on one thread: each multitask check fails on the reference fault that breaks its rule
 * and passes on the healthy reference (where the real Agent Server deviates, only waived findings remain);
 * and each check judges a hand-made observation the way its rule says.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient } from "../../core/client.ts";
import { paceConfig } from "../../core/target.ts";
import type { Finding } from "../../results/finding.ts";
import { MULTITASK_CHECK_NAMES, multitaskNoDuplicateRuns, multitaskNoLostRuns, multitaskOneRunAtATime, multitaskOutcome, multitaskThreadConsistent } from "../../load/multitask/checks.ts";
import type { BurstRun, Strategy, ThreadObservation } from "../../load/multitask/observe.ts";
import { runMultitaskLoad, type MultitaskLoadResult } from "../../load/multitask/run.ts";
import { applyWaivers, loadWaivers } from "../../results/waivers.ts";
import { referenceWaivers } from "../../reference/waivers/index.ts";
import type { Reference } from "../../reference/index.ts";
import { MULTITASK_CASES } from "../support/fault-cases.ts";
import { sharedReference } from "../support/reference.ts";

const WAIVERS = referenceWaivers("js").flatMap(loadWaivers);

/** The open (unwaived) findings of one check, as the run command would report them. */
function open(result: MultitaskLoadResult, check: string): string[] {
  const findings: Finding[] = result.problems.map((p) => ({ fingerprint: "", check: p.check, spec: "agent-server", operationId: "create_run_threads__thread_id__runs_post", message: p.message, strategy: p.strategy, reproducer: "" }));
  return applyWaivers(findings, WAIVERS).findings.filter((f) => f.check === check && !f.waived).map((f) => f.message);
}

const burst = (ref: Reference, strategies: Strategy[], seed = 7) =>
  runMultitaskLoad({ client: new ApiClient({ baseUrl: ref.agentServerUrl }), assistantId: "agent", strategies, threadsPerStrategy: 2, runsPerThread: 4, gapMs: [10, 150], deadlineMs: 30_000, seed, runConfig: paceConfig(ref.knobs, { tokens: 20, delayMs: 10 }) });

describe("multitask under load against reference faults", () => {
  const refs = sharedReference();



  test("every multitask check has a fault case", () => {
    assert.deepEqual(MULTITASK_CASES.map((c) => c.check).sort(), [...MULTITASK_CHECK_NAMES].sort());
  });

  test("the healthy reference passes every check under all four strategies at once", async () => {
    const r = await burst(refs.healthy, ["reject", "enqueue", "interrupt", "rollback"]);
    for (const check of MULTITASK_CHECK_NAMES) assert.deepEqual(open(r, check), [], check);
    const by = Object.fromEntries(r.outcomes.map((o) => [o.strategy, o]));
    assert.equal(by.enqueue!.fates.success, 8, JSON.stringify(by.enqueue));
    assert.ok(by.reject!.refused > 0, JSON.stringify(by.reject));
    assert.ok((by.interrupt!.fates.interrupted ?? 0) > 0, JSON.stringify(by.interrupt));
    assert.ok((by.rollback!.fates.deleted ?? 0) + (by.rollback!.fates.error ?? 0) > 0, JSON.stringify(by.rollback));
    // The report's timeline: every run sent, in order of sending; a created run answered before it was seen running, and seen ending after.
    for (const o of r.outcomes) {
      assert.equal(o.timeline!.length, 2);
      for (const runs of o.timeline!) {
        assert.equal(runs.length, 4);
        for (const run of runs) {
          assert.ok(run.answeredAtMs! >= run.sentAtMs, JSON.stringify(run));
          if (run.runningAtMs !== undefined) assert.ok(run.endedAtMs === undefined || run.endedAtMs >= run.runningAtMs, JSON.stringify(run));
          if (run.status >= 200 && run.status < 300) assert.ok(run.fate && (run.endedAtMs !== undefined || run.fate === "unfinished"), JSON.stringify(run));
        }
      }
    }
  });

  for (const c of MULTITASK_CASES) {
    test(`${c.check} fails on ${c.fault}`, async () => {
      await refs.withFault(c.fault, async (faulty) => {
        const r = await burst(faulty, c.strategies);
        assert.ok(open(r, c.check).length > 0, `no ${c.check} finding; problems: ${JSON.stringify(r.problems.map((p) => `${p.check}: ${p.message}`).slice(0, 8))}`);
        // Each finding names its strategy and carries the burst's create request for the reproducer.
        for (const p of r.problems) {
          assert.match(p.strategy ?? "", /^(reject|enqueue|interrupt|rollback)$/);
          assert.match(p.request.url, /\/threads\/[^/]+\/runs$/);
        }
      });
    });
  }
});

describe("multitask checks on hand-made observations", () => {
  const run = (index: number, fate: string | undefined, extra: Partial<BurstRun> = {}): BurstRun => ({
    index,
    input: `in ${index}`,
    sentAtMs: index * 50,
    createStatus: 200,
    runId: `r${index}`,
    createdAt: `2026-01-01T00:00:0${index}.000Z`,
    updatedAt: `2026-01-01T00:00:0${index}.500Z`,
    fate,
    ...extra,
  });
  const obs = (strategy: Strategy, runs: BurstRun[], extra: Partial<ThreadObservation> = {}): ThreadObservation => ({
    strategy,
    threadId: "t",
    runs,
    listed: runs.filter((r) => r.runId && r.fate !== "deleted").map((r) => r.runId!),
    maxRunning: 1,
    threadStatus: "idle",
    humanInputs: runs.filter((r) => r.fate === "success" || r.fate === "interrupted").map((r) => r.input),
    template: { method: "POST", url: "http://127.0.0.1/threads/t/runs", headers: {} },
    ...extra,
  });
  const refused = (index: number, status = 409) => run(index, undefined, { runId: undefined, createStatus: status, createdAt: undefined, updatedAt: undefined });

  test("documented outcomes pass every check", () => {
    const healthy = [
      obs("enqueue", [run(0, "success"), run(1, "success"), run(2, "success")]),
      obs("reject", [run(0, "success"), refused(1), refused(2)]),
      obs("interrupt", [run(0, "interrupted"), run(1, "interrupted"), run(2, "success")]),
      obs("rollback", [run(0, "deleted"), run(1, "success"), run(2, "success")]),
    ];
    for (const o of healthy) for (const check of [multitaskNoLostRuns, multitaskNoDuplicateRuns, multitaskOneRunAtATime, multitaskOutcome, multitaskThreadConsistent]) assert.deepEqual(check(o), [], `${o.strategy} ${check.checkName}`);
  });

  test("a deleted run is lost except under rollback; an unlisted or unfinished one is lost", () => {
    assert.match(multitaskNoLostRuns(obs("enqueue", [run(0, "success"), run(1, "deleted")]))[0]!.message, /only rollback may delete/);
    assert.match(multitaskNoLostRuns(obs("enqueue", [run(0, "unfinished")]))[0]!.message, /still in flight/);
    assert.match(multitaskNoLostRuns(obs("enqueue", [run(0, "success")], { listed: [] }))[0]!.message, /missing from the thread's run list/);
  });

  test("repeated ids, strangers in the list and inputs executed twice are duplicates", () => {
    const twice = obs("enqueue", [run(0, "success"), run(1, "success")]);
    assert.equal(multitaskNoDuplicateRuns({ ...twice, listed: ["r0", "r0", "r1"] }).length, 1);
    assert.equal(multitaskNoDuplicateRuns({ ...twice, listed: ["r0", "r1", "x"] }).length, 1);
    assert.equal(multitaskNoDuplicateRuns({ ...twice, humanInputs: ["in 0", "in 0", "in 1"] }).length, 1);
  });

  test("two runs running at once break one-run-at-a-time", () => {
    assert.equal(multitaskOneRunAtATime(obs("enqueue", [run(0, "success")], { maxRunning: 2, overlapping: ["a", "b"] })).length, 1);
  });

  test("each strategy's outcome rule", () => {
    assert.match(multitaskOutcome(obs("reject", [run(0, "success"), refused(1, 422)]))[0]!.message, /got 422, expected 409/);
    // Accepted while the previous accepted run was still in flight (created at 1 s, the first ended at 2.5 s).
    assert.match(multitaskOutcome(obs("reject", [run(0, "success", { updatedAt: "2026-01-01T00:00:02.500Z" }), run(1, "success")]))[0]!.message, /while .* was in flight/);
    assert.match(multitaskOutcome(obs("enqueue", [run(0, "success"), run(1, "success")], { humanInputs: ["in 1", "in 0"] }))[0]!.message, /out of creation order/);
    assert.match(multitaskOutcome(obs("enqueue", [run(0, "interrupted"), run(1, "success")]))[0]!.message, /ended interrupted, expected success/);
    assert.match(multitaskOutcome(obs("interrupt", [run(0, "interrupted"), run(1, "interrupted")]))[0]!.message, /the newest run wins/);
    assert.match(multitaskOutcome(obs("rollback", [run(0, "error"), run(1, "success")]))[0]!.message, /ended error, expected deleted/);
  });

  test("the thread must end idle with every successful input and no refused or deleted one", () => {
    assert.match(multitaskThreadConsistent(obs("enqueue", [run(0, "success")], { threadStatus: "busy" }))[0]!.message, /expected idle/);
    assert.match(multitaskThreadConsistent(obs("enqueue", [run(0, "success")], { humanInputs: [] }))[0]!.message, /input is missing/);
    assert.match(multitaskThreadConsistent(obs("reject", [run(0, "success"), refused(1)], { humanInputs: ["in 0", "in 1"] }))[0]!.message, /refused but its input/);
  });
});
