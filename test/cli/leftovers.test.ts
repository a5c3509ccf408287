/**
 * The end-of-run check on the reference: what carries the run's tag is found and deleted, threads a run made
 * implicitly (a stateless run kept on completion) included, and a reported leftover already gone counts as gone.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { clientFor } from "../../core/client.ts";
import { jsonBody } from "../../core/exchange.ts";
import { paceConfig } from "../../core/target.ts";
import { leftoversOf } from "../../cli/leftovers.ts";
import { sharedReference } from "../support/reference.ts";
import { targetOf } from "../support/units.ts";

const refs = sharedReference();

test("tagged threads, assistants and agents are deleted at the end, implicit threads included", async () => {
  const target = targetOf(refs.healthy);
  const tag = `agentwire-test-${randomUUID().slice(0, 8)}`;
  const server = clientFor(target, "agent-server")!;
  const managed = clientFor(target, "managed-deep-agents")!;
  const config = paceConfig(target.knobs!, { tokens: 2, delayMs: 1 });
  const kept = await server.call("POST", "/runs/wait", { assistant_id: "agent", input: { messages: [{ role: "user", content: "hi" }] }, on_completion: "keep", metadata: { agentwire: tag }, config });
  assert.equal(kept.response.status, 200, kept.response.body);
  await server.call("POST", "/assistants", { graph_id: "agent", metadata: { agentwire: tag } });
  await managed.call("POST", "/agents", { name: `agentwire ${tag}` });
  const listed = (body: unknown) => (Array.isArray(body) ? body : (Object.values(body as object).find(Array.isArray) ?? [])).length;
  const tagged = async () => ({
    threads: listed(jsonBody((await server.call("POST", "/threads/search", { metadata: { agentwire: tag } })).response)),
    assistants: listed(jsonBody((await server.call("POST", "/assistants/search", { metadata: { agentwire: tag } })).response)),
    agents: listed(jsonBody((await managed.call("GET", `/agents?name=${tag}`)).response)),
  });
  assert.deepEqual(await tagged(), { threads: 1, assistants: 1, agents: 1 }, "the stateless run's thread carries the run's tag");

  const gone = { spec: "agent-server" as const, method: "DELETE" as const, path: `/threads/${randomUUID()}`, reason: "DELETE answered 500" };
  assert.deepEqual(await leftoversOf(target, tag, [gone], undefined), []);
  assert.deepEqual(await tagged(), { threads: 0, assistants: 0, agents: 0 });
});

test("nothing is sent to an unusable target: what cleanups reported stays reported", async () => {
  const left = { spec: "agent-server" as const, method: "DELETE" as const, path: "/threads/t", reason: "no complete response within 2000 ms" };
  const out = await leftoversOf(targetOf(refs.healthy), "agentwire-none", [left], "target unusable: connection refused");
  assert.equal(out.length, 1);
  assert.match(out[0]!.reason, /not checked again: the target is unusable/);
});
