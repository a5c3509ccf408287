/**
 * Stream conformance as Playwright tests: each scenario runs once (in one worker), and each rule it
 * judges is its own test, so the report reads rule by rule. A rule the scenario could not judge says why.
 */
import { expect } from "@playwright/test";
import { TransportError } from "../core/http.ts";
import { recordingUnit } from "../core/recording.ts";
import { SetupError } from "../core/setup.ts";
import { AGENT_SERVER_STREAM_SCENARIOS } from "../streams/scenarios/agent-server.ts";
import { LIFECYCLE_SCENARIOS } from "../streams/scenarios/lifecycle.ts";
import { MANAGED_SCENARIOS } from "../streams/scenarios/managed.ts";
import { scenarioContext, type NamedScenario } from "../streams/scenarios/context.ts";
import { Recorder, type UnitResult } from "../results/recorder.ts";
import { stopwatch } from "../results/timing.ts";
import type { NotJudged } from "../results/summary.ts";
import { loadRunEnvironment } from "./environment.ts";
import { test } from "./fixtures.ts";
import { RESULT_ATTACHMENT } from "./reporter.ts";
import { cachedScenario, cacheScenario, markTargetDown, targetDown } from "./shared.ts";

const env = await loadRunEnvironment();
const { outDir } = env.settings;
const scenarios: NamedScenario[] = [
  ...(env.settings.target.managedUrl ? MANAGED_SCENARIOS : []),
  ...(env.settings.target.agentServerUrl ? [...AGENT_SERVER_STREAM_SCENARIOS, ...LIFECYCLE_SCENARIOS] : []),
];

/** Runs a scenario once per run: a worker restarted after a failing rule reuses the result. */
async function judged(scenario: NamedScenario): Promise<UnitResult> {
  const cached = cachedScenario(outDir, scenario.title);
  if (cached) return cached;
  const watch = stopwatch();
  const rec = new Recorder();
  const where = { unit: scenario.title, spec: scenario.spec };
  const down = targetDown(outDir);
  if (down) rec.skip({ ...where, reason: `the target is unusable: ${down}`, cause: "target" });
  else {
    recordingUnit(scenario.title);
    try {
      await scenario.run(scenarioContext({ target: env.settings.target, rec, oracle: env.oracle, tag: env.settings.tag }));
    } catch (error) {
      if (error instanceof SetupError) {
        // No usable answer while preparing: nothing can be judged on this target, in any process.
        if (error.transport) markTargetDown(outDir, `could not prepare a scenario: ${error.message}`);
        rec.setupFailed(where, error);
      } else if (error instanceof TransportError) rec.skip({ ...where, reason: error.message, cause: "target" });
      else rec.skip({ ...where, reason: `the suite failed: ${(error as Error).message}`, cause: "suite" });
    } finally {
      recordingUnit(undefined);
    }
  }
  // Each finding names its scenario, so the report's replay command can run just that one again.
  const raw = rec.result();
  const result = { ...env.waive({ ...raw, findings: raw.findings.map((f) => (f.unit ? f : { ...f, unit: { scenario: scenario.title } })) }), timings: [watch(scenario.title, "streams")] };
  cacheScenario(outDir, scenario.title, result);
  return result;
}

for (const scenario of scenarios) {
  test.describe(scenario.title, () => {
    // One worker runs the scenario's tests in order, so the stream is opened once; a failing rule does not skip the others.
    test.describe.configure({ mode: "default" });
    // A scenario this target cannot run is named with the reason (and the flag that would enable it), never passed.
    const unmet = scenario.requires?.(env.settings.target);
    let result: UnitResult;
    test.beforeAll(async () => {
      result = unmet
        ? { operations: [], findings: [], streams: [], notJudged: [{ unit: scenario.title, spec: scenario.spec, reason: unmet, cause: "not-applicable" }] }
        : await judged(scenario);
    });

    // The exchanges first: an interrupted run then keeps what each scenario that ran had sent.
    for (const check of ["exchanges" as const, ...scenario.checks]) {
      test(check, async ({}, testInfo) => {
        // Set when the scenario stopped short: a requirement this target does not meet, its setup failed, or an error.
        const stopped = result.notJudged[0];
        const mine: UnitResult =
          check === "exchanges"
            ? { operations: result.operations, findings: result.findings.filter((f) => !scenario.checks.includes(f.check)), streams: [], notJudged: result.notJudged, timings: result.timings ?? [] }
            : { operations: [], findings: result.findings.filter((f) => f.check === check), streams: result.streams.filter((s) => s.check === check), notJudged: [] };
        const skipped = mine.streams.filter((s) => s.verdict === "skipped");
        let why: Pick<NotJudged, "reason" | "cause"> | undefined = check === "exchanges" ? stopped : undefined;
        if (check !== "exchanges" && mine.streams.length === 0) why = stopped ?? { reason: "the scenario did not get far enough to judge it (see its other tests)", cause: "target" };
        // Every stream it saw says why the rule cannot judge it here (e.g. the pace of a remote model is unknown).
        else if (check !== "exchanges" && skipped.length === mine.streams.length) why = { reason: [...new Set(skipped.map((x) => x.reason))].join("; "), cause: "not-applicable" };
        if (why && check !== "exchanges") mine.notJudged.push({ unit: `${scenario.title} › ${check}`, spec: scenario.spec, reason: why.reason, cause: why.cause });
        await testInfo.attach(RESULT_ATTACHMENT, { body: JSON.stringify(mine), contentType: "application/json" });
        if (check === "exchanges" && stopped?.cause === "suite") throw new Error(stopped.reason);
        for (const f of mine.findings.filter((x) => x.waived)) testInfo.annotations.push({ type: "waived", description: `${f.check}: ${f.message} — ${f.waived!.reason}` });
        // A scenario stopped short is skipped with the reason, not failed: a failing test restarts its worker for
        // nothing. Its findings are in the run's reports all the same.
        test.skip(why !== undefined, `not judged: ${why?.reason}`);
        const open = mine.findings.filter((f) => !f.waived).map((f) => `${f.operationId}: ${f.message}\n  ${f.reproducer}`);
        expect(open, `${check} findings`).toEqual([]);
      });
    }
  });
}
