/**
 * Stream conformance as Playwright tests: each scenario runs once (in one worker), and each rule it
 * judges is its own test, so the report reads rule by rule.
 */
import { expect, test } from "@playwright/test";
import { AGENT_SERVER_STREAM_SCENARIOS } from "../streams/scenarios/agent-server.ts";
import { LIFECYCLE_SCENARIOS } from "../streams/scenarios/lifecycle.ts";
import { MANAGED_SCENARIOS } from "../streams/scenarios/managed.ts";
import { scenarioContext, type NamedScenario } from "../streams/scenarios/context.ts";
import { Recorder, type UnitResult } from "../results/recorder.ts";
import { loadRunEnvironment } from "./environment.ts";
import { RESULT_ATTACHMENT } from "./reporter.ts";

const env = await loadRunEnvironment();
const scenarios: NamedScenario[] = [
  ...(env.settings.target.managedUrl ? MANAGED_SCENARIOS : []),
  ...(env.settings.target.agentServerUrl ? [...AGENT_SERVER_STREAM_SCENARIOS, ...LIFECYCLE_SCENARIOS] : []),
];

for (const scenario of scenarios) {
  test.describe(scenario.title, () => {
    // One worker runs the scenario's tests in order, so the stream is opened once; a failing rule does not skip the others.
    test.describe.configure({ mode: "default" });
    // A scenario this target cannot run is named with the reason (and the flag that would enable it), never passed.
    const unmet = scenario.requires?.(env.settings.target);
    let result: UnitResult;
    test.beforeAll(async () => {
      if (unmet) return;
      const rec = new Recorder();
      await scenario.run(scenarioContext({ target: env.settings.target, rec, oracle: env.oracle, tag: env.settings.tag }));
      result = env.waive(rec.result());
    });

    for (const check of [...scenario.checks, "exchanges" as const]) {
      test(check, async ({}, testInfo) => {
        test.skip(unmet !== undefined, `not judged: ${unmet}`);
        const mine: UnitResult =
          check === "exchanges"
            ? { operations: result.operations, findings: result.findings.filter((f) => !scenario.checks.includes(f.check)), streams: [], notJudged: [] }
            : { operations: [], findings: result.findings.filter((f) => f.check === check), streams: result.streams.filter((s) => s.check === check), notJudged: [] };
        await testInfo.attach(RESULT_ATTACHMENT, { body: JSON.stringify(mine), contentType: "application/json" });
        if (check !== "exchanges" && mine.streams.length === 0) test.skip(true, "not judged: the scenario did not get far enough (see its other tests)");
        const skipped = mine.streams.filter((s) => s.verdict === "skipped");
        if (check !== "exchanges" && skipped.length === mine.streams.length) test.skip(true, `not judged: ${[...new Set(skipped.map((s) => s.reason))].join("; ")}`);
        for (const f of mine.findings.filter((x) => x.waived)) testInfo.annotations.push({ type: "waived", description: `${f.check}: ${f.message} — ${f.waived!.reason}` });
        const open = mine.findings.filter((f) => !f.waived).map((f) => `${f.operationId}: ${f.message}\n  ${f.reproducer}`);
        expect(open, `${check} findings`).toEqual([]);
      });
    }
  });
}
