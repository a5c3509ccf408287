/** What a use of a deleted resource, and a request a busy thread forbids, must be answered with: read from the document. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { conflictProblem, goneProblem } from "../../contract/engine/state.ts";
import { operations } from "../../contract/model/catalogue.ts";
import { agentServer, managed } from "./model/fixtures.ts";

const m = operations(await managed());
const a = operations(await agentServer());
const op = (ops: typeof m, id: string) => ops.find((o) => o.operationId === id)!;

test("a request a busy thread forbids: 409 where documented, else a documented 4xx, never a 2xx", () => {
  const run = op(m, "createManagedDeepAgentThreadRun");
  assert.equal(conflictProblem(run, 400), undefined, "no 409 documented: a documented 400 will do");
  assert.match(conflictProblem(run, 409)!, /documents no 409/);
  assert.match(conflictProblem(run, 200)!, /got 200/);
  const both = op(m, "createManagedDeepAgentThreadAndRun");
  assert.equal(conflictProblem(both, 409), undefined);
  assert.match(conflictProblem(both, 400)!, /expected 409/);
  assert.match(conflictProblem(op(a, "stream_run_threads__thread_id__runs_stream_post"), 422)!, /expected 409/);
});

test("a use of a deleted resource: 404 where documented (a DELETE may succeed), else any documented status, never a 5xx", () => {
  assert.equal(goneProblem(op(m, "getManagedDeepAgent"), 404), undefined);
  assert.match(goneProblem(op(m, "getManagedDeepAgent"), 200)!, /expected 404/);
  assert.equal(goneProblem(op(m, "deleteMcpServer"), 204), undefined, "idempotent");
  assert.equal(goneProblem(op(m, "deleteManagedDeepAgentThread"), 204), undefined);
  const thread = op(m, "createManagedDeepAgentThread");
  assert.equal(goneProblem(thread, 400), undefined, "no 404 documented: a documented 400");
  assert.equal(goneProblem(thread, 404), undefined, "… or 404");
  assert.match(goneProblem(thread, 500)!, /does not document/);
  assert.match(goneProblem(op(a, "create_run_threads__thread_id__runs_post"), 500)!, /got 500, expected 404/);
});
