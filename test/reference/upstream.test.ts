/**
 * The real Agent Server of the reference, driven directly (no emulator, no front): a stream in every stream
 * mode, the graphs that fail, interrupt and nest, and the scripted model's determinism.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { MODE_EVENTS } from "../../streams/grammar/modes.ts";
import { startUpstream, type Upstream } from "../../reference/upstream/launch.ts";
import { agentServer } from "../support/clients.ts";

let upstream: Upstream;
before(async () => {
  upstream = await startUpstream();
});
after(() => upstream?.stop());

const client = () => agentServer(upstream.url);
async function stream(body: Record<string, unknown>) {
  const thread = (await client().post("/threads", {})).json.thread_id;
  return client().stream(`/threads/${thread}/runs/stream`, { input: { messages: [{ role: "user", content: "tool: hi" }] }, assistant_id: "agent", ...body });
}
const names = (events: { event: string }[]) => events.map((e) => e.event);

for (const [mode, expected] of Object.entries(MODE_EVENTS)) {
  test(`stream mode ${mode} yields ${expected.join(", ")} after metadata`, async () => {
    const { events, stream: s } = await stream({ stream_mode: [mode] });
    assert.equal(s.status, 200);
    assert.equal(events[0]?.event, "metadata");
    assert.ok(names(events).some((n) => expected.includes(n)), `events: ${[...new Set(names(events))].join(", ")}`);
  });
}

test("the subgraph graph namespaces its child's events with stream_subgraphs", async () => {
  const { events } = await stream({ assistant_id: "subgraph", stream_mode: ["updates"], stream_subgraphs: true });
  assert.ok(names(events).some((n) => /^updates\|research:/.test(n)), names(events).join(", "));
});

test("the error graph ends its stream with an error event", async () => {
  const { events } = await stream({ assistant_id: "error", stream_mode: ["values"] });
  assert.equal(events.at(-1)?.event, "error");
  assert.deepEqual(Object.keys(JSON.parse(events.at(-1)!.data)), ["error", "message"]);
});

test("the interrupt graph stops at an interrupt and resumes with a command", async () => {
  const thread = (await client().post("/threads", {})).json.thread_id;
  const first = await client().stream(`/threads/${thread}/runs/stream`, { assistant_id: "interrupt", input: {}, stream_mode: ["updates"] });
  assert.match(first.events.at(-1)!.data, /__interrupt__/);
  assert.equal((await client().get(`/threads/${thread}`)).json.status, "interrupted");
  const resumed = await client().stream(`/threads/${thread}/runs/stream`, { assistant_id: "interrupt", command: { resume: "yes" }, stream_mode: ["values"] });
  assert.match(resumed.events.at(-1)!.data, /human said: \\"yes\\"/);
});

test("the scripted deep agent plans with write_todos, then streams exactly the tokens it was asked for", async () => {
  const run = () => stream({ assistant_id: "deep", input: { messages: [{ role: "user", content: "hi" }] }, stream_mode: ["messages-tuple"], config: { configurable: { fake_tokens: 7, fake_delay_ms: 1 } } });
  const [a, b] = [await run(), await run()];
  const text = (events: { event: string; data: string }[]) =>
    events.filter((e) => e.event === "messages").map((e) => JSON.parse(e.data)[0]).filter((c) => c.type === "ai").map((c) => c.content).join("");
  assert.equal(text(a.events), "tok0 tok1 tok2 tok3 tok4 tok5 tok6");
  assert.match(JSON.stringify(a.events.map((e) => e.data)), /write_todos/);
  // The same input gives the same stream (names and text; ids and timestamps differ).
  assert.deepEqual(names(a.events), names(b.events));
  assert.equal(text(a.events), text(b.events));
});
