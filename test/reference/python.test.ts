/**
 * The Python Agent Server reference (PyPI langgraph-api), driven with plain fetch: its graphs stream,
 * fail, interrupt and nest like the JS reference's, and stop() leaves no process or folder behind.
 * The first run builds .venv-reference/ with pip, which takes a minute or two.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startPythonUpstream, type Upstream } from "../../reference/python/launch.ts";

const launcher = fileURLToPath(new URL("../../reference/python/launch.ts", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));
const GRAPH_IDS = ["agent", "subgraph", "error", "interrupt", "deep", "deep_hitl", "deep_echo_hitl"];

let upstream: Upstream;
before(async () => {
  const started = Date.now();
  upstream = await startPythonUpstream({ log: (line) => console.log(`# ${line}`) });
  console.log(`# Python reference up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
after(() => upstream?.stop());

interface Event {
  event: string;
  data: string;
}

async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${upstream.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const getJson = async (path: string): Promise<any> => (await fetch(`${upstream.url}${path}`)).json();
const newThread = async () => (await post("/threads", {})).json.thread_id as string;

// Reads the whole stream: blocks end with a blank line (the server ends lines with CRLF), comments are skipped.
async function stream(thread: string, body: Record<string, unknown>): Promise<Event[]> {
  const res = await fetch(`${upstream.url}/threads/${thread}/runs/stream`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  return (await res.text())
    .split(/\r?\n\r?\n/)
    .map((block) => {
      const lines = block.split(/\r?\n/);
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "";
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, "")).join("\n");
      return { event, data };
    })
    .filter((e) => e.event !== "");
}

const names = (events: Event[]) => events.map((e) => e.event);
const aiText = (events: Event[]) =>
  events
    .filter((e) => e.event === "messages")
    .map((e) => JSON.parse(e.data)[0])
    .filter((chunk) => chunk.type === "AIMessageChunk")
    .map((chunk) => chunk.content)
    .join("");
const scripted = (tokens: number) => Array.from({ length: tokens }, (_, i) => `tok${i}`).join(" ");

test("GET /ok answers 200", async () => {
  const res = await fetch(`${upstream.url}/ok`);
  assert.equal(res.status, 200);
});

test("an assistant can be created for every graph id", async () => {
  for (const graph_id of GRAPH_IDS) {
    const { status, json } = await post("/assistants", { graph_id });
    assert.equal(status, 200, `${graph_id}: ${JSON.stringify(json)}`);
    assert.equal(json.graph_id, graph_id);
  }
});

test("the agent streams metadata first, then the scripted tokens as messages, through its echo tool", async () => {
  const events = await stream(await newThread(), {
    assistant_id: "agent",
    input: { messages: [{ role: "user", content: "tool: hi" }] },
    stream_mode: ["messages-tuple", "values"],
    config: { configurable: { fake_tokens: 5, fake_delay_ms: 5 } },
  });
  assert.equal(events[0]?.event, "metadata");
  assert.deepEqual(Object.keys(JSON.parse(events[0]!.data)), ["run_id", "attempt"]);
  assert.equal(aiText(events), scripted(5));
  assert.equal(events.filter((e) => e.event === "messages" && JSON.parse(e.data)[0].content === "tok0 ").length, 1);
  const last = JSON.parse(events.filter((e) => e.event === "values").at(-1)!.data).messages;
  assert.deepEqual(
    last.map((m: { type: string; content: string }) => [m.type, m.content]),
    [["human", "tool: hi"], ["ai", ""], ["tool", "echo: ping"], ["ai", scripted(5)]],
  );
  assert.deepEqual(last[1].tool_calls[0].args, { text: "ping" });
});

test("the agent emits custom events around each model call; fake_tool=none skips the tool", async () => {
  const events = await stream(await newThread(), {
    assistant_id: "agent",
    input: { messages: [{ role: "user", content: "tool: hi" }] },
    stream_mode: ["custom"],
    config: { configurable: { fake_tokens: 2, fake_delay_ms: 1, fake_tool: "none" } },
  });
  assert.deepEqual(
    events.filter((e) => e.event === "custom").map((e) => JSON.parse(e.data)),
    [{ phase: "model-start" }, { phase: "model-end" }],
  );
});

test("the error graph ends its stream with an error event", async () => {
  const events = await stream(await newThread(), { assistant_id: "error", input: { messages: [{ role: "user", content: "hi" }] }, stream_mode: ["values"] });
  assert.equal(events.at(-1)?.event, "error");
  assert.deepEqual(JSON.parse(events.at(-1)!.data), { error: "ReferenceFailure", message: "the reference error graph failed on purpose" });
});

test("the interrupt graph leaves its thread interrupted and resumes with a command", async () => {
  const thread = await newThread();
  const first = await stream(thread, { assistant_id: "interrupt", input: {}, stream_mode: ["updates"] });
  assert.match(first.at(-1)!.data, /"__interrupt__".*Approve the plan\?/);
  assert.equal((await getJson(`/threads/${thread}`)).status, "interrupted");
  const resumed = await stream(thread, { assistant_id: "interrupt", command: { resume: "yes" }, stream_mode: ["values"] });
  assert.match(resumed.at(-1)!.data, /human said: \\"yes\\"/);
});

test("the subgraph graph namespaces its child's events with stream_subgraphs", async () => {
  const events = await stream(await newThread(), {
    assistant_id: "subgraph",
    input: { messages: [{ role: "user", content: "hi" }] },
    stream_mode: ["updates"],
    stream_subgraphs: true,
    config: { configurable: { fake_tokens: 2, fake_delay_ms: 1 } },
  });
  assert.ok(names(events).some((n) => /^updates\|research:/.test(n)), names(events).join(", "));
  assert.match(events.at(-1)!.data, /summary done/);
});

test("the deep agent plans with write_todos, then streams exactly the tokens asked for, the same each run", async () => {
  const run = async () =>
    stream(await newThread(), {
      assistant_id: "deep",
      input: { messages: [{ role: "user", content: "hi" }] },
      stream_mode: ["messages-tuple"],
      config: { configurable: { fake_tokens: 7, fake_delay_ms: 1 } },
    });
  const [a, b] = [await run(), await run()];
  assert.equal(aiText(a), scripted(7));
  assert.match(JSON.stringify(a.map((e) => e.data)), /write_todos/);
  assert.deepEqual(names(a), names(b));
  assert.equal(aiText(a), aiText(b));
});

test("deep_hitl stops for approval before write_todos", async () => {
  const thread = await newThread();
  const events = await stream(thread, { assistant_id: "deep_hitl", input: { messages: [{ role: "user", content: "hi" }] }, stream_mode: ["updates"] });
  assert.match(events.at(-1)!.data, /"__interrupt__".*write_todos/);
  assert.equal((await getJson(`/threads/${thread}`)).status, "interrupted");
});

test("deep_echo_hitl stops for approval before echo, and only echo", async () => {
  const thread = await newThread();
  const events = await stream(thread, { assistant_id: "deep_echo_hitl", input: { messages: [{ role: "user", content: "hi" }] }, stream_mode: ["updates"] });
  const interrupt = JSON.parse(events.at(-1)!.data).__interrupt__ as { value: { action_requests: { name: string }[] } }[];
  assert.deepEqual(interrupt.flatMap((i) => i.value.action_requests.map((r) => r.name)), ["echo"]);
  assert.equal((await getJson(`/threads/${thread}`)).status, "interrupted");
});

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if (condition()) return true;
  }
  return condition();
}

test("stop() ends the whole process group and removes the working folder", async () => {
  const other = await startPythonUpstream();
  const cwd = readlinkSync(`/proc/${other.pid}/cwd`);
  assert.ok(cwd.startsWith(join(tmpdir(), "agentwire-python-")), cwd);
  await other.stop();
  assert.equal(groupAlive(other.pid), false);
  assert.equal(existsSync(cwd), false);
  assert.equal(existsSync(join(root, ".langgraph_api")), false);
});

test("the server does not outlive a launcher killed with SIGKILL", async () => {
  const script = `import { startPythonUpstream } from ${JSON.stringify(launcher)}; const u = await startPythonUpstream(); console.log(u.pid);`;
  const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    parent.once("exit", (code) => reject(new Error(`launcher exited with ${code}`)));
  });
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  parent.kill("SIGKILL");
  assert.ok(await until(() => !groupAlive(pid), 10_000), "the server's process group is still alive");
  assert.equal(existsSync(cwd), false);
});
