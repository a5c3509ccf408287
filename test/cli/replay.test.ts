/** agentwire replay: a finding's exact request, re-sent to the reference with the run's fault and without it. */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fingerprintOf } from "../../results/fingerprint.ts";
import type { Finding } from "../../results/finding.ts";
import { summary } from "../support/summary.ts";
import { errorLines, runCli, tempDir } from "./harness.ts";
import { sharedReference } from "../support/reference.ts";

const tmp = tempDir("agentwire-replay-test-");
after(() => tmp.remove());

// As a run against the reference with unknown-id-500 reports it (its base URL long gone).
const base = "http://127.0.0.1:9/v1/deepagents";
const located = { check: "unknown_id_not_found" as const, spec: "managed-deep-agents" as const, operationId: "getManagedDeepAgent", message: "an unknown agent_id got 500, expected 404" };
const finding: Finding = {
  ...located,
  fingerprint: fingerprintOf(located),
  unit: { family: "unknown-ids" },
  exchange: { request: { method: "GET", url: `${base}/agents/8ab048da-8e9b-4bf1-9ec2-d52462db6e53`, headers: { "x-api-key": "***", accept: "application/json" } }, status: 500 },
  reproducer: "curl",
};
const stream: Finding = { ...finding, check: "event_names", fingerprint: "00000000000000aa", unit: { scenario: "managed › stream mode values" }, streamMode: "values" };
mkdirSync(join(tmp.dir, "run"));
writeFileSync(join(tmp.dir, "run", "summary.json"), JSON.stringify(summary({ targets: { embedded: true, faults: ["unknown-id-500"], managedDeepAgents: base }, findings: [finding, stream] })));

test("replay reproduces a finding on the run's faulty reference (exit 1) and reports it gone on a healthy one (exit 0)", async () => {
  const bad = await runCli(["replay", finding.fingerprint.slice(0, 8), "--from", join(tmp.dir, "run")]);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /with unknown-id-500/);
  assert.match(bad.stdout, /^> GET http:\/\/127\.0\.0\.1:\d+\/v1\/deepagents\/agents\/8ab048da/m);
  assert.match(bad.stdout, /^< 500 /m);
  assert.match(bad.stdout, /reproduced: unknown_id_not_found: an unknown agent_id got 500, expected 404/);
  const good = await runCli(["replay", finding.fingerprint, "--from", join(tmp.dir, "run"), "--healthy"]);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /^< 404 /m);
  assert.match(good.stdout, /gone: unknown_id_not_found holds/);
});

test("replay of a stream finding names the unit and the run that repeats it; an unknown id is one error line", async () => {
  const s = await runCli(["replay", stream.fingerprint, "--from", join(tmp.dir, "run")]);
  assert.equal(s.code, 2);
  assert.match(errorLines(s.stderr)[0]!, /judged over a stream, not one exchange: repeat its unit with agentwire run --grep "managed › stream mode values" --seed 1 --fault unknown-id-500/);
  const none = await runCli(["replay", "ffffffff", "--from", join(tmp.dir, "run")]);
  assert.equal(none.code, 2);
  assert.match(errorLines(none.stderr)[0]!, /no finding ffffffff/);
});

describe("replay against a target of the user's", () => {
  const refs = sharedReference();
  test("what an accepted replay made is found by the run's tag and deleted", async () => {
    const server = refs.healthy.agentServerUrl;
    const tag = "agentwire-7-4242";
    const where = { check: "response_schema" as const, spec: "agent-server" as const, operationId: "create_thread_threads_post", message: "201 body: /created_at: must be string" };
    const created: Finding = {
      ...where,
      fingerprint: fingerprintOf(where),
      unit: { family: "positive" },
      exchange: { request: { method: "POST", url: `${base}/threads`, headers: { "content-type": "application/json" }, body: JSON.stringify({ metadata: { agentwire: tag } }) }, status: 200 },
      reproducer: "curl",
    };
    mkdirSync(join(tmp.dir, "remote"));
    writeFileSync(join(tmp.dir, "remote", "summary.json"), JSON.stringify(summary({ targets: { embedded: false, faults: [], agentServer: base }, findings: [created] })));
    const r = await runCli(["replay", created.fingerprint, "--from", join(tmp.dir, "remote"), "--agent-server", server]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /gone: response_schema holds/);
    assert.match(r.stdout, new RegExp(`deleted what carries the tag ${tag}`));
    const left = await fetch(`${server}/threads/search`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ metadata: { agentwire: tag } }) });
    assert.deepEqual(await left.json(), []);
  });
});
