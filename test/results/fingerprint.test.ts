import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fingerprintOf, normaliseMessage } from "../../results/fingerprint.ts";
import { sharedReference } from "../support/reference.ts";
import { runContractUnit } from "../support/units.ts";

const base = { spec: "agent-server" as const, operationId: "get_thread", check: "response_schema" as const };

test("the message loses ids, timestamps, numbers and generated strings, and keeps the status an answer got", () => {
  assert.equal(
    normaliseMessage("run 3 (1ef9b2c4-7d1a-6e2f-9a3b-0c4d5e6f7a8b) of agentwire-1-4242 ended 2026-12-02T13:33:39.123Z after 41.5 ms, answered 500: \"x7Qz\""),
    "run <n> (<uuid>) of <tag> ended <time> after <n> ms, answered 500: \"<s>\"",
  );
  assert.equal(fingerprintOf({ ...base, message: "thread 1ef9b2c4-7d1a-6e2f-9a3b-0c4d5e6f7a8b: 200 body: /status: must be string" }), fingerprintOf({ ...base, message: "thread 00000000-1111-2222-3333-444444444444: 200 body: /status: must be string" }));
});

test("different violations get different fingerprints: another check, operation, stream mode, strategy or status", () => {
  const one = fingerprintOf({ ...base, message: "answered 500: boom" });
  const others = [
    fingerprintOf({ ...base, message: "answered 503: boom" }),
    fingerprintOf({ ...base, check: "not_a_server_error", message: "answered 500: boom" }),
    fingerprintOf({ ...base, operationId: "get_run", message: "answered 500: boom" }),
    fingerprintOf({ ...base, streamMode: "values", message: "answered 500: boom" }),
    fingerprintOf({ ...base, strategy: "enqueue", message: "answered 500: boom" }),
    fingerprintOf({ ...base, message: "200 body: /status: must be string" }),
  ];
  assert.match(one, /^[0-9a-f]{16}$/);
  assert.equal(new Set([one, ...others]).size, others.length + 1);
});

describe("a fingerprint against a reference fault", () => {
  const refs = sharedReference();
  test("is the same across two seeds, and differs between the two violations the fault shows", async () => {
    const unit = { spec: "managed-deep-agents", operationId: "getManagedDeepAgent", family: "unknown-ids" } as const;
    await refs.withFault("unknown-id-500", async (faulty) => {
      const prints = async (seed: number) => (await runContractUnit(faulty, unit, seed)).findings.filter((f) => !f.waived).map((f) => `${f.check} ${f.fingerprint}`).sort();
      const [one, two] = [await prints(1), await prints(2)];
      assert.deepEqual(one.map((p) => p.split(" ")[0]), ["not_a_server_error", "unknown_id_not_found"]);
      assert.deepEqual(two, one, "seed 2 finds the same violations under the same fingerprints");
      assert.notEqual(one[0]!.split(" ")[1], one[1]!.split(" ")[1]);
    });
  });
});
