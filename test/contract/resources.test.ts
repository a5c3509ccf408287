/** What the suite made is remembered, also what a request made implicitly: a thread a run created, a batch's threads. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient } from "../../core/client.ts";
import type { Exchange } from "../../core/exchange.ts";
import { Resources } from "../../contract/engine/resources.ts";

const BASE = "http://127.0.0.1:1";
const T1 = "11111111-1111-4111-8111-111111111111";
const T2 = "22222222-2222-4222-8222-222222222222";
const x = (method: string, path: string, status: number, body: unknown): Exchange => ({
  request: { method, url: `${BASE}${path}`, headers: {} },
  response: { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  timings: { sentAt: 0, headersAt: 0, endAt: 0 },
});

test("threads a run creates implicitly, and a stateless batch's threads, are remembered for deletion", async () => {
  const deleted: string[] = [];
  const client = new ApiClient({ baseUrl: BASE });
  Object.assign(client, { with: () => ({ call: async (_m: string, path: string) => (deleted.push(path), { response: { status: 204 } }) }) });
  const r = new Resources({ "agent-server": client });
  // if_not_exists "create" on a generated thread id: the 2xx answer means the thread may now exist.
  r.noteResponse("agent-server", "create_run_threads__thread_id__runs_post", x("POST", `/threads/${T1}/runs`, 200, { run_id: "r" }));
  r.noteResponse("agent-server", "run_batch_stateless_runs_post", x("POST", "/runs/batch", 200, [{ run_id: "a", thread_id: T2 }]));
  // Refused requests and deletes make nothing.
  r.noteResponse("agent-server", "get_thread_threads__thread_id__get", x("GET", "/threads/33333333-3333-4333-8333-333333333333", 404, {}));
  r.noteResponse("agent-server", "delete_thread_threads__thread_id__delete", x("DELETE", "/threads/44444444-4444-4444-8444-444444444444", 204, {}));
  const done = await r.cleanup();
  assert.deepEqual(deleted.sort(), [`/threads/${T1}`, `/threads/${T2}`]);
  assert.deepEqual(done, { deleted: 2, left: [] });
});
