/** Cleanup has a budget of its own: a target that stalls on deletes cannot keep a run alive, and what stays is named. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { removeAll, type Removal } from "../../core/cleanup.ts";
import { ApiClient } from "../../core/client.ts";

test("deletes to a stalled target end within the budget, each one reported as left", async (t) => {
  const server = createServer(() => undefined); // never answers
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => (server.closeAllConnections(), server.close()));
  const client = new ApiClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
  const removals: Removal[] = Array.from({ length: 20 }, (_, i) => ({ spec: "agent-server", method: "DELETE", path: `/threads/t${i}` }));
  const started = performance.now();
  const { deleted, left } = await removeAll(() => client, removals, 500);
  const took = performance.now() - started;
  assert.ok(took < 2000, `took ${took.toFixed(0)} ms`);
  assert.equal(deleted, 0);
  assert.equal(left.length, 20);
  assert.ok(left.every((l) => /no complete response|budget of 500 ms ran out|stopped sending/.test(l.reason)), JSON.stringify(left.map((l) => l.reason)));
});
