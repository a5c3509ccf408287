import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Finding } from "../../results/finding.ts";
import { applyWaivers, loadWaivers, staleWaivers, WaiverError, type Waiver } from "../../results/waivers.ts";
import { streamVerdicts } from "../../results/verdicts.ts";
import { referenceWaivers } from "../../reference/waivers/index.ts";

const finding = (over: Partial<Finding>): Finding => ({ fingerprint: "f", check: "status_code_documented", spec: "agent-server", operationId: "delete_thread_threads__thread_id__delete", message: "answered 204, which is not documented", reproducer: "curl", ...over });
const w: Waiver = { id: "w", spec: "agent-server", checks: ["status_code_documented"], operations: ["delete_*"], message: "^answered 204,", reason: "a reason long enough" };

test("a waiver matches by API, check, operation glob and message, and nothing else", () => {
  const { findings, unused } = applyWaivers(
    [finding({}), finding({ message: "answered 500, which is not documented" }), finding({ operationId: "get_thread" }), finding({ spec: "managed-deep-agents" }), finding({ check: "response_schema" })],
    [w],
  );
  assert.deepEqual(findings.map((f) => Boolean(f.waived)), [true, false, false, false, false]);
  assert.deepEqual(findings[0]!.waived, { waiver: "w", reason: "a reason long enough" });
  assert.deepEqual(unused, []);
  assert.deepEqual(applyWaivers([], [w]).unused, ["w"]);
});

test("a waiver naming stream modes or strategies matches only findings made in them", () => {
  const modes: Waiver = { ...w, checks: ["ids_present"], operations: ["*"], message: ".*", streamModes: ["values*"] };
  const strategies: Waiver = { ...w, id: "s", checks: ["multitask_load_outcome"], operations: ["*"], message: ".*", strategies: ["enqueue"] };
  const waived = (f: Finding, x: Waiver) => Boolean(applyWaivers([f], [x]).findings[0]!.waived);
  assert.ok(waived(finding({ check: "ids_present", streamMode: "values+messages-tuple" }), modes));
  assert.ok(!waived(finding({ check: "ids_present", streamMode: "updates" }), modes));
  assert.ok(!waived(finding({ check: "ids_present" }), modes), "a finding without a stream mode is not in the named modes");
  assert.ok(waived(finding({ check: "multitask_load_outcome", strategy: "enqueue" }), strategies));
  assert.ok(!waived(finding({ check: "multitask_load_outcome", strategy: "reject" }), strategies));
});

test("malformed waiver files are one-line errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "agentwire-waivers-"));
  try {
    const write = (text: string) => {
      const f = join(dir, "w.yaml");
      writeFileSync(f, text);
      return f;
    };
    assert.throws(() => loadWaivers(join(dir, "missing.yaml")), WaiverError);
    assert.throws(() => loadWaivers(write("a: 1")), /expected a list/);
    assert.throws(() => loadWaivers(write("- id: x\n  spec: nope\n  checks: [a]\n  reason: long enough reason")), /"spec"/);
    assert.throws(() => loadWaivers(write("- id: x\n  spec: agent-server\n  checks: [a]\n  reason: long enough reason")), /unknown check "a"/);
    assert.throws(() => loadWaivers(write("- id: x\n  spec: agent-server\n  checks: [ids_present]\n  message: '('\n  reason: long enough reason")), /regular expression/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the reference's own waivers load, each with an id, a reason and a narrow match", () => {
  const all = [...new Set([...referenceWaivers("js"), ...referenceWaivers("python")])].flatMap(loadWaivers);
  assert.ok(all.length > 10);
  assert.equal(new Set(all.map((x) => x.id)).size, all.length, "ids are unique");
  // A waiver of every check on every operation would hide faults: each names checks or operations.
  for (const x of all) assert.ok(!(x.checks.includes("*") && x.operations.includes("*")), x.id);
});

test("a failed stream rule whose findings are all waived is reported as waived", () => {
  const stream = { spec: "agent-server" as const, operationId: "op", streamMode: "values", check: "ids_present" as const, verdict: "failed" as const };
  const f = finding({ operationId: "op", check: "ids_present", streamMode: "values", message: "event #0 has no id" });
  const waived = { ...f, waived: { waiver: "w", reason: "r" } };
  assert.equal(streamVerdicts([stream], [waived])[0]!.verdict, "waived");
  assert.equal(streamVerdicts([stream], [f])[0]!.verdict, "failed");
  assert.equal(streamVerdicts([stream], [waived, { ...f, message: "another" }])[0]!.verdict, "failed");
  // Another stream mode's findings are not this stream's, waived or not.
  assert.equal(streamVerdicts([stream], [{ ...waived, streamMode: "updates" }])[0]!.verdict, "failed");
});

test("an expired waiver no longer waives: its findings are open and name it; before that day it waives", () => {
  const dated: Waiver = { ...w, expires: "2027-03-01", owner: "qa", ticket: "T-1" };
  const before = applyWaivers([finding({})], [dated], new Date("2027-02-28T23:59:00Z"));
  assert.ok(before.findings[0]!.waived);
  assert.deepEqual(before.expired, []);
  const after = applyWaivers([finding({}), finding({ operationId: "delete_run" })], [dated], new Date("2027-03-01T00:00:00Z"));
  assert.deepEqual(after.findings.map((f) => [Boolean(f.waived), f.expiredWaiver?.waiver]), [[false, "w"], [false, "w"]]);
  assert.deepEqual(after.expired, [{ id: "w", expires: "2027-03-01", owner: "qa", ticket: "T-1", findings: 2 }]);
});

test("stale: only the user's waivers, for an API and a phase this run tested", () => {
  const mine = (id: string, over: Partial<Waiver> = {}): Waiver => ({ ...w, id, scope: "user", ...over });
  const waivers = [mine("contract-as"), mine("streams-as", { checks: ["event_names"] }), mine("managed", { spec: "managed-deep-agents" }), { ...w, id: "reference-own", scope: "reference" as const }];
  const unused = waivers.map((x) => x.id);
  const stale = (phases: string[], specs: string[]) => staleWaivers(waivers, unused, { phases, specs }).map((x) => x.id);
  assert.deepEqual(stale(["contract"], ["agent-server"]), ["contract-as"]);
  assert.deepEqual(stale(["contract", "streams"], ["agent-server", "managed-deep-agents"]), ["contract-as", "streams-as", "managed"]);
  assert.deepEqual(stale(["load"], ["agent-server", "managed-deep-agents"]), []);
});

test("expires, owner and ticket are read from a file (an unquoted YAML date too); a bad date is a one-line error", () => {
  const dir = mkdtempSync(join(tmpdir(), "agentwire-waivers-"));
  try {
    const file = join(dir, "w.yaml");
    writeFileSync(file, `- { id: a, spec: agent-server, checks: ["*"], reason: "a reason long enough", expires: 2027-03-01, owner: qa, ticket: T-2 }\n`);
    assert.deepEqual(loadWaivers(file).map((x) => [x.expires, x.owner, x.ticket]), [["2027-03-01", "qa", "T-2"]]);
    writeFileSync(file, `- { id: a, spec: agent-server, checks: ["*"], reason: "a reason long enough", expires: next spring }\n`);
    assert.throws(() => loadWaivers(file), (e: Error) => e instanceof WaiverError && /"expires" is missing or malformed \(expected a date YYYY-MM-DD\)/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
