/**
 * Every named fault changes the behaviour it names: each probe below is run against the healthy reference
 * and against a reference with that one fault, and the two observations must differ in the named way.
 * (That each check of the suite catches its fault is tested with the checks themselves.)
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Reference } from "../../reference/index.ts";
import { FAULTS } from "../../reference/faults/catalog.ts";
import { sharedReference } from "../support/reference.ts";
import { agentServer, managed, poll, sleep } from "../support/clients.ts";

type Probe = (ref: Reference) => Promise<unknown>;
interface Case {
  observe: Probe;
  healthy(o: any): boolean;
  broken(o: any): boolean;
}

const slowModel = { runtime: { model: { model_id: "scripted:tokens=40,delay_ms=20" } } };
const api = (ref: Reference) => managed(ref.managedUrl, ref.apiKey);
const as = (ref: Reference) => agentServer(ref.agentServerUrl);

async function agentAndThread(ref: Reference, extra: object = {}) {
  const agent = (await api(ref).post("/agents", { name: "probe", ...slowModel, ...extra })).json;
  const thread = (await api(ref).post("/threads", { agent_id: agent.id })).json;
  return { agent, thread };
}
async function managedStream(ref: Reference, body: object = {}, limits = {}) {
  const { agent, thread } = await agentAndThread(ref);
  return api(ref).stream(`/threads/${thread.id}/runs/stream`, { agent_id: agent.id, input: { messages: [{ role: "user", content: "hi" }] }, ...body }, limits);
}
async function upstreamThread(ref: Reference) {
  return (await as(ref).post("/threads", {})).json.thread_id as string;
}
const slowRun = { assistant_id: "agent", input: { messages: [{ role: "user", content: "hi" }] }, config: { configurable: { fake_tokens: 40, fake_delay_ms: 20 } } };
async function finishedRun(ref: Reference) {
  const tid = await upstreamThread(ref);
  const run = (await as(ref).post(`/threads/${tid}/runs`, { assistant_id: "agent", input: { messages: [{ role: "user", content: "hi" }] } })).json;
  // join blocks until the run is over without reading its status, which some faults rewrite.
  await as(ref).get(`/threads/${tid}/runs/${run.run_id}/join`);
  return { tid, rid: run.run_id as string };
}
const names = (events: { event: string }[]) => events.map((e) => e.event);

const CASES: Record<string, Case> = {
  "server-error": { observe: async (r) => (await api(r).get("/agents")).status, healthy: (s) => s === 200, broken: (s) => s === 500 },
  "undocumented-status": { observe: async (r) => (await api(r).post("/agents", { name: "x" })).status, healthy: (s) => s === 201, broken: (s) => s === 200 },
  "wrong-content-type": {
    observe: async (r) => (await api(r).get(`/agents/${(await api(r).post("/agents", { name: "x" })).json.id}`)).headers["content-type"],
    healthy: (ct) => ct.startsWith("application/json"),
    broken: (ct) => ct.startsWith("text/plain"),
  },
  "wrong-field-type": {
    observe: async (r) => typeof (await api(r).post("/agents", { name: "x" })).json.created_at,
    healthy: (t) => t === "string",
    broken: (t) => t === "number",
  },
  "error-body-shape": {
    observe: async (r) => (await api(r).get(`/agents/${randomUUID()}`)).json,
    healthy: (b) => b.status === 404 && b.code === "agent_not_found",
    broken: (b) => typeof b.status === "string",
  },
  "auth-not-enforced": { observe: async (r) => (await api(r).get("/agents", {})).status, healthy: (s) => s === 401, broken: (s) => s === 200 },
  "wrong-auth-error": {
    observe: async (r) => (await api(r).get("/agents", { "x-api-key": "not-the-key" })).json,
    healthy: (b) => b.error === "Forbidden",
    broken: (b) => b.error === "Unauthorized",
  },
  "accepts-invalid-input": { observe: async (r) => (await api(r).post("/agents", { name: 42 })).status, healthy: (s) => s === 400, broken: (s) => s === 201 },
  "threads-accept-missing-agent-id": {
    observe: async (r) => {
      const { agent } = await agentAndThread(r);
      return [(await api(r).post("/threads", {})).status, agent.id];
    },
    healthy: ([s]) => s === 400,
    broken: ([s]) => s === 201,
  },
  "undocumented-method-served": { observe: async (r) => (await api(r).send("DELETE", "/agents")).status, healthy: (s) => s === 405, broken: (s) => s === 204 },
  "allow-lists-other-path": {
    observe: async (r) => (await api(r).send("PUT", "/threads/count", {})).headers.allow,
    healthy: (a) => a === "GET",
    broken: (a) => a === "GET, PATCH, DELETE",
  },
  "busy-thread-status-swapped": {
    observe: async (r) => {
      const { agent, thread } = await agentAndThread(r);
      const run = { agent_id: agent.id, input: { messages: [{ role: "user", content: "hi" }] } };
      await api(r).post(`/threads/${thread.id}/runs`, run);
      const again = await api(r).post(`/threads/${thread.id}/runs`, { ...run, multitask_strategy: "reject" });
      const both = await api(r).post("/threads/runs", { ...run, multitask_strategy: "reject", thread: { thread_id: thread.id, if_exists: "do_nothing" } });
      return [again.status, again.json?.code, both.status, both.json?.code];
    },
    healthy: (o) => JSON.stringify(o) === JSON.stringify([400, "thread_busy", 409, "thread_busy"]),
    broken: (o) => JSON.stringify(o) === JSON.stringify([409, "thread_busy", 400, "thread_busy"]),
  },
  "thread-unknown-agent-404": {
    observe: async (r) => {
      const res = await api(r).post("/threads", { agent_id: randomUUID() });
      return [res.status, res.json?.code];
    },
    healthy: ([s, code]) => s === 400 && code === "agent_not_found",
    broken: ([s, code]) => s === 404 && code === "agent_not_found",
  },
  "bulk-echoes-bad-ids": {
    observe: async (r) => {
      const { thread } = await agentAndThread(r);
      return (await api(r).post("/threads/bulk-modify", { thread_ids: [thread.id, "null,null"], data: { title: "bulk" } })).json.results.map((x: { id?: string }) => x.id === thread.id || x.id);
    },
    healthy: (ids) => ids.length === 2 && ids[0] === true && ids[1] === undefined,
    broken: (ids) => ids.length === 2 && ids[0] === true && ids[1] === "null,null",
  },
  "oauth-provider-for-headers": {
    observe: async (r) => {
      const server = (await api(r).post("/mcp-servers", { name: `probe ${randomUUID()}`, url: `https://${randomUUID().slice(0, 8)}.example.com/mcp`, headers: [{ key: "Authorization", value: "Bearer x" }] })).json;
      return (await api(r).post(`/mcp-servers/${server.id}/oauth-provider`, {})).status;
    },
    healthy: (s) => s === 400,
    broken: (s) => s === 200,
  },
  "approval-wrong-tool": {
    observe: async (r) => {
      const tools = { tools: [{ name: "echo", mcp_server_url: "https://probe.example.com/mcp", mcp_server_name: "probe" }], interrupt_config: { "https://probe.example.com/mcp::echo": true } };
      return Object.keys((await api(r).post("/agents", { name: "probe", tools })).json.tools?.interrupt_config ?? {});
    },
    healthy: (keys) => keys.length === 1 && keys[0] === "https://probe.example.com/mcp::echo",
    broken: (keys) => keys.length === 1 && keys[0] === "write_todos",
  },
  "clone-after-update-500": {
    observe: async (r) => {
      const agent = (await api(r).post("/agents", { name: "probe" })).json;
      const clone = async () => (await api(r).post(`/agents/${agent.id}/clone`, {})).status;
      const before = await clone();
      await api(r).patch(`/agents/${agent.id}`, { name: "probe, renamed" });
      return [before, await clone()];
    },
    healthy: ([before, after]) => before === 201 && after === 201,
    broken: ([before, after]) => before === 201 && after === 500,
  },
  "attention-count-off": {
    observe: async (r) => {
      const { agent } = await agentAndThread(r);
      return (await api(r).get(`/threads/count?agent_id=${agent.id}`)).json.attention_count;
    },
    healthy: (n) => n === 0,
    broken: (n) => n === 1,
  },
  "rejects-valid-input": {
    observe: async (r) => (await api(r).post("/agents", { name: "x", permissions: { identity: "personal" } })).status,
    healthy: (s) => s === 201,
    broken: (s) => s === 400,
  },
  "unknown-id-500": { observe: async (r) => (await api(r).get(`/agents/${randomUUID()}`)).status, healthy: (s) => s === 404, broken: (s) => s === 500 },
  "resurrect-after-delete": {
    observe: async (r) => {
      const id = (await api(r).post("/agents", { name: "x" })).json.id;
      await api(r).get(`/agents/${id}`);
      await api(r).delete(`/agents/${id}`);
      return (await api(r).get(`/agents/${id}`)).status;
    },
    healthy: (s) => s === 404,
    broken: (s) => s === 200,
  },
  "missing-route": {
    observe: async (r) => (await api(r).post("/threads/bulk-modify", { thread_ids: [], data: { metadata: {} } })).status,
    healthy: (s) => s === 200,
    broken: (s) => s === 404,
  },
  "echo-secrets": {
    observe: async (r) => (await api(r).post("/mcp-servers", { name: `m-${randomUUID()}`, url: "https://127.0.0.1:1/mcp", headers: [{ key: "Authorization", value: "Bearer s3cret-token" }] })).text,
    healthy: (t) => !t.includes("s3cret-token"),
    broken: (t) => t.includes("s3cret-token"),
  },
  "auth-session-stuck": {
    observe: async (r) => {
      const s = (await api(r).post("/auth-sessions", { provider_id: "p", scopes: ["read"], strategy: "CREATE" })).json;
      await fetch(s.verification_url);
      return (await api(r).get(`/auth-sessions/${s.id}`)).json.status;
    },
    healthy: (s) => s === "COMPLETED",
    broken: (s) => s === "PENDING",
  },
  "read-after-create-404": {
    observe: async (r) => (await api(r).get(`/agents/${(await api(r).post("/agents", { name: "x" })).json.id}`)).status,
    healthy: (s) => s === 200,
    broken: (s) => s === 404,
  },
  "list-omits-new": {
    observe: async (r) => {
      const name = `probe-${randomUUID()}`;
      const id = (await api(r).post("/agents", { name })).json.id;
      return ((await api(r).get(`/agents?name=${name}`)).json.items as { id: string }[]).map((a) => a.id).includes(id);
    },
    healthy: (listed) => listed === true,
    broken: (listed) => listed === false,
  },
  "update-not-persisted": {
    observe: async (r) => {
      const id = (await api(r).post("/agents", { name: "before" })).json.id;
      await api(r).patch(`/agents/${id}`, { name: "after" });
      return (await api(r).get(`/agents/${id}`)).json.name;
    },
    healthy: (n) => n === "after",
    broken: (n) => n === "before",
  },
  "mcp-tools-empty": {
    observe: async (r) => {
      await api(r).post("/mcp-servers", { name: `m-${randomUUID()}`, url: r.mcpUrl });
      return (await api(r).get(`/mcp/tools?url=${encodeURIComponent(r.mcpUrl)}`)).json.tools.length;
    },
    healthy: (n) => n > 0,
    broken: (n) => n === 0,
  },
  "reuse-ignored": {
    observe: async (r) => {
      const provider = `p-${randomUUID()}`;
      const s = (await api(r).post("/auth-sessions", { provider_id: provider, scopes: ["read"], strategy: "CREATE" })).json;
      await fetch(s.verification_url);
      return (await api(r).post("/auth-sessions", { provider_id: provider, scopes: ["read"], strategy: "REUSE" })).status;
    },
    healthy: (s) => s === 200,
    broken: (s) => s === 201,
  },
  "accepts-any-stream-mode": {
    observe: async (r) => (await managedStream(r, { stream_mode: ["events"] })).stream.status,
    healthy: (s) => s === 400,
    broken: (s) => s === 200,
  },
  "accepts-assistant-id": {
    observe: async (r) => {
      const { agent, thread } = await agentAndThread(r);
      return (await api(r).stream(`/threads/${thread.id}/runs/stream`, { assistant_id: agent.id, input: { messages: [{ role: "user", content: "hi" }] } })).stream.status;
    },
    healthy: (s) => s === 400,
    broken: (s) => s === 200,
  },
  "resolve-interrupt-noop": {
    observe: async (r) => {
      const { agent, thread } = await agentAndThread(r, { tools: { interrupt_config: { write_todos: true } } });
      await api(r).stream(`/threads/${thread.id}/runs/stream`, { agent_id: agent.id, input: { messages: [{ role: "user", content: "hi" }] } });
      await api(r).post(`/threads/${thread.id}/resolve-interrupt`);
      return (await poll(() => api(r).get(`/threads/${thread.id}`), (t) => t.json?.status === "idle", 5000)).json.status;
    },
    healthy: (s) => s === "idle",
    broken: (s) => s === "interrupted",
  },
  "buffered-stream": {
    observe: async (r) => {
      const { events } = await managedStream(r, { stream_mode: ["messages-tuple"] });
      return events.at(-1)!.receivedAt - events[0]!.receivedAt;
    },
    // 40 tokens 20 ms apart: streamed, they spread over most of the run; buffered, they arrive together.
    healthy: (spread) => spread > 400,
    broken: (spread) => spread < 50,
  },
  "wrong-event-name": {
    observe: async (r) => names((await managedStream(r, { stream_mode: ["messages-tuple", "updates"] })).events),
    healthy: (n) => n.includes("messages") && n.includes("updates"),
    broken: (n) => n.includes("messages-tuple") && n.includes("update") && !n.includes("messages"),
  },
  "mode-events-renamed": {
    observe: async (r) => names((await managedStream(r, { stream_mode: ["values"] })).events),
    healthy: (n) => n.includes("values"),
    broken: (n) => n.includes("values_") && !n.includes("values"),
  },
  "messages-not-tuple": {
    observe: async (r) => JSON.parse((await managedStream(r, { stream_mode: ["messages-tuple"] })).events.find((e) => e.event === "messages")!.data),
    healthy: (d) => Array.isArray(d) && d.length === 2,
    broken: (d) => !Array.isArray(d) && typeof d.content === "string",
  },
  "slow-reads": {
    observe: async (r) => {
      const { thread } = await agentAndThread(r);
      const started = performance.now();
      await api(r).get(`/threads/${thread.id}`);
      return performance.now() - started;
    },
    healthy: (ms) => ms < 1500,
    broken: (ms) => ms >= 1500,
  },
  "slow-first-token": {
    observe: async (r) => {
      const { events, sentAt } = await managedStream(r, { stream_mode: ["messages-tuple"] });
      return events.find((e) => e.event === "messages")!.receivedAt - sentAt;
    },
    healthy: (ttft) => ttft < 3000,
    broken: (ttft) => ttft >= 3000,
  },
  "no-metadata-event": {
    observe: async (r) => (await managedStream(r)).events[0]?.event,
    healthy: (e) => e === "metadata",
    broken: (e) => e !== "metadata",
  },
  "broken-framing": {
    observe: async (r) => (await managedStream(r)).stream.framingIssues.map((i) => i.rule),
    healthy: (rules) => rules.length === 0,
    broken: (rules) => rules.length > 0,
  },
  "stream-content-type": {
    observe: async (r) => (await managedStream(r)).stream.headers["content-type"],
    healthy: (ct) => ct.startsWith("text/event-stream"),
    broken: (ct) => ct.startsWith("application/json"),
  },
  "ids-rewritten": {
    observe: async (r) => (await as(r).stream(`/threads/${await upstreamThread(r)}/runs/stream`, { ...slowRun, stream_mode: ["values"] })).events.map((e) => Number(e.id)),
    healthy: (ids) => ids.every((id: number, i: number) => i === 0 || id > ids[i - 1]),
    broken: (ids) => ids.every((id: number, i: number) => i === 0 || id < ids[i - 1]),
  },
  "truncated-stream": {
    observe: async (r) => (await managedStream(r, { stream_mode: ["messages-tuple"] })).events.length,
    healthy: (n) => n > 40,
    broken: (n) => n === 3,
  },
  "endless-stream": {
    observe: async (r) => (await managedStream(r, {}, { deadlineMs: 4000 })).end.reason,
    healthy: (reason) => reason === "closed",
    broken: (reason) => reason === "deadline",
  },
  "error-event-shape": {
    observe: async (r) => {
      const { events } = await as(r).stream(`/threads/${await upstreamThread(r)}/runs/stream`, { assistant_id: "error", input: { messages: [{ role: "user", content: "hi" }] } });
      return JSON.parse(events.find((e) => e.event === "error")!.data);
    },
    healthy: (d) => typeof d.error === "string" && typeof d.message === "string",
    broken: (d) => d.error === undefined && typeof d.detail === "string",
  },
  "unrequested-mode": {
    observe: async (r) => new Set(names((await managedStream(r, { stream_mode: ["values"] })).events)),
    healthy: (n) => !n.has("debug"),
    broken: (n) => n.has("debug"),
  },
  "error-event-dropped": {
    observe: async (r) => names((await as(r).stream(`/threads/${await upstreamThread(r)}/runs/stream`, { assistant_id: "error", input: { messages: [{ role: "user", content: "hi" }] } })).events),
    healthy: (n) => n.at(-1) === "error",
    broken: (n) => !n.includes("error") && n[0] === "metadata",
  },
  "ids-dropped": {
    observe: async (r) => (await as(r).stream(`/threads/${await upstreamThread(r)}/runs/stream`, { ...slowRun, stream_mode: ["values"] })).events.map((e) => e.id),
    healthy: (ids) => ids.every((id: string | undefined) => id !== undefined),
    broken: (ids) => ids.length > 1 && ids.every((id: string | undefined) => id === undefined),
  },
  "missing-required-field": {
    observe: async (r) => {
      const { tid, rid } = await finishedRun(r);
      return (await as(r).get(`/threads/${tid}/runs/${rid}`)).json;
    },
    healthy: (run) => typeof run.run_id === "string",
    broken: (run) => run.run_id === undefined && typeof run.thread_id === "string",
  },
  "run-status-out-of-enum": {
    observe: async (r) => {
      const { tid, rid } = await finishedRun(r);
      return (await as(r).get(`/threads/${tid}/runs/${rid}`)).json.status;
    },
    healthy: (s) => s === "success",
    broken: (s) => s === "completed",
  },
  "run-status-regresses": {
    observe: async (r) => {
      const { tid, rid } = await finishedRun(r);
      return [(await as(r).get(`/threads/${tid}/runs/${rid}`)).json.status, (await as(r).get(`/threads/${tid}/runs/${rid}`)).json.status];
    },
    healthy: ([a, b]) => a === "success" && b === "success",
    broken: ([a, b]) => a === "success" && b === "running",
  },
  "thread-stays-busy": {
    observe: async (r) => {
      const { tid } = await finishedRun(r);
      await sleep(200);
      return (await as(r).get(`/threads/${tid}`)).json.status;
    },
    healthy: (s) => s === "idle",
    broken: (s) => s === "busy",
  },
  "resume-ignored": {
    observe: async (r) => {
      const tid = await upstreamThread(r);
      const ask = (await as(r).post(`/threads/${tid}/runs`, { assistant_id: "interrupt", input: { messages: [{ role: "user", content: "hi" }] } })).json;
      await as(r).get(`/threads/${tid}/runs/${ask.run_id}/join`);
      const resume = (await as(r).post(`/threads/${tid}/runs`, { assistant_id: "interrupt", command: { resume: "yes" } })).json;
      await as(r).get(`/threads/${tid}/runs/${resume.run_id}/join`);
      return poll(async () => (await as(r).get(`/threads/${tid}`)).json.status as string, (s) => s !== "busy");
    },
    healthy: (s) => s === "idle",
    broken: (s) => s === "interrupted",
  },
  "multitask-swapped": {
    observe: async (r) => {
      const tid = await upstreamThread(r);
      await as(r).post(`/threads/${tid}/runs`, slowRun);
      return (await as(r).post(`/threads/${tid}/runs`, { ...slowRun, multitask_strategy: "reject" })).status;
    },
    healthy: (s) => s === 422 || s === 409,
    broken: (s) => s === 200,
  },
  "enqueue-drops-run": {
    observe: async (r) => {
      const tid = await upstreamThread(r);
      const runs = [];
      for (let i = 0; i < 2; i++) runs.push((await as(r).post(`/threads/${tid}/runs`, { ...slowRun, multitask_strategy: "enqueue" })).json.run_id);
      return Promise.all(runs.map(async (rid) => (await as(r).get(`/threads/${tid}/runs/${rid}`)).status));
    },
    healthy: (s) => s.every((x: number) => x === 200),
    broken: (s) => s[0] === 200 && s[1] === 404,
  },
  "run-listed-twice": {
    observe: async (r) => {
      const { tid } = await finishedRun(r);
      return (await as(r).get(`/threads/${tid}/runs`)).json.length;
    },
    healthy: (n) => n === 1,
    broken: (n) => n === 2,
  },
  "runs-overlap": {
    observe: async (r) => {
      const tid = await upstreamThread(r);
      for (let i = 0; i < 2; i++) await as(r).post(`/threads/${tid}/runs`, { ...slowRun, multitask_strategy: "enqueue" });
      const runs = await poll(async () => (await as(r).get(`/threads/${tid}/runs`)).json as { status: string }[], (l) => l.some((x) => x.status === "running"));
      return runs.filter((x) => x.status === "running").length;
    },
    healthy: (n) => n === 1,
    broken: (n) => n === 2,
  },
  "cancel-ignored": {
    observe: async (r) => {
      const tid = await upstreamThread(r);
      const run = (await as(r).post(`/threads/${tid}/runs`, { ...slowRun, config: { configurable: { fake_tokens: 100, fake_delay_ms: 20 } } })).json;
      await poll(() => as(r).get(`/threads/${tid}/runs/${run.run_id}`), (x) => x.json?.status === "running");
      await as(r).post(`/threads/${tid}/runs/${run.run_id}/cancel`);
      return (await poll(() => as(r).get(`/threads/${tid}/runs/${run.run_id}`), (x) => !["pending", "running"].includes(x.json?.status))).json.status;
    },
    healthy: (s) => s === "interrupted",
    broken: (s) => s === "success",
  },
  "on-disconnect-swapped": {
    observe: async (r) => {
      const tid = await upstreamThread(r);
      const { events } = await as(r).stream(
        `/threads/${tid}/runs/stream`,
        { ...slowRun, config: { configurable: { fake_tokens: 60, fake_delay_ms: 20 } }, on_disconnect: "cancel", stream_mode: ["messages-tuple"] },
        { abortAfter: 3 },
      );
      const rid = JSON.parse(events[0]!.data).run_id;
      return (await poll(() => as(r).get(`/threads/${tid}/runs/${rid}`), (x) => !["pending", "running"].includes(x.json?.status))).json.status;
    },
    healthy: (s) => s === "interrupted",
    broken: (s) => s === "success",
  },
  "drop-event-on-resume": {
    observe: async (r) => {
      const tid = await upstreamThread(r);
      const first = await as(r).stream(`/threads/${tid}/runs/stream`, { ...slowRun, stream_resumable: true, stream_mode: ["values", "messages-tuple"] });
      const rid = JSON.parse(first.events[0]!.data).run_id;
      const resumed = await as(r).join(`/threads/${tid}/runs/${rid}/stream`, { "last-event-id": "1" }, { deadlineMs: 5000 });
      return resumed.events[0]?.id;
    },
    healthy: (id) => id === "2",
    broken: (id) => id === "3",
  },
  "wrong-content-location": {
    observe: async (r) => {
      const tid = await upstreamThread(r);
      const created = await as(r).post(`/threads/${tid}/runs`, slowRun);
      return [created.json.run_id, (await as(r).get(created.headers["content-location"]!)).status];
    },
    healthy: ([, status]) => status === 200,
    broken: ([, status]) => status === 404,
  },
  "page-overlaps": {
    observe: async (r) => {
      const mark = randomUUID();
      for (let i = 0; i < 3; i++) await as(r).post("/threads", { metadata: { page_probe: mark } });
      const page = async (offset: number) => (await as(r).post("/threads/search", { metadata: { page_probe: mark }, limit: 2, offset, sort_by: "thread_id", sort_order: "asc" })).json.map((t: any) => t.thread_id);
      const ids = [...(await page(0)), ...(await page(2))];
      return new Set(ids).size === ids.length ? "each once" : "repeated";
    },
    healthy: (o) => o === "each once",
    broken: (o) => o === "repeated",
  },
  "count-off-by-one": {
    observe: async (r) => {
      const mark = randomUUID();
      await as(r).post("/threads", { metadata: { count_probe: mark } });
      return (await as(r).post("/threads/count", { metadata: { count_probe: mark } })).json;
    },
    healthy: (n) => n === 1,
    broken: (n) => n === 2,
  },
  "missing-content-location": {
    observe: async (r) => (await as(r).post(`/threads/${await upstreamThread(r)}/runs`, slowRun)).headers["content-location"],
    healthy: (h) => typeof h === "string" && h.startsWith("/threads/"),
    broken: (h) => h === undefined,
  },
};

describe("reference faults", () => {
  const refs = sharedReference();

  test("every fault in the catalogue has a probe here", () => {
    assert.deepEqual(FAULTS.map((f) => f.name).sort(), Object.keys(CASES).sort());
  });

  for (const fault of FAULTS) {
    test(`${fault.name}: ${fault.rule}`, async () => {
      const c = CASES[fault.name]!;
      await refs.withFault(fault.name, async (faulty) => {
        const [good, bad] = await Promise.all([c.observe(refs.healthy), c.observe(faulty)]);
        assert.ok(c.healthy(good), `healthy reference: unexpected observation ${JSON.stringify(good)}`);
        assert.ok(c.broken(bad), `with fault ${fault.name}: unexpected observation ${JSON.stringify(bad)}`);
      });
    });
  }
});
