/**
 * Every stream rule and run-lifecycle rule fails on the reference fault that breaks it and passes on the
 * healthy reference (where the real Agent Server itself deviates, only waived findings are allowed).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { sharedReference } from "../support/reference.ts";
import { AGENT_SERVER_STREAM_SCENARIOS } from "../../streams/scenarios/agent-server.ts";
import { LIFECYCLE_SCENARIOS } from "../../streams/scenarios/lifecycle.ts";
import { MANAGED_SCENARIOS } from "../../streams/scenarios/managed.ts";
import { STREAM_CASES } from "../support/fault-cases.ts";
import { openOf, runScenario } from "../support/units.ts";

const ALL = [...MANAGED_SCENARIOS, ...AGENT_SERVER_STREAM_SCENARIOS, ...LIFECYCLE_SCENARIOS];
const scenario = (title: string) => {
  const s = ALL.find((x) => x.title === title);
  if (!s) throw new Error(`no scenario "${title}"`);
  return s;
};



describe("stream rules against reference faults", () => {
  const refs = sharedReference();

  test("every rule a scenario reports is covered by a case here", () => {
    const covered = new Set(STREAM_CASES.map((c) => c.check));
    for (const s of ALL) for (const check of s.checks) assert.ok(covered.has(check), `${check} (${s.title}) has no fault case`);
  });

  // Every stream mode of both APIs, judged on the healthy reference and on one whose events are misnamed.
  for (const s of ALL.filter((x) => /› stream mode |› all stream modes/.test(x.title))) {
    test(`${s.title}: passes on the healthy reference, event_names fails on mode-events-renamed`, async () => {
      await refs.withFault("mode-events-renamed", async (faulty) => {
        const [good, bad] = await Promise.all([runScenario(refs.healthy, s), runScenario(faulty, s)]);
        assert.deepEqual(good.findings.filter((f) => !f.waived).map((f) => `${f.check}: ${f.message}`), [], "healthy reference");
        assert.ok(openOf(bad, "event_names").length > 0, "no event_names finding");
      });
    });
  }

  for (const c of STREAM_CASES) {
    test(`${c.check} fails on ${c.fault} and passes on the healthy reference (${c.scenario})`, async () => {
      await refs.withFault(c.fault, async (faulty) => {
        const [good, bad] = await Promise.all([runScenario(refs.healthy, scenario(c.scenario)), runScenario(faulty, scenario(c.scenario))]);
        assert.deepEqual(openOf(good, c.check).map((f) => f.message), [], "healthy reference");
        assert.ok(good.streams.some((s) => s.check === c.check), `the healthy run did not judge ${c.check}`);
        assert.ok(openOf(bad, c.check).length > 0, `no ${c.check} finding with ${c.fault}; findings: ${JSON.stringify(bad.findings.map((f) => `${f.check}: ${f.message}`).slice(0, 8))}`);
      });
    });
  }
});
