/**
 * Contract conformance as Playwright tests: one test per operation and check family, titled
 * "<api> › <operationId> › <family>", so the report reads as a conformance matrix; then the stateful flows.
 */
import { expect, test, type TestInfo } from "@playwright/test";
import type { SpecId } from "../core/target.ts";
import { FLOWS } from "../contract/engine/flows.ts";
import { familiesFor, runFamily } from "../contract/engine/families.ts";
import { startEngine, type Engine } from "../contract/engine/index.ts";
import { formatReplay } from "../results/finding.ts";
import { Recorder, type UnitResult } from "../results/recorder.ts";
import { loadRunEnvironment } from "./environment.ts";
import { RESULT_ATTACHMENT } from "./reporter.ts";

const env = await loadRunEnvironment();
const { settings } = env;
const served: Record<SpecId, boolean> = { "managed-deep-agents": Boolean(settings.target.managedUrl), "agent-server": Boolean(settings.target.agentServerUrl) };

let engine: Engine | undefined;
test.beforeAll(async () => {
  engine ??= await startEngine({ target: settings.target, specs: env.specs, oracle: env.oracle, seed: settings.seed, examples: settings.examples, tag: settings.tag });
});
test.afterAll(async () => {
  // Everything this worker created, and nothing else, is deleted.
  await engine?.cleanup();
});

async function report(testInfo: TestInfo, raw: UnitResult, skipped?: string) {
  const result = env.waive(raw);
  await testInfo.attach(RESULT_ATTACHMENT, { body: JSON.stringify(result), contentType: "application/json" });
  for (const f of result.findings.filter((x) => x.waived)) testInfo.annotations.push({ type: "waived", description: `${f.check}: ${f.message} — ${f.waived!.reason}` });
  const open = result.findings.filter((f) => !f.waived).map((f) => `${f.check}: ${f.message}\n  ${f.reproducer}${f.replay ? `\n  replay ${formatReplay(f.replay)}` : ""}`);
  expect(open, "open findings").toEqual([]);
  test.skip(skipped !== undefined, skipped);
}

function prepared(spec: SpecId): Engine {
  const problem = engine!.problems[spec];
  if (problem) throw new Error(problem);
  return engine!;
}

for (const [spec, model] of Object.entries(env.specs) as [SpecId, NonNullable<(typeof env.specs)[SpecId]>][]) {
  if (!served[spec]) continue;
  for (const op of model.operations) {
    test.describe(`${spec} › ${op.operationId}`, () => {
      for (const family of familiesFor(op)) {
        test(family, async ({}, testInfo) => {
          const e = prepared(spec);
          const rec = new Recorder();
          const skipped = await runFamily(e.context(spec, rec), op, family, e.unrouted(spec));
          await report(testInfo, rec.result(), skipped);
        });
      }
    });
  }
  for (const flow of FLOWS.filter((f) => f.spec === spec)) {
    test(`${spec} › flow › ${flow.title}`, async ({}, testInfo) => {
      const e = prepared(spec);
      const rec = new Recorder();
      await flow.run(e.context(spec, rec));
      await report(testInfo, rec.result());
    });
  }
}
