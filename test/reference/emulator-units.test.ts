/** Unit checks of the emulator's pure parts: validation, the agent file tree, runtime settings. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../../reference/emulator/errors.ts";
import { applyTreeInput, nextRevision, readTree } from "../../reference/emulator/files.ts";
import { configurableFor, graphFor, toolOfKey, scriptedSettings, timezone } from "../../reference/emulator/runtime.ts";
import { CreateAgentRequest, StreamRunRequest } from "../../reference/emulator/schemas.ts";
import { check, int, parseBody, queryParam } from "../../reference/emulator/validate.ts";

const rejects = (f: () => unknown, code: string, detail?: RegExp) =>
  assert.throws(f, (e: unknown) => e instanceof ApiError && e.code === code && (!detail || detail.test(e.detail)));

describe("emulator validation", () => {
  test("strict mode names the offending field", () => {
    rejects(() => check({}, CreateAgentRequest, "", false), "missing_required_field", /^Set 'name' to a non-empty string: 'name' is required$/);
    rejects(() => check({ name: "a", skills: [{ files: { x: 1 } }] }, CreateAgentRequest, "", false), "invalid_request_body", /skills\[0\]\.files\.x/);
    rejects(() => check({ agent_id: "x", input: { messages: [{}] } }, StreamRunRequest, "", false), "invalid_request_body", /agent_id.*UUID/);
    rejects(() => parseBody(Buffer.from("null"), CreateAgentRequest, { lenient: false }), "invalid_request_body");
    assert.deepEqual(check({ name: "a", unknown: 1 }, CreateAgentRequest, "", false), { name: "a", unknown: 1 }, "undeclared fields are allowed");
  });

  test("lenient mode coerces wrong types and fills required fields", () => {
    assert.deepEqual(check({ name: 7, permissions: { identity: "team" }, subagents: "x" }, CreateAgentRequest, "", true), {
      name: "7",
      permissions: { identity: "personal" },
      subagents: [],
    });
    assert.deepEqual(parseBody(Buffer.from("{oops"), CreateAgentRequest, { lenient: true }), { name: "untitled" });
  });

  test("query parameters parse booleans and integers", () => {
    const query = new URLSearchParams("n=5&b=1&bad=1.5");
    assert.equal(queryParam(query, "n", int(1, 10)), 5);
    assert.equal(queryParam(query, "missing", int(1, 10)), undefined);
    rejects(() => queryParam(query, "bad", int(1, 10)), "invalid_request_body");
    rejects(() => queryParam(query, "missing", int(), true), "missing_required_field");
  });
});

describe("emulator agent file tree", () => {
  const input = {
    system_prompt: "Prompt",
    tools: { tools: [{ name: "t", mcp_server_url: "https://x.example.com" }], interrupt_config: { t: true } },
    subagents: [{ name: "a b", description: "has: a colon\nand a newline", model_id: "m", instructions: "---\nnot front matter" }],
    skills: [{ name: "s", description: "d", instructions: "body", files: { "ref/one.md": "1" } }],
    files: { "extra.txt": { content: "x" } },
  };

  test("typed fields round-trip through their documented paths", () => {
    const tree = applyTreeInput({}, input);
    assert.deepEqual(Object.keys(tree).sort(), ["AGENTS.md", "extra.txt", "skills/s/SKILL.md", "skills/s/ref/one.md", "subagents/a b/AGENTS.md", "tools.json"]);
    assert.deepEqual(readTree(tree), {
      system_prompt: "Prompt",
      tools: input.tools,
      subagents: input.subagents,
      skills: [{ type: "inline", ...input.skills[0] }],
    });
  });

  test("a typed section given again replaces the old one; deleted_paths removes files", () => {
    const tree = applyTreeInput(applyTreeInput({}, input), { subagents: [], deleted_paths: ["extra.txt"], instructions: "Alias" });
    const typed = readTree(tree);
    assert.deepEqual(typed.subagents, []);
    assert.equal(typed.system_prompt, "Alias");
    assert.equal(tree["extra.txt"], undefined);
    assert.equal(typed.skills.length, 1);
    assert.equal(readTree(applyTreeInput({}, { system_prompt: "wins", instructions: "loses" })).system_prompt, "wins");
  });

  test("revisions are sha256 tokens that change with every commit", () => {
    const a = nextRevision("seed", { "a.md": { content: "1" } });
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notEqual(nextRevision(a, { "a.md": { content: "1" } }), a);
  });
});

describe("emulator runtime settings", () => {
  test("scripted model ids set the scripted model's knobs; other ids keep its defaults", () => {
    assert.deepEqual(scriptedSettings("scripted:tokens=40,delay_ms=10,first_token_delay_ms=250"), { fake_tokens: 40, fake_delay_ms: 10, fake_first_token_delay_ms: 250 });
    assert.deepEqual(scriptedSettings("scripted:delay_ms=3"), { fake_delay_ms: 3 });
    assert.deepEqual(scriptedSettings("scripted"), {});
    assert.deepEqual(scriptedSettings("scripted:tokens=-1,speed=9"), {});
    assert.deepEqual(scriptedSettings("openai:gpt-5.5"), {});
    assert.deepEqual(configurableFor({ configurable: { fake_tokens: 1, x: 2 }, modelId: "scripted:tokens=3", timezone: "UTC" }), { fake_tokens: 3, x: 2, user_timezone: "UTC" });
  });

  test("approval is asked before exactly the tools interrupt_config names, by server::tool or bare name", () => {
    assert.equal(graphFor({ interrupt_config: { write_todos: false } }, []), "deep");
    assert.equal(graphFor(undefined, [{ tools: { interrupt_config: { write_todos: true } } }]), "deep_hitl");
    const echo = { tools: [{ name: "echo" }] };
    assert.equal(graphFor({ ...echo, interrupt_config: { "https://127.0.0.1:1/mcp::echo": true } }, []), "deep_echo_hitl");
    assert.equal(graphFor({ ...echo, interrupt_config: { "https://127.0.0.1:1/mcp/::echo::Reference": true } }, []), "deep_echo_hitl");
    assert.equal(graphFor({ ...echo, interrupt_config: { echo: true } }, []), "deep_echo_hitl");
    // A tool the agent calls but the config does not name, or one it does not list, asks no approval.
    assert.equal(graphFor({ ...echo, interrupt_config: { "https://127.0.0.1:1/mcp::add": true } }, []), "deep");
    assert.equal(graphFor({ interrupt_config: { "https://127.0.0.1:1/mcp::echo": true } }, []), "deep");
    assert.equal(toolOfKey("https://tools.langchain.com::tavily_web_search::Fleet"), "tavily_web_search");
  });

  test("unknown time zones fall back to UTC", () => {
    assert.equal(timezone("America/Los_Angeles"), "America/Los_Angeles");
    assert.equal(timezone("Mars/Olympus"), "UTC");
    assert.equal(timezone(undefined), "UTC");
  });
});
