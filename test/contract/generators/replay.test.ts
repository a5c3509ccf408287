import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { operations } from "../../../contract/model/catalogue.ts";
import { createValidator } from "../../../contract/model/validator.ts";
import { requestArbitrary, toHttpRequest } from "../../../contract/generators/requests.ts";
import { formatReplay, parseReplay, ReplayError, runProperty } from "../../../contract/generators/replay.ts";
import { agentServer } from "../model/fixtures.ts";

test("a failing property shrinks, and its seed:path replays the same counterexample in one call", async () => {
  const arb = fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 20 });
  const fails = (xs: number[]) => xs.reduce((a, b) => a + b, 0) < 1500;
  const outcome = await runProperty(arb, fails, { seed: 4321, numRuns: 300 });
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok);
  const { failure } = outcome;
  assert.equal(failure.seed, 4321);
  assert.equal(failure.replay, `4321:${failure.path}`);
  assert.equal(failure.error, "Property failed by returning false");
  const sum = (failure.counterexample as number[]).reduce((a, b) => a + b, 0);
  assert.ok(sum >= 1500 && sum < 2100, `shrunk towards the boundary, got sum ${sum}`);

  let calls = 0;
  const replayed = await runProperty(arb, (xs) => (calls++, fails(xs)), { replay: failure.replay });
  assert.ok(!replayed.ok);
  assert.deepEqual(replayed.failure.counterexample, failure.counterexample);
  assert.equal(replayed.failure.replay, failure.replay);
  assert.equal(calls, 1);
});

test("a thrown error is the failure message; without shrinking the first failing input is kept", async () => {
  const outcome = await runProperty(fc.integer({ min: 0, max: 100 }), async (n) => {
    if (n > 50) throw new Error(`too big: ${n}\nsecond line`);
  }, { seed: 7, numRuns: 200, shrink: false });
  assert.ok(!outcome.ok);
  assert.match(outcome.failure.error, /^too big: \d+$/);
  assert.equal(outcome.failure.error, `too big: ${outcome.failure.counterexample}`);
});

test("a generated-request property is reproducible from its seed", async () => {
  const spec = await agentServer();
  const v = createValidator(spec);
  const op = operations(spec).find((o) => o.operationId === "search_threads_threads_search_post")!;
  const bodies = async (seed: number) => {
    const seen: string[] = [];
    const outcome = await runProperty(requestArbitrary(op, v), (req) => void seen.push(toHttpRequest(req, op, { baseUrl: "http://x" }).body ?? ""), { seed, numRuns: 15 });
    assert.deepEqual(outcome, { ok: true, seed, numRuns: 15 });
    return seen;
  };
  assert.deepEqual(await bodies(11), await bodies(11));
});

test("seeds and replay strings are parsed strictly", () => {
  assert.deepEqual(parseReplay("1234"), { seed: 1234 });
  assert.deepEqual(parseReplay(" 1234:44:0:1 "), { seed: 1234, path: "44:0:1" });
  assert.equal(formatReplay(5, "1:2"), "5:1:2");
  assert.equal(formatReplay(5), "5");
  assert.throws(() => parseReplay("abc"), ReplayError);
  assert.throws(() => parseReplay("12:x"), /invalid seed "12:x"/);
  assert.throws(() => parseReplay("99999999999"), /32-bit integer/);
});

test("found without shrinking, then shrunk from where it was found: the same counterexample and path as in one go", async () => {
  const arb = fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 20 });
  const fails = (xs: number[]) => xs.reduce((a, b) => a + b, 0) < 1500;
  const once = await runProperty(arb, fails, { seed: 99, numRuns: 300 });
  const found = await runProperty(arb, fails, { seed: 99, numRuns: 300, shrink: false });
  assert.ok(!once.ok && !found.ok);
  const shrunk = await runProperty(arb, fails, { seed: 99, from: found.failure.path });
  assert.ok(!shrunk.ok);
  assert.equal(shrunk.failure.path, once.failure.path);
  assert.deepEqual(shrunk.failure.counterexample, once.failure.counterexample);
});
