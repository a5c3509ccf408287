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
import { openOf, runScenario } from "../support/units.ts";

const ALL = [...MANAGED_SCENARIOS, ...AGENT_SERVER_STREAM_SCENARIOS, ...LIFECYCLE_SCENARIOS];
const scenario = (title: string) => {
  const s = ALL.find((x) => x.title === title);
  if (!s) throw new Error(`no scenario "${title}"`);
  return s;
};

const CASES: { check: string; fault: string; scenario: string }[] = [
  { check: "stream_content_type", fault: "stream-content-type", scenario: "managed › stream mode values" },
  { check: "sse_framing", fault: "broken-framing", scenario: "managed › stream mode values" },
  { check: "stream_terminates", fault: "endless-stream", scenario: "managed › stream mode values" },
  { check: "metadata_first", fault: "no-metadata-event", scenario: "managed › stream mode values" },
  { check: "event_names", fault: "wrong-event-name", scenario: "managed › stream mode messages-tuple" },
  { check: "event_names", fault: "unrequested-mode", scenario: "managed › stream mode values" },
  { check: "event_payloads", fault: "messages-not-tuple", scenario: "managed › stream mode messages-tuple" },
  { check: "event_payloads", fault: "error-event-shape", scenario: "agent-server › a failing run ends with an error event" },
  { check: "error_event", fault: "error-event-dropped", scenario: "agent-server › a failing run ends with an error event" },
  { check: "ids_increase", fault: "ids-out-of-order", scenario: "agent-server › stream mode values" },
  { check: "ids_present", fault: "ids-dropped", scenario: "agent-server › stream mode values" },
  { check: "delivered_incrementally", fault: "buffered-stream", scenario: "managed › stream mode messages-tuple" },
  { check: "stream_complete", fault: "truncated-stream", scenario: "managed › stream mode messages-tuple" },
  { check: "managed_stream_modes_restricted", fault: "accepts-any-stream-mode", scenario: "managed › refuses other stream modes and assistant_id" },
  { check: "managed_assistant_id_rejected", fault: "accepts-assistant-id", scenario: "managed › refuses other stream modes and assistant_id" },
  { check: "managed_resolve_interrupt", fault: "resolve-interrupt-noop", scenario: "managed › interrupt then resolve-interrupt" },
  { check: "run_status_forward_only", fault: "run-status-regresses", scenario: "agent-server › run status only moves forward" },
  { check: "thread_status_lifecycle", fault: "thread-stays-busy", scenario: "agent-server › thread status follows its runs" },
  { check: "cancel_interrupts_run", fault: "cancel-ignored", scenario: "agent-server › cancel interrupts a running run" },
  { check: "multitask_reject", fault: "multitask-swapped", scenario: "agent-server › multitask reject" },
  { check: "multitask_enqueue", fault: "multitask-swapped", scenario: "agent-server › multitask enqueue" },
  { check: "multitask_interrupt", fault: "multitask-swapped", scenario: "agent-server › multitask interrupt" },
  { check: "multitask_rollback", fault: "multitask-swapped", scenario: "agent-server › multitask rollback" },
  { check: "multitask_default", fault: "multitask-swapped", scenario: "agent-server › multitask default" },
  { check: "on_disconnect_cancel", fault: "on-disconnect-swapped", scenario: "agent-server › on_disconnect cancel" },
  { check: "on_disconnect_continue", fault: "on-disconnect-swapped", scenario: "agent-server › on_disconnect continue" },
  { check: "resume_replay_equals_original", fault: "drop-event-on-resume", scenario: "agent-server › resumable stream replays and resumes exactly" },
  { check: "resume_after_id_exact", fault: "drop-event-on-resume", scenario: "agent-server › resumable stream replays and resumes exactly" },
];

describe("stream rules against reference faults", () => {
  const refs = sharedReference();

  test("every rule a scenario reports is covered by a case here", () => {
    const covered = new Set(CASES.map((c) => c.check));
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

  for (const c of CASES) {
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
