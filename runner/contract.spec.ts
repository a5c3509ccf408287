/**
 * Contract conformance as Playwright tests: one test per operation and check family, titled
 * "<api> › <operationId> › <family>", so the report reads as a conformance matrix; then the stateful flows.
 * A unit that cannot be judged says why (skipped, with the reason) and is never a pass.
 */
import { expect, type TestInfo } from "@playwright/test";
import { TransportError } from "../core/http.ts";
import { recordingUnit } from "../core/recording.ts";
import { SetupError } from "../core/setup.ts";
import type { SpecId } from "../core/target.ts";
import { FLOWS } from "../contract/engine/flows.ts";
import { familiesFor, runFamily } from "../contract/engine/families.ts";
import { startsRuns } from "../contract/engine/fixtures.ts";
import type { Engine } from "../contract/engine/index.ts";
import { pathsOf, runMethods } from "../contract/engine/methods.ts";
import { formatReplay } from "../results/finding.ts";
import { Recorder, type UnitResult } from "../results/recorder.ts";
import { stopwatch } from "../results/timing.ts";
import { loadRunEnvironment } from "./environment.ts";
import { takeSetupTime, test } from "./fixtures.ts";
import { RESULT_ATTACHMENT } from "./reporter.ts";
import { markTargetDown, targetDown } from "./shared.ts";

const env = await loadRunEnvironment();
const { settings } = env;
const served: Record<SpecId, boolean> = { "managed-deep-agents": Boolean(settings.target.managedUrl), "agent-server": Boolean(settings.target.agentServerUrl) };

async function report(testInfo: TestInfo, raw: UnitResult, skipped?: string) {
  const result = env.waive(raw);
  const setupTime = takeSetupTime();
  if (setupTime) (result.timings ??= []).push(setupTime);
  await testInfo.attach(RESULT_ATTACHMENT, { body: JSON.stringify(result), contentType: "application/json" });
  for (const f of result.findings.filter((x) => x.waived)) testInfo.annotations.push({ type: "waived", description: `${f.check}: ${f.message} — ${f.waived!.reason}` });
  // A unit whose setup failed is skipped with that reason, not failed: a failing test restarts its worker,
  // which would set up again against the same target. The fixture_setup finding is in the run's reports.
  const open = result.findings.filter((f) => !f.waived && !(skipped && f.check === "fixture_setup")).map((f) => `${f.check}: ${f.message}\n  ${f.reproducer}${f.replay ? `\n  replay ${formatReplay(f.replay)}` : ""}`);
  expect(open, "open findings").toEqual([]);
  test.skip(skipped !== undefined, skipped);
}

/** Runs one unit and reports it; a unit that cannot be judged says why (a suite error still fails the test). */
async function unit(engine: Engine | undefined, testInfo: TestInfo, spec: SpecId, operationId: string | undefined, kind: { family: string } | { flow: string }, body: (e: Engine, rec: Recorder) => Promise<string | undefined>) {
  const watch = stopwatch();
  const rec = new Recorder();
  const where = { unit: testInfo.titlePath.slice(1).join(" › "), spec, ...(operationId ? { operationId } : {}) };
  const notJudged = (reason: string, cause: "target" | "not-applicable" = "target") => (rec.skip({ ...where, reason, cause }), `not judged: ${reason}`);
  const setupFailed = (error: SetupError) => {
    // No usable answer while preparing: nothing can be judged on this target, in any process.
    if (error.transport) markTargetDown(settings.outDir, `could not prepare a unit: ${error.message}`);
    rec.setupFailed(where, error);
    return `not judged: could not prepare it: ${error.message}`;
  };
  const down = targetDown(settings.outDir);
  const problem = engine?.problems[spec];
  let skipped: string | undefined;
  if (down) skipped = notJudged(`the target is unusable: ${down}`);
  else if (problem) skipped = setupFailed(problem);
  else {
    recordingUnit(where.unit);
    try {
      const why = await body(engine!, rec);
      if (why) skipped = notJudged(why, "not-applicable");
      else rec.judged({ spec, unit: where.unit, ...kind });
    } catch (error) {
      if (error instanceof SetupError) skipped = setupFailed(error);
      else if (error instanceof TransportError) skipped = notJudged(error.message);
      else {
        rec.skip({ ...where, reason: `the suite failed: ${(error as Error).message}`, cause: "suite" });
        await testInfo.attach(RESULT_ATTACHMENT, { body: JSON.stringify(env.waive(rec.result())), contentType: "application/json" });
        throw error;
      }
    } finally {
      recordingUnit(undefined);
    }
  }
  const timing = watch(where.unit, "contract");
  if (operationId) rec.elapsed({ spec, operationId }, timing.ms);
  await report(testInfo, { ...rec.result(), timings: [timing] }, skipped);
}

const specs = (Object.entries(env.specs) as [SpecId, NonNullable<(typeof env.specs)[SpecId]>][]).filter(([spec]) => served[spec]);
// The methods a path's document does not list are probed in a unit of the path's first operation.
const paths = new Map(specs.flatMap(([spec, model]) => pathsOf(model).map((p) => [`${spec} ${p.operations[0]!.operationId}`, p] as const)));
// Units that wait on runs or read event streams for a window go first, so the long ones do not end up alone
// at the end of the run.
const operations = specs.flatMap(([spec, model]) => model.operations.map((op) => ({ spec, op })));
const waitsLong = (x: (typeof operations)[number]) => Number(startsRuns(x.spec, x.op.operationId) || x.op.streaming === true);
operations.sort((a, b) => waitsLong(b) - waitsLong(a));
for (const { spec, op } of operations) {
  test.describe(`${spec} › ${op.operationId}`, () => {
    for (const family of familiesFor(op)) {
      test(family, ({ engine }, testInfo) => unit(engine, testInfo, spec, op.operationId, { family }, (e, rec) => runFamily(e.context(spec, rec), op, family, e.unrouted(spec))));
    }
    const path = paths.get(`${spec} ${op.operationId}`);
    if (path) test("methods", ({ engine }, testInfo) => unit(engine, testInfo, spec, op.operationId, { family: "methods" }, (e, rec) => runMethods(e.context(spec, rec), path)));
  });
}
for (const flow of FLOWS.filter((f) => served[f.spec])) {
  test(`${flow.spec} › flow › ${flow.title}`, ({ engine }, testInfo) => unit(engine, testInfo, flow.spec, undefined, { flow: flow.title }, async (e, rec) => void (await flow.run(e.context(flow.spec, rec)))));
}
