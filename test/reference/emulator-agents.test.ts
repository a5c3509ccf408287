/** The emulator's seven agent operations: success paths, documented errors, and the runtime they configure. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startEnv, user, type StartedEnv } from "./emulator-harness.ts";

const ERROR_KEYS = ["code", "detail", "status", "type"];
function assertError(res: { status: number; json: any; headers: Record<string, string> }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.deepEqual(Object.keys(res.json).sort(), ERROR_KEYS);
  assert.equal(res.json.code, code);
  assert.equal(res.json.status, status);
  assert.equal(res.json.type, `https://docs.langchain.com/errors/${code}`);
  assert.match(res.headers["content-type"] ?? "", /^application\/json/);
}

const FULL = {
  name: "research-assistant",
  description: "Finds things.",
  permissions: { identity: "personal", visibility: "user" },
  runtime: { model: { model_id: "scripted:tokens=4,delay_ms=1" } },
  system_prompt: "You are careful.",
  tools: { tools: [{ name: "echo", mcp_server_url: "https://tools.example.com/mcp" }], interrupt_config: { "https://tools.example.com/mcp::echo": false } },
  subagents: [{ name: "critic", description: "Reviews", model_id: "scripted", instructions: "Be critical.", tools: { tools: [], interrupt_config: {} } }],
  skills: [{ name: "summarize", description: "Summaries", instructions: "Summarize well.", files: { "examples/a.md": "example" } }],
  extras: { team: "x" },
  files: { "notes/readme.md": { content: "hello" } },
  backend: { type: "state" },
  configurable: { custom_key: 1 },
};

describe("managed emulator: agents", () => {
  let env: StartedEnv;
  before(async () => {
    env = await startEnv({ mcp: false });
  });
  after(() => env?.stop());

  const create = async (body: object, query = "") => {
    const res = await env.call("POST", `/agents${query}`, body);
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  const upstreamAssistant = async (id: string) => (await fetch(`${env.upstreamUrl}/assistants/${id}`)).json() as Promise<any>;

  test("POST /agents creates an agent whose typed fields round-trip through its file tree", async () => {
    const a = await create(FULL, "?include_files=true");
    assert.match(a.id, /^[0-9a-f-]{36}$/);
    assert.match(a.owner_id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(a.created_at)) && !Number.isNaN(Date.parse(a.updated_at)));
    assert.deepEqual(a.permissions, { identity: "personal", visibility: "user", tenant_access_level: "read" });
    assert.equal(a.access_level, "WRITE");
    assert.equal(a.is_owner, true);
    assert.equal(a.system_prompt, "You are careful.");
    assert.equal(a.instructions, "You are careful.");
    assert.deepEqual(a.tools, FULL.tools);
    assert.deepEqual(a.subagents, FULL.subagents);
    assert.deepEqual(a.skills, [{ type: "inline", ...FULL.skills[0] }]);
    assert.match(a.revision, /^[0-9a-f]{64}$/);
    assert.deepEqual(Object.keys(a.files).sort(), [
      "AGENTS.md",
      "notes/readme.md",
      "skills/summarize/SKILL.md",
      "skills/summarize/examples/a.md",
      "subagents/critic/AGENTS.md",
      "subagents/critic/tools.json",
      "tools.json",
    ]);
    assert.equal((await env.call("GET", `/agents/${a.id}`)).json.files, undefined, "files only with include_files");
    assert.ok((await env.call("GET", `/agents/${a.id}?include_files=1`)).json.files["notes/readme.md"]);
  });

  test("defaults: permissions, backend, extras, description", async () => {
    const a = await create({ name: "minimal" });
    assert.deepEqual(a.permissions, { identity: "personal", visibility: "tenant", tenant_access_level: "read" });
    assert.deepEqual(a.backend, { type: "state" });
    assert.deepEqual(a.extras, {});
    assert.equal(a.description, "");
    assert.deepEqual([a.subagents, a.skills], [[], []]);
  });

  /** The configurable the emulator gave the upstream run of a new run of this agent. */
  const runConfigurable = async (agentId: string) => {
    const thread = await env.call("POST", "/threads", { agent_id: agentId }, { "x-api-key": env.key });
    const run = await env.call("POST", `/threads/${thread.json.id}/runs`, { agent_id: agentId, input: user("hi") }, { "x-api-key": env.key });
    const up = (await (await fetch(`${env.upstreamUrl}/threads/${thread.json.id}/runs/${run.json.run_id}`)).json()) as { kwargs: { config: { configurable: Record<string, unknown> } } };
    return up.kwargs.config.configurable;
  };

  test("the model id and interrupt_config configure the upstream assistant and its runs", async () => {
    const plain = await create({ name: "m", runtime: { model: { model_id: "scripted:tokens=7,delay_ms=3,first_token_delay_ms=9" } }, configurable: { fake_tokens: 99, other: "x" } }, "");
    const up = await upstreamAssistant(plain.id);
    assert.equal(up.graph_id, "deep");
    const knobs = await runConfigurable(plain.id);
    for (const [k, v] of Object.entries({ fake_tokens: 7, fake_delay_ms: 3, fake_first_token_delay_ms: 9, other: "x", user_timezone: "UTC" })) assert.equal(knobs[k], v, k);
    const res = await env.call("POST", "/agents", { name: "h", tools: { interrupt_config: { write_todos: true } }, runtime: { model: { model_id: "openai:gpt-5.5" } } }, {
      "x-api-key": env.key,
      "x-user-timezone": "Europe/Paris",
    });
    const hitl = await upstreamAssistant(res.json.id);
    assert.equal(hitl.graph_id, "deep_hitl");
    const hitlKnobs = await runConfigurable(res.json.id);
    assert.equal(hitlKnobs.user_timezone, "Europe/Paris");
    assert.equal(hitlKnobs.fake_tokens, undefined);
  });

  test("POST /agents: 400 for missing, blank, mistyped and malformed input", async () => {
    const missing = await env.call("POST", "/agents", { description: "no name" });
    assertError(missing, 400, "missing_required_field");
    assert.equal(missing.json.detail, "Set 'name' to a non-empty string: 'name' is required");
    assertError(await env.call("POST", "/agents", { name: "  " }), 400, "missing_required_field");
    assertError(await env.call("POST", "/agents", { name: 42 }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/agents", { name: "x", permissions: { identity: "team" } }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/agents", { name: "x", tools: { interrupt_config: { a: "yes" } } }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/agents", { name: "x", tools: { tools: [{ mcp_server_url: "not a uri" }] } }), 400, "invalid_request_body");
    assertError(await env.raw("POST", "/agents", "{not json"), 400, "invalid_request_body");
    assertError(await env.raw("POST", "/agents", "[1,2]"), 400, "invalid_request_body");
    assertError(await env.raw("POST", "/agents", ""), 400, "invalid_request_body");
  });

  test("POST /agents: 422 when a typed field and its file are both set, and for unusable trees", async () => {
    const cases: object[] = [
      { instructions: "a", files: { "AGENTS.md": { content: "b" } } },
      { system_prompt: "a", files: { "AGENTS.md": { content: "b" } } },
      { tools: { tools: [] }, files: { "tools.json": { content: "{}" } } },
      { subagents: [{ name: "s" }], files: { "subagents/s/AGENTS.md": { content: "x" } } },
      { files: { "../escape.md": { content: "x" } } },
      { files: { "/abs.md": { content: "x" } } },
      { files: { "skills/x": { type: "skill" } } },
      { subagents: [{ name: "bad/name" }] },
      { skills: [{ name: "a" }, { name: "a" }] },
      { backend: { type: "state", sandbox_config: { scope: "thread" } } },
    ];
    for (const extra of cases) assert.equal((await env.call("POST", "/agents", { name: "x", ...extra })).status, 422, JSON.stringify(extra));
    assertError(await env.call("POST", "/agents", { name: "x", ...cases[0] }), 422, "file_conflict");
  });

  test("GET /agents/{agent_id}: 200, 404 for an unknown id, 400 for a malformed one", async () => {
    const a = await create({ name: "get-me" });
    const got = await env.call("GET", `/agents/${a.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.name, "get-me");
    const unknown = await env.call("GET", `/agents/${randomUUID()}`);
    assertError(unknown, 404, "agent_not_found");
    assertError(await env.call("GET", "/agents/not-a-uuid"), 400, "invalid_request_body");
    assertError(await env.call("GET", `/agents/${a.id}?include_files=maybe`), 400, "invalid_request_body");
  });

  test("GET /agents pages with a cursor, filters by name and sorts", async () => {
    const tag = `pg-${randomUUID().slice(0, 8)}`;
    for (const n of ["c", "a", "b"]) await create({ name: `${tag}-${n}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await env.call("GET", `/agents?page_size=1&sort_by=name&sort_order=asc&name=${tag.toUpperCase()}${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(res.status, 200);
      assert.ok(res.json.items.length <= 1);
      seen.push(...res.json.items.map((i: any) => i.name));
      assert.equal(res.json.items[0]?.files, undefined);
      cursor = res.json.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [`${tag}-a`, `${tag}-b`, `${tag}-c`]);
    const newest = await env.call("GET", `/agents?name=${tag}`);
    assert.equal(newest.json.items[0].name, `${tag}-b`, "default order: updated_at desc");
    assert.equal(newest.json.next_cursor, null);
    for (const q of ["page_size=0", "page_size=101", "page_size=x", "sort_by=size", "sort_order=up", "cursor=!!"]) {
      assertError(await env.call("GET", `/agents?${q}`), 400, "invalid_request_body");
    }
  });

  test("PATCH /agents/{agent_id}: scalars merge, nested objects are replaced whole, deleted_paths removes files", async () => {
    const a = await create(FULL);
    const described = await env.call("PATCH", `/agents/${a.id}`, { description: "Updated." });
    assert.equal(described.status, 200);
    assert.equal(described.json.name, FULL.name);
    assert.equal(described.json.description, "Updated.");
    assert.equal(described.json.revision, a.revision, "no file-tree field, no new commit");
    assert.deepEqual(described.json.extras, { team: "x" });

    const replaced = await env.call("PATCH", `/agents/${a.id}?include_files=true`, {
      permissions: { tenant_access_level: "run" },
      extras: { other: true },
      files: { "AGENTS.md": { content: "New prompt." } },
      deleted_paths: ["notes/readme.md"],
      skills: [],
    });
    assert.equal(replaced.status, 200);
    assert.deepEqual(replaced.json.permissions, { identity: "personal", visibility: "tenant", tenant_access_level: "run" });
    assert.deepEqual(replaced.json.extras, { other: true });
    assert.equal(replaced.json.system_prompt, "New prompt.");
    assert.deepEqual(replaced.json.skills, []);
    assert.deepEqual(replaced.json.subagents, FULL.subagents);
    assert.equal(replaced.json.files["notes/readme.md"], undefined);
    assert.notEqual(replaced.json.revision, a.revision);
    assert.ok(Date.parse(replaced.json.updated_at) >= Date.parse(a.updated_at));
  });

  test("PATCH /agents/{agent_id}: 400, 404 and 422", async () => {
    const a = await create({ name: "p" });
    assertError(await env.call("PATCH", `/agents/${a.id}`, { name: 5 }), 400, "invalid_request_body");
    assertError(await env.call("PATCH", `/agents/${a.id}`, { deleted_paths: "AGENTS.md" }), 400, "invalid_request_body");
    assertError(await env.call("PATCH", `/agents/${randomUUID()}`, { description: "x" }), 404, "agent_not_found");
    assertError(await env.call("PATCH", `/agents/${a.id}`, { system_prompt: "a", files: { "AGENTS.md": { content: "b" } } }), 422, "file_conflict");
  });

  test("DELETE /agents/{agent_id} is idempotent and removes the agent", async () => {
    const a = await create({ name: "doomed" });
    const first = await env.call("DELETE", `/agents/${a.id}`);
    assert.equal(first.status, 204);
    assert.equal(first.text, "");
    assertError(await env.call("GET", `/agents/${a.id}`), 404, "agent_not_found");
    assert.equal((await env.call("DELETE", `/agents/${a.id}`)).status, 204);
    assert.equal((await env.call("DELETE", `/agents/${randomUUID()}`)).status, 204);
    assert.equal((await fetch(`${env.upstreamUrl}/assistants/${a.id}`)).status, 404, "the assistant is gone upstream");
    assertError(await env.call("DELETE", "/agents/nope"), 400, "invalid_request_body");
  });

  test("POST /agents/{agent_id}/clone copies behaviour, not caller metadata", async () => {
    const a = await create(FULL);
    const clone = await env.call("POST", `/agents/${a.id}/clone`);
    assert.equal(clone.status, 201);
    assert.notEqual(clone.json.id, a.id);
    assert.equal(clone.json.name, `${FULL.name} (copy)`);
    assert.equal(clone.json.system_prompt, FULL.system_prompt);
    assert.deepEqual(clone.json.subagents, FULL.subagents);
    assert.deepEqual(clone.json.runtime, FULL.runtime);
    assert.deepEqual(clone.json.extras, {});
    assert.deepEqual(clone.json.permissions, { identity: "personal", visibility: "tenant", tenant_access_level: "read" });
    const named = await env.call("POST", `/agents/${a.id}/clone`, { name: "twin", permissions: { identity: "shared" } });
    assert.equal(named.status, 201);
    assert.equal(named.json.name, "twin");
    assert.equal(named.json.permissions.identity, "shared");
    assertError(await env.call("POST", `/agents/${randomUUID()}/clone`), 404, "agent_not_found");
    assertError(await env.call("POST", `/agents/${a.id}/clone`, { name: [] }), 400, "invalid_request_body");
  });

  test("GET /agents/{agent_id}/health reports each referenced MCP server", async () => {
    const a = await create(FULL);
    const health = await env.call("GET", `/agents/${a.id}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.json.agent_id, a.id);
    assert.equal(health.json.mcp_check.ok, false, "the referenced server is not registered");
    assert.deepEqual(
      health.json.mcp_check.servers.map((s: any) => [s.url, s.ok]),
      [["https://tools.example.com/mcp", false]],
    );
    assertError(await env.call("GET", `/agents/${randomUUID()}/health`), 404, "agent_not_found");
    assertError(await env.call("GET", "/agents/nope/health"), 404, "agent_not_found");
  });

  test("with lenientValidation, bodies with wrong types or missing fields are coerced instead of rejected", async () => {
    const lenient = await startEnv({ upstream: env.upstreamUrl, mcp: false, lenient: true });
    try {
      const coerced = await lenient.call("POST", "/agents", { name: 42 });
      assert.equal(coerced.status, 201);
      assert.equal(coerced.json.name, "42");
      const defaulted = await lenient.call("POST", "/agents", { description: 7 });
      assert.equal(defaulted.status, 201);
      assert.equal(defaulted.json.name, "untitled");
      assert.equal(defaulted.json.description, "7");
      assert.equal((await env.call("GET", `/agents/${coerced.json.id}`)).status, 404, "each emulator sees only its own workspace");
    } finally {
      await lenient.stop();
    }
  });
});
