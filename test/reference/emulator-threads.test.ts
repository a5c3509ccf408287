/** The emulator's eight thread operations and four run operations, over the real Agent Server. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { poll, startEnv, user, type StartedEnv } from "./emulator-harness.ts";

function assertError(res: { status: number; json: any }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.equal(res.json?.code, code);
  assert.equal(res.json.status, status);
  assert.equal(res.json.type, `https://docs.langchain.com/errors/${code}`);
}

const FAST = { runtime: { model: { model_id: "scripted:tokens=5,delay_ms=1" } } };
const SLOW = { runtime: { model: { model_id: "scripted:tokens=40,delay_ms=10" } } };
const HITL = { ...FAST, tools: { interrupt_config: { write_todos: true } } };

describe("managed emulator: threads and runs", () => {
  let env: StartedEnv;
  before(async () => {
    env = await startEnv({ mcp: false });
  });
  after(() => env?.stop());

  const agent = async (extra: object = FAST) => (await env.call("POST", "/agents", { name: "t", ...extra })).json;
  const thread = async (agentId: string, extra: object = {}) => {
    const res = await env.call("POST", "/threads", { agent_id: agentId, ...extra });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  const settled = (id: string) => poll(() => env.call("GET", `/threads/${id}`), (r) => r.json?.status !== "busy");
  const streamOf = (a: any, t: any, extra: object = {}) => env.stream(`/threads/${t.id}/runs/stream`, { agent_id: a.id, input: user("hi"), ...extra });

  test("POST /threads binds a thread to an agent", async () => {
    const a = await agent();
    const t = await thread(a.id, { metadata: { topic: "x" }, options: { test_run: true, skip_memory_write_protection: true } });
    assert.deepEqual(Object.keys(t).sort(), ["agent_id", "created_at", "id", "metadata", "status", "updated_at"]);
    assert.equal(t.agent_id, a.id);
    assert.equal(t.status, "idle");
    assert.equal(t.metadata.topic, "x");
    assert.equal(t.metadata.is_test_run, true);
    assert.equal(t.metadata.skip_memory_write_protection, true);
    assert.match(t.metadata.ls_user_id, /^[0-9a-f-]{36}$/);
    assert.match(t.metadata.tenant_id, /^[0-9a-f-]{36}$/);

    const id = randomUUID();
    assert.equal((await thread(a.id, { thread_id: id })).id, id);
    assertError(await env.call("POST", "/threads", { agent_id: a.id, thread_id: id }), 409, "thread_already_exists");
    assertError(await env.call("POST", "/threads", { agent_id: a.id, thread_id: id, if_exists: "raise" }), 409, "thread_already_exists");
    assert.equal((await thread(a.id, { thread_id: id, if_exists: "do_nothing" })).id, id);
  });

  test("POST /threads: 400, an unknown agent too (the operation documents no 404)", async () => {
    assertError(await env.call("POST", "/threads", {}), 400, "missing_required_field");
    assertError(await env.call("POST", "/threads", { agent_id: "x" }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/threads", { agent_id: randomUUID(), if_exists: "replace" }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/threads", { agent_id: randomUUID(), options: { test_run: "no" } }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/threads", { agent_id: randomUUID() }), 400, "agent_not_found");
  });

  test("GET /threads lists an agent's threads with filters and a cursor", async () => {
    const a = await agent();
    const [t1, t2] = [await thread(a.id), await thread(a.id)];
    const testRun = await thread(a.id, { options: { test_run: true } });
    await env.call("PATCH", `/threads/${t1.id}`, { is_pinned: true });

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await env.call("GET", `/threads?agent_id=${a.id}&page_size=1${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json).sort(), ["next_cursor", "threads"]);
      ids.push(...res.json.threads.map((t: any) => t.id));
      cursor = res.json.next_cursor;
    } while (cursor);
    assert.deepEqual(ids.sort(), [t1.id, t2.id].sort());

    const first = (await env.call("GET", `/threads?agent_id=${a.id}`)).json.threads[0];
    assert.equal(first.id, t1.id, "most recent activity first");
    assert.deepEqual(Object.keys(first).sort(), ["agent_id", "created_at", "has_interrupts", "id", "metadata", "state_updated_at", "status", "title", "updated_at"]);
    const list = async (q: string) => (await env.call("GET", `/threads?agent_id=${a.id}&${q}`)).json.threads.map((t: any) => t.id);
    assert.deepEqual(await list("is_pinned=true"), [t1.id]);
    assert.deepEqual(await list("is_pinned=false"), [t2.id]);
    assert.deepEqual(await list("test_run=true"), [testRun.id]);
    assert.deepEqual(await list("status=busy"), []);
    assert.deepEqual(await list("requires_attention=true"), []);
  });

  test("GET /threads: 400 for bad parameters", async () => {
    const a = randomUUID();
    assertError(await env.call("GET", "/threads"), 400, "missing_required_field");
    for (const q of [`agent_id=x`, `agent_id=${a}&page_size=21`, `agent_id=${a}&page_size=0`, `agent_id=${a}&status=done`, `agent_id=${a}&is_pinned=yes`, `agent_id=${a}&cursor=zz`]) {
      assertError(await env.call("GET", `/threads?${q}`), 400, "invalid_request_body");
    }
    assertError(await env.call("GET", `/threads?agent_id=${a}&status=idle&requires_attention=true`), 400, "invalid_request_body");
  });

  test("GET, PATCH and DELETE /threads/{thread_id}", async () => {
    const a = await agent();
    const t = await thread(a.id, { metadata: { keep: 1 } });
    const got = await env.call("GET", `/threads/${t.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.id, t.id);
    assert.equal(got.json.agent_id, a.id);

    const patched = await env.call("PATCH", `/threads/${t.id}`, { title: "Named", metadata: { extra: 2, agent_id: "hijack" } });
    assert.equal(patched.status, 200);
    assert.equal(patched.json.title, "Named");
    assert.equal(patched.json.metadata.keep, 1, "metadata merges");
    assert.equal(patched.json.metadata.extra, 2);
    assert.equal(patched.json.agent_id, a.id, "the agent binding cannot be overwritten");
    assertError(await env.call("PATCH", `/threads/${t.id}`, { title: 5 }), 400, "invalid_request_body");
    assertError(await env.raw("PATCH", `/threads/${t.id}`, ""), 400, "invalid_request_body");
    assertError(await env.call("PATCH", `/threads/${randomUUID()}`, { title: "x" }), 404, "thread_not_found");

    assertError(await env.call("GET", `/threads/${randomUUID()}`), 404, "thread_not_found");
    assertError(await env.call("GET", "/threads/not-a-uuid"), 404, "thread_not_found");
    const foreign = (await (await fetch(`${env.upstreamUrl}/threads`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as any;
    assertError(await env.call("GET", `/threads/${foreign.thread_id}`), 404, "thread_not_found");

    const deleted = await env.call("DELETE", `/threads/${t.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    assertError(await env.call("GET", `/threads/${t.id}`), 404, "thread_not_found");
    assert.equal((await env.call("DELETE", `/threads/${t.id}`)).status, 204);
    assert.equal((await env.call("DELETE", `/threads/${foreign.thread_id}`)).status, 204);
    assert.equal((await fetch(`${env.upstreamUrl}/threads/${foreign.thread_id}`)).status, 200, "another workspace's thread is untouched");
  });

  test("DELETE /threads/{thread_id} deletes the thread's runs", async () => {
    const a = await agent();
    const t = await thread(a.id);
    assert.equal((await env.call("POST", `/threads/${t.id}/runs`, { input: user("hi") })).status, 200);
    await settled(t.id);
    assert.equal((await env.call("DELETE", `/threads/${t.id}`)).status, 204);
    assert.equal((await fetch(`${env.upstreamUrl}/threads/${t.id}/runs`)).status, 404);
  });

  test("POST /threads/bulk-modify answers per thread, in request order", async () => {
    const a = await agent();
    const [t1, t2] = [await thread(a.id), await thread(a.id)];
    const missing = randomUUID();
    const res = await env.call("POST", "/threads/bulk-modify", { thread_ids: [t2.id, missing, t1.id, "null,null"], data: { title: "bulk", metadata: { n: 1 } } });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.json.results.map((r: any) => [r.id, r.status, r.error_code]),
      [
        [t2.id, "success", undefined],
        [missing, "failure", "thread_not_found"],
        [t1.id, "success", undefined],
        // A result's id is documented as a UUID: an entry that is none gets a result without one.
        [undefined, "failure", "thread_not_found"],
      ],
    );
    assert.equal(typeof res.json.results[1].message, "string");
    assert.equal((await env.call("GET", `/threads/${t1.id}`)).json.title, "bulk");
    assertError(await env.call("POST", "/threads/bulk-modify", { thread_ids: [] }), 400, "missing_required_field");
    assertError(await env.call("POST", "/threads/bulk-modify", { thread_ids: Array.from({ length: 51 }, () => randomUUID()), data: {} }), 400, "invalid_request_body");
  });

  test("POST /threads/search forwards the body and returns only this workspace's threads", async () => {
    const a = await agent();
    const tag = randomUUID();
    const t = await thread(a.id, { metadata: { tag } });
    await fetch(`${env.upstreamUrl}/threads`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ metadata: { tag } }) });
    const res = await env.call("POST", "/threads/search", { metadata: { tag }, limit: 10 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.map((x: any) => x.thread_id), [t.id]);
    assert.equal((await env.call("POST", "/threads/search")).status, 200, "the body is optional");
    assertError(await env.call("POST", "/threads/search", { limit: "ten" }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/threads/search", { metadata: 3 }), 400, "invalid_request_body");
  });

  test("runs stream in each allowed mode, starting with a metadata event", async () => {
    const a = await agent();
    const expected: Record<string, string> = { values: "values", updates: "updates", "messages-tuple": "messages" };
    for (const mode of Object.keys(expected)) {
      const t = await thread(a.id);
      const s = await streamOf(a, t, { stream_mode: [mode] });
      assert.equal(s.status, 200);
      assert.match(s.headers["content-type"] ?? "", /^text\/event-stream/);
      assert.equal(s.headers["cache-control"], "no-cache");
      const meta = JSON.parse(s.events[0]!.data);
      assert.equal(s.events[0]!.event, "metadata");
      assert.match(meta.run_id, /^[0-9a-f-]{36}$/);
      assert.equal(meta.attempt, 1);
      const names = new Set(s.events.slice(1).map((e) => e.event));
      assert.deepEqual([...names], [expected[mode]], `mode ${mode}`);
    }
    const t = await thread(a.id);
    const tuple = await streamOf(a, t, { stream_mode: ["messages-tuple", "updates"], stream_subgraphs: false, user_timezone: "Asia/Tokyo" });
    const tokens = tuple.events.filter((e) => e.event === "messages").map((e) => JSON.parse(e.data)[0].content).join("");
    assert.equal(tokens.match(/tok\d/g)?.join(" "), "tok0 tok1 tok2 tok3 tok4", "the agent's scripted model id sets the token count");
    const defaults = await streamOf(a, await thread(a.id));
    assert.deepEqual([...new Set(defaults.events.slice(1).map((e) => e.event))], ["values"], "no stream_mode: values");
  });

  test("the run stream is relayed as it is produced, not buffered", async () => {
    const a = await agent(SLOW);
    const s = await streamOf(a, await thread(a.id), { stream_mode: ["messages-tuple"] });
    const tokens = s.events.filter((e) => e.event === "messages" && /tok\d+/.test(JSON.parse(e.data)[0].content));
    assert.equal(tokens.length, 40);
    // The model sleeps 10 ms before each of the 40 tokens: delivered as produced, the first token arrives
    // at least 39 sleeps before the last one; held back until the end, they would arrive together.
    assert.ok(tokens.at(-1)!.at - tokens[0]!.at > 39 * 10, "first token long before the last");
  });

  test("a client that goes away cancels the upstream run (with on_disconnect cancel passed through)", async () => {
    const a = await agent(SLOW);
    const t = await thread(a.id);
    const s = await env.stream(`/threads/${t.id}/runs/stream`, { agent_id: a.id, input: user("hi"), stream_mode: ["messages-tuple"], on_disconnect: "cancel" }, 3);
    const runId = JSON.parse(s.events[0]!.data).run_id;
    const run = await poll(
      async () => (await (await fetch(`${env.upstreamUrl}/threads/${t.id}/runs/${runId}`)).json()) as any,
      (r) => !["pending", "running"].includes(r.status),
    );
    assert.equal(run.status, "interrupted");
  });

  test("POST /threads/{thread_id}/runs/stream: 400, 404 and 409", async () => {
    const a = await agent();
    const t = await thread(a.id);
    const path = `/threads/${t.id}/runs/stream`;
    const events = await env.call("POST", path, { agent_id: a.id, input: user("hi"), stream_mode: ["events"] });
    assertError(events, 400, "invalid_request_body");
    const asAssistant = await env.call("POST", path, { assistant_id: a.id, input: user("hi") });
    assertError(asAssistant, 400, "invalid_request_body");
    assert.match(asAssistant.json.detail, /agent_id/);
    assertError(await env.call("POST", path, { agent_id: a.id }), 400, "missing_required_field");
    assertError(await env.call("POST", path, { agent_id: a.id, input: { messages: [] } }), 400, "invalid_request_body");
    assertError(await env.call("POST", path, { agent_id: a.id, input: { messages: [{ role: "robot", content: "x" }] } }), 400, "invalid_request_body");
    assertError(await env.call("POST", path, { agent_id: "nope", input: user("hi") }), 400, "invalid_request_body");
    assertError(await env.call("POST", path, { agent_id: a.id, input: user("hi"), stream_mode: "values" }), 400, "invalid_request_body");
    assertError(await env.call("POST", `/threads/${randomUUID()}/runs/stream`, { agent_id: a.id, input: user("hi") }), 404, "thread_not_found");
    assertError(await env.call("POST", path, { agent_id: randomUUID(), input: user("hi") }), 404, "agent_not_found");

    const slow = await agent(SLOW);
    const busy = await thread(slow.id);
    assert.equal((await env.call("POST", `/threads/${busy.id}/runs`, { input: user("hi") })).status, 200);
    // Neither operation documents 409: a busy thread is a bad request there.
    assertError(await env.call("POST", `/threads/${busy.id}/runs/stream`, { agent_id: slow.id, input: user("again") }), 400, "thread_busy");
    assertError(await env.call("POST", `/threads/${busy.id}/runs`, { input: user("again") }), 400, "thread_busy");
    await settled(busy.id);
  });

  test("POST /threads/{thread_id}/runs starts a background run of the thread's agent", async () => {
    const a = await agent();
    const t = await thread(a.id);
    const res = await env.call("POST", `/threads/${t.id}/runs`, { input: user("hi") });
    assert.equal(res.status, 200);
    assert.equal(res.json.thread_id, t.id);
    assert.equal(res.json.assistant_id, a.id);
    assert.match(res.json.run_id, /^[0-9a-f-]{36}$/);
    const done = await settled(t.id);
    assert.equal(done.json.status, "idle");
    assert.equal(done.json.values.messages.at(-1).content, "tok0 tok1 tok2 tok3 tok4");
    assert.equal((await env.call("POST", `/threads/${t.id}/runs`, { agent_id: a.id, input: user("again") })).status, 200, "agent_id becomes assistant_id");
    await settled(t.id);
    assertError(await env.call("POST", `/threads/${randomUUID()}/runs`, { input: user("hi") }), 404, "thread_not_found");
    assertError(await env.call("POST", `/threads/${t.id}/runs`, { agent_id: randomUUID(), input: user("hi") }), 404, "agent_not_found");
    assertError(await env.call("POST", `/threads/${t.id}/runs`, { config: 5 }), 400, "invalid_request_body");
    assertError(await env.call("POST", `/threads/${t.id}/runs`, { input: user("hi"), multitask_strategy: "sometimes" }), 400, "invalid_request_body");
  });

  test("POST /threads/runs creates a thread and starts a run on it", async () => {
    const a = await agent();
    const id = randomUUID();
    const res = await env.call("POST", "/threads/runs", { agent_id: a.id, thread: { thread_id: id, metadata: { via: "create-and-run" } }, input: user("hi") });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.thread_id, id);
    const t = await settled(id);
    assert.equal(t.json.agent_id, a.id);
    assert.equal(t.json.metadata.via, "create-and-run");
    assert.equal((await env.call("POST", "/threads/runs", { agent_id: a.id, input: user("hi") })).status, 200, "the thread envelope is optional");
    assertError(await env.call("POST", "/threads/runs", { agent_id: a.id, thread: { thread_id: id }, input: user("hi") }), 409, "thread_already_exists");
    assertError(await env.call("POST", "/threads/runs", { agent_id: randomUUID(), input: user("hi") }), 404, "agent_not_found");
    assertError(await env.call("POST", "/threads/runs", { input: user("hi") }), 400, "missing_required_field");
    assertError(await env.call("POST", "/threads/runs", { agent_id: a.id, thread: { thread_id: "x" } }), 400, "invalid_request_body");
  });

  test("an interrupted thread is resolved by approving its pending actions", async () => {
    const a = await agent(HITL);
    const t = await thread(a.id);
    const s = await streamOf(a, t, { stream_mode: ["values"] });
    assert.ok(JSON.parse(s.events.at(-1)!.data).__interrupt__, "the stream ends at the interrupt");
    const paused = await env.call("GET", `/threads/${t.id}`);
    assert.equal(paused.json.status, "interrupted");
    assert.equal(paused.json.has_interrupts, true);
    assert.ok((await env.call("GET", "/threads/count")).json.attention_count >= 1);
    assert.equal((await env.call("GET", `/threads/count?agent_id=${a.id}`)).json.attention_count, 1);
    assert.deepEqual((await env.call("GET", `/threads?agent_id=${a.id}&requires_attention=true`)).json.threads.map((x: any) => x.id), [t.id]);
    assertError(await env.call("GET", "/threads/count?agent_id=x"), 400, "invalid_request_body");

    const resolved = await env.call("POST", `/threads/${t.id}/resolve-interrupt`);
    assert.equal(resolved.status, 204);
    assert.equal(resolved.text, "");
    const done = await settled(t.id);
    assert.equal(done.json.status, "idle");
    assert.deepEqual(done.json.values.todos, [{ content: "Say hello", status: "completed" }]);
    assert.equal(done.json.values.messages.at(-1).content, "tok0 tok1 tok2 tok3 tok4");
    assert.equal((await env.call("GET", `/threads/count?agent_id=${a.id}`)).json.attention_count, 0);

    assertError(await env.call("POST", `/threads/${t.id}/resolve-interrupt`), 409, "thread_not_interrupted");
    assertError(await env.call("POST", `/threads/${randomUUID()}/resolve-interrupt`), 404, "thread_not_found");
  });

  test("threads of a deleted agent stay readable but cannot run (502 upstream_auth_failed)", async () => {
    const a = await agent();
    const t = await thread(a.id);
    assert.equal((await env.call("DELETE", `/agents/${a.id}`)).status, 204);
    assert.equal((await env.call("GET", `/threads/${t.id}`)).status, 200);
    assert.deepEqual((await env.call("GET", `/threads?agent_id=${a.id}`)).json.threads.map((x: any) => x.id), [t.id]);
    assertError(await env.call("POST", `/threads/${t.id}/runs`, { input: user("hi") }), 502, "upstream_auth_failed");
    assertError(await env.call("POST", `/threads/${t.id}/runs/stream`, { agent_id: a.id, input: user("hi") }), 502, "upstream_auth_failed");
    assertError(await env.call("POST", `/threads/${t.id}/resolve-interrupt`), 502, "upstream_auth_failed");
  });
});
