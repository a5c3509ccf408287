import { test } from "node:test";
import assert from "node:assert/strict";
import { operations } from "../../../contract/model/catalogue.ts";
import { responseTimeNotJudged } from "../../../contract/checks/timing.ts";
import { waitsFor } from "../../../contract/model/waits.ts";
import type { LoadedSpec } from "../../../contract/model/types.ts";
import { agentServer, managed, synthetic } from "./fixtures.ts";

const exempt = (spec: LoadedSpec) => Object.fromEntries(operations(spec).flatMap((op) => (waitsFor(op) ? [[op.operationId, waitsFor(op)]] : [])));

test("the bundled documents: exactly the operations whose own words say they wait, each with those words", async () => {
  assert.deepEqual(exempt(await managed()), {
    // "Status of an authorization session; wait_seconds long-polls until it completes or the wait ends."
    getAuthSession: 'its description says "long-polls"',
  });
  assert.deepEqual(exempt(await agentServer()), {
    // summary "Create run and wait": returns the run's final output.
    wait_run_threads__thread_id__runs_wait_post: 'its summary says "and wait"',
    wait_run_stateless_runs_wait_post: 'its summary says "and wait"',
    // "Waits until the run finishes."
    join_run_http_threads__thread_id__runs__run_id__join_get: 'its description says "Waits until"',
    // A cancel with wait=true returns once the run has stopped.
    cancel_run_http_threads__thread_id__runs__run_id__cancel_post: 'its query parameter "wait" asks it to wait',
    // "message/send (waits for the task)".
    post_a2a: 'its description says "waits for"',
  });
});

test("a background run that returns 'without waiting' and a filter for threads 'waiting for the user' do not wait", () => {
  const spec = synthetic({
    paths: {
      "/runs": { post: { operationId: "bg", description: "Starts a run and returns at once, without waiting for its output.", responses: { "200": { description: "OK" } } } },
      "/threads": {
        get: {
          operationId: "list",
          parameters: [{ name: "requires_attention", in: "query", description: "Only threads waiting for the user.", schema: { type: "boolean" } }],
          responses: { "200": { description: "OK" } },
        },
      },
      "/sessions/{id}": {
        get: {
          operationId: "poll",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "timeout", in: "query", description: "Long poll for up to this many seconds.", schema: { type: "integer" } },
          ],
          responses: { "200": { description: "OK" } },
        },
      },
    },
  });
  assert.deepEqual(exempt(spec), { poll: 'its query parameter "timeout" says "Long poll"' });
});

test("the run says response_time is off without a limit; with one, it names each waiting operation it does not judge", async () => {
  const models = { "managed-deep-agents": { operations: operations(await managed()) }, "agent-server": { operations: operations(await agentServer()) } };
  assert.deepEqual(responseTimeNotJudged(models, undefined).map((n) => [n.unit, n.cause]), [["response_time", "not-applicable"]]);
  assert.match(responseTimeNotJudged(models, undefined)[0]!.reason, /^off: .*--response-time MS/);
  const on = responseTimeNotJudged(models, 5000);
  assert.equal(on.length, 6);
  assert.deepEqual(on[0], { unit: "response_time › managed-deep-agents › getAuthSession", spec: "managed-deep-agents", operationId: "getAuthSession", reason: 'the document says the operation waits: its description says "long-polls"', cause: "not-applicable" });
  assert.deepEqual(responseTimeNotJudged(models, 5000, ["post_a2a", "getManagedDeepAgent"]).map((n) => n.operationId), ["post_a2a"], "only the operations the run selected");
});
