/**
 * Stateful flows through real resources, ids taken from earlier answers: create → read → list → update →
 * run → delete → use after delete. Every exchange also goes through the per-exchange checks.
 */
import { randomUUID } from "node:crypto";
import { jsonBody, type Exchange, type HttpRequest } from "../../core/exchange.ts";
import type { CheckName } from "../../core/checks.ts";
import { pollUntil } from "../../core/poll.ts";
import { registerSecret } from "../../core/redact.ts";
import type { SpecId } from "../../core/target.ts";
import type { Intent } from "../checks/types.ts";
import { exchange, type EngineContext } from "./context.ts";
import { quickModelId, quickRunConfig } from "./fixtures.ts";
import { agentServerBusyThread, managedBusyThread, useAfterDelete } from "./state.ts";
import { runWalks, WALKS_TITLE } from "./walks.ts";

export interface Flow {
  spec: SpecId;
  title: string;
  run(ctx: EngineContext): Promise<void>;
}

/** A flow's small vocabulary: call an operation, then state what must hold of the answer. */
function steps(ctx: EngineContext, flow: string) {
  const where = (operationId: string) => ({ spec: ctx.spec, operationId, unit: { flow } });
  return {
    async call(operationId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, intent: Intent = { kind: "valid" }): Promise<{ x: Exchange; json: any; req: HttpRequest }> {
      const req = ctx.client.request(method, path, body, { headers });
      const { x, violations } = await exchange(ctx, operationId, req, intent);
      ctx.rec.violations(where(operationId), violations, req, { status: x.response.status });
      return { x, json: jsonBody(x.response), req };
    },
    expect(operationId: string, check: CheckName, ok: boolean, message: string, req: HttpRequest) {
      if (!ok) ctx.rec.violations(where(operationId), [{ check, message }], req);
    },
    /** After a DELETE, every operation that needs the resource must not find it (./state.ts). */
    gone: (what: string, kind: string, id: string) => useAfterDelete(ctx, flow, what, kind, id),
  };
}

type Steps = ReturnType<typeof steps>;

/** The end of both thread flows: wait for the run, update the metadata, delete, use after delete. */
async function updateAndDeleteThread(s: Steps, ops: { get: string; patch: string; delete: string }, id: string) {
  const path = `/threads/${id}`;
  const read = () => s.call(ops.get, "GET", path);
  await pollUntil(read, (t) => t.json?.status !== "busy", { everyMs: 100 });
  await s.call(ops.patch, "PATCH", path, { metadata: { agentwire_flow: "updated" } });
  const updated = await read();
  s.expect(ops.patch, "update_persisted", updated.json?.metadata?.agentwire_flow === "updated", "a metadata update of the thread is not visible on GET", updated.req);
  await s.call(ops.delete, "DELETE", path);
  await s.gone("thread", "thread_id", id);
}

const ids = (list: unknown, key: string): string[] => (Array.isArray(list) ? list.map((x) => x?.[key]).filter((x): x is string => typeof x === "string") : []);

const managedAgentFlow: Flow = {
  spec: "managed-deep-agents",
  title: "agent, thread and run lifecycle",
  async run(ctx) {
    const s = steps(ctx, this.title);
    const name = `agentwire flow ${ctx.tag} ${randomUUID().slice(0, 8)}`;
    const modelId = quickModelId(ctx.target);
    const runtime = modelId ? { model: { model_id: modelId } } : undefined;
    const created = await s.call("createManagedDeepAgent", "POST", "/agents", { name, extras: { agentwire: ctx.tag }, ...(runtime ? { runtime } : {}) });
    const agentId = created.json?.id;
    if (typeof agentId !== "string") return s.expect("createManagedDeepAgent", "resource_available_after_create", false, `creating an agent answered ${created.x.response.status} without an id`, created.req);
    const read = await s.call("getManagedDeepAgent", "GET", `/agents/${agentId}`);
    s.expect("getManagedDeepAgent", "resource_available_after_create", read.x.response.status === 200 && read.json?.id === agentId, `the agent just created answers ${read.x.response.status} on GET`, read.req);
    const listed = await s.call("listManagedDeepAgents", "GET", `/agents?name=${encodeURIComponent(name)}&page_size=100`);
    s.expect("listManagedDeepAgents", "listed_after_create", ids(listed.json?.items, "id").includes(agentId), "the agent just created is not in the list filtered by its name", listed.req);
    const renamed = `${name} renamed`;
    await s.call("updateManagedDeepAgent", "PATCH", `/agents/${agentId}`, { name: renamed });
    const reread = await s.call("getManagedDeepAgent", "GET", `/agents/${agentId}`);
    s.expect("updateManagedDeepAgent", "update_persisted", reread.json?.name === renamed, `after PATCH name=${JSON.stringify(renamed)}, GET answers name ${JSON.stringify(reread.json?.name)}`, reread.req);

    const thread = await s.call("createManagedDeepAgentThread", "POST", "/threads", { agent_id: agentId, metadata: { agentwire: ctx.tag } });
    const threadId = thread.json?.id;
    if (typeof threadId !== "string") return s.expect("createManagedDeepAgentThread", "resource_available_after_create", false, `creating a thread answered ${thread.x.response.status} without an id`, thread.req);
    const t1 = await s.call("getManagedDeepAgentThread", "GET", `/threads/${threadId}`);
    s.expect("getManagedDeepAgentThread", "resource_available_after_create", t1.x.response.status === 200, `the thread just created answers ${t1.x.response.status} on GET`, t1.req);
    // The flow's own agent runs only on the embedded reference: elsewhere a run is a model call nobody agreed to.
    if (ctx.target.embedded) await s.call("createManagedDeepAgentThreadRun", "POST", `/threads/${threadId}/runs`, { agent_id: agentId, input: { messages: [{ role: "user", content: "hi" }] } });
    const threads = await s.call("listManagedDeepAgentThreads", "GET", `/threads?agent_id=${agentId}`);
    s.expect("listManagedDeepAgentThreads", "listed_after_create", ids(threads.json?.threads, "id").includes(threadId), "the thread just created is not listed for its agent", threads.req);
    await s.call("searchManagedDeepAgentThreads", "POST", "/threads/search", { metadata: { agentwire: ctx.tag } });
    // attention_count counts the threads needing the user, which requires_attention lists (once the run is over).
    await pollUntil(() => s.call("getManagedDeepAgentThread", "GET", `/threads/${threadId}`), (t) => t.json?.status !== "busy", { everyMs: 100 });
    const count = await s.call("countManagedDeepAgentThreads", "GET", `/threads/count?agent_id=${agentId}`);
    const waiting = await s.call("listManagedDeepAgentThreads", "GET", `/threads?agent_id=${agentId}&requires_attention=true&page_size=20`);
    const listedWaiting = ids(waiting.json?.threads, "id").length;
    s.expect("countManagedDeepAgentThreads", "count_matches_list", count.json?.attention_count === listedWaiting, `attention_count is ${JSON.stringify(count.json?.attention_count)}, but ${listedWaiting} threads of the agent are listed with requires_attention=true`, count.req);
    await updateAndDeleteThread(s, { get: "getManagedDeepAgentThread", patch: "updateManagedDeepAgentThread", delete: "deleteManagedDeepAgentThread" }, threadId);
    await s.call("deleteManagedDeepAgent", "DELETE", `/agents/${agentId}`);
    await s.gone("agent", "agent_id", agentId);
  },
};

const managedMcpFlow: Flow = {
  spec: "managed-deep-agents",
  title: "MCP server secrets and tools",
  async run(ctx) {
    const s = steps(ctx, this.title);
    const secret = `agentwire-secret-${randomUUID()}`;
    registerSecret(secret);
    // Its own URL: the fixtures already registered the reachable MCP server, and URLs are unique.
    const url = `https://mcp-${randomUUID().slice(0, 8)}.agentwire.invalid/mcp`;
    const created = await s.call("createMcpServer", "POST", "/mcp-servers", { name: `agentwire flow ${ctx.tag} ${randomUUID().slice(0, 8)}`, url, headers: [{ key: "Authorization", value: `Bearer ${secret}` }] });
    const id = created.json?.id;
    const leaks = (x: Exchange) => x.response.body.includes(secret);
    s.expect("createMcpServer", "secret_headers_not_echoed", !leaks(created.x), "the stored header value is echoed in clear", created.req);
    if (typeof id !== "string") return;
    for (const [op, path] of [["getMcpServer", `/mcp-servers/${id}`], ["listMcpServers", "/mcp-servers"]] as const) {
      const r = await s.call(op, "GET", path);
      s.expect(op, "secret_headers_not_echoed", !leaks(r.x), "the stored header value is returned in clear", r.req);
    }
    const patched = await s.call("updateMcpServer", "PATCH", `/mcp-servers/${id}`, { headers: [{ key: "Authorization", value: `Bearer ${secret}-2` }] });
    s.expect("updateMcpServer", "secret_headers_not_echoed", !leaks(patched.x), "the updated header value is returned in clear", patched.req);
    // A per-user OAuth provider is for servers in per-user dynamic client mode; this one sends static headers.
    const what = "an OAuth provider for an MCP server that uses static headers";
    const oauth = await s.call("registerMcpOAuthProvider", "POST", `/mcp-servers/${id}/oauth-provider`, {}, {}, { kind: "refused-in-state", what });
    const status = oauth.x.response.status;
    s.expect("registerMcpOAuthProvider", "oauth_provider_per_user_only", status >= 400 && status < 500, `registering ${what} answered ${status}, expected a 4xx`, oauth.req);
    if (ctx.fixtures.mcpUrl) {
      const tools = await s.call("listMcpTools", "GET", `/mcp/tools?url=${encodeURIComponent(ctx.fixtures.mcpUrl)}&force_refresh=true`);
      s.expect("listMcpTools", "mcp_tools_listed", Array.isArray(tools.json?.tools) && tools.json.tools.length > 0, `the tools of the registered MCP server are not listed (${tools.x.response.status}, ${ids(tools.json?.tools, "name").length} tools)`, tools.req);
    }
    await s.call("deleteMcpServer", "DELETE", `/mcp-servers/${id}`);
    await s.gone("MCP server", "mcp_server_id", id);
  },
};

const managedAuthFlow: Flow = {
  spec: "managed-deep-agents",
  title: "auth session from PENDING to COMPLETED",
  async run(ctx) {
    const s = steps(ctx, this.title);
    const provider = `agentwire-flow-${randomUUID().slice(0, 8)}`;
    const started = await s.call("startAuthSession", "POST", "/auth-sessions", { provider_id: provider, scopes: ["read"], strategy: "CREATE" });
    const session = started.json;
    s.expect("startAuthSession", "auth_session_completes", started.x.response.status === 201 && session?.status === "PENDING" && typeof session?.verification_url === "string", `a new session answered ${started.x.response.status} with status ${JSON.stringify(session?.status)}`, started.req);
    if (typeof session?.id !== "string" || typeof session?.verification_url !== "string") return;
    // Only the reference's verification page can be visited by a program; elsewhere a person signs in.
    if (!ctx.target.embedded) return;
    await ctx.client.send({ method: "GET", url: session.verification_url, headers: {} });
    const done = await s.call("getAuthSession", "GET", `/auth-sessions/${session.id}?wait_seconds=5`);
    s.expect("getAuthSession", "auth_session_completes", done.json?.status === "COMPLETED", `after the verification URL was visited the session is ${JSON.stringify(done.json?.status)}`, done.req);
    const reuse = await s.call("startAuthSession", "POST", "/auth-sessions", { provider_id: provider, scopes: ["read"], strategy: "REUSE" });
    s.expect("startAuthSession", "auth_session_reuse", reuse.x.response.status === 200 && typeof reuse.json?.token === "string", `REUSE with a completed session answered ${reuse.x.response.status} (expected 200 with the token)`, reuse.req);
  },
};

const agentServerFlow: Flow = {
  spec: "agent-server",
  title: "assistant, thread and run lifecycle",
  async run(ctx) {
    const s = steps(ctx, this.title);
    const graphId = ctx.target.embedded ? ctx.target.graphs?.agent : ctx.fixtures.graphId;
    const assistant = await s.call("create_assistant_assistants_post", "POST", "/assistants", { graph_id: graphId, metadata: { agentwire: ctx.tag } });
    const aid = assistant.json?.assistant_id;
    if (typeof aid !== "string") return s.expect("create_assistant_assistants_post", "resource_available_after_create", false, `creating an assistant answered ${assistant.x.response.status}`, assistant.req);
    const ra = await s.call("get_assistant_assistants__assistant_id__get", "GET", `/assistants/${aid}`);
    s.expect("get_assistant_assistants__assistant_id__get", "resource_available_after_create", ra.x.response.status === 200, `the assistant just created answers ${ra.x.response.status}`, ra.req);

    const thread = await s.call("create_thread_threads_post", "POST", "/threads", { metadata: { agentwire: ctx.tag } });
    const tid = thread.json?.thread_id;
    if (typeof tid !== "string") return;
    if (ctx.fixtures.runsAllowed) await runLifecycle(s, aid, tid, quickRunConfig(ctx.target));
    else ctx.rec.skip({ unit: `agent-server › flow › ${this.title} › runs`, spec: "agent-server", reason: "no run was started (a model call on the target): name the assistant or graph runs may use with --graph agent=ID", cause: "not-applicable" });
    const found = await s.call("search_threads_threads_search_post", "POST", "/threads/search", { metadata: { agentwire: ctx.tag }, limit: 1000 });
    s.expect("search_threads_threads_search_post", "listed_after_create", ids(found.json, "thread_id").includes(tid), "the thread just created is not found by its metadata", found.req);
    await s.call("count_threads_threads_count_post", "POST", "/threads/count", { metadata: { agentwire: ctx.tag } });
    await updateAndDeleteThread(s, { get: "get_thread_threads__thread_id__get", patch: "patch_thread_threads__thread_id__patch", delete: "delete_thread_threads__thread_id__delete" }, tid);
    await s.call("delete_assistant_assistants__assistant_id__delete", "DELETE", `/assistants/${aid}`);
    await s.gone("assistant", "assistant_id", aid);
    await storeItemLifecycle(s, ctx.tag);
  },
};

/**
 * A store item put, read, deleted and read again; then deletes the document allows and that touch nothing
 * else: the empty key of the flow's namespace, and the flow's own key without a namespace (namespace is
 * optional). Getting an item documents no 404, so the read after delete is judged by what its answer must
 * look like. One namespace label, so the read is the document's plain form/explode query (one namespace=).
 */
async function storeItemLifecycle(s: Steps, tag: string) {
  const item = { namespace: [`${tag}-flow`], key: `k-${randomUUID().slice(0, 8)}` };
  const query = `namespace=${encodeURIComponent(item.namespace[0]!)}&key=${encodeURIComponent(item.key)}`;
  await s.call("put_item", "PUT", "/store/items", { ...item, value: { agentwire: true } });
  await s.call("get_item", "GET", `/store/items?${query}`);
  await s.call("delete_item", "DELETE", "/store/items", item);
  await s.call("get_item", "GET", `/store/items?${query}`);
  await s.call("delete_item", "DELETE", "/store/items", { namespace: item.namespace, key: "" });
  await s.call("delete_item", "DELETE", "/store/items", { key: item.key });
}

const GET_RUN = "get_run_http_threads__thread_id__runs__run_id__get";
const LIST_RUNS = "list_runs_http_threads__thread_id__runs_get";

/**
 * Where the answer that created a run documents a Content-Location ("URL of the new run"), reading that URL
 * answers the run just created (`isCreated` knows it by its id). A missing header is not judged here: the
 * document does not require it (response_headers_documented judges a document that does).
 */
async function locationNamesRun(s: Steps, operationId: string, made: { x: Exchange }, isCreated: (runId: unknown) => boolean) {
  const location = made.x.response.headers["content-location"];
  if (location === undefined) return;
  const read = await s.call(GET_RUN, "GET", location);
  const ok = read.x.response.status === 200 && isCreated(read.json?.run_id);
  s.expect(operationId, "content_location_resolves", ok, `Content-Location ${location} answers ${read.x.response.status}${read.x.response.status === 200 ? ` with run ${JSON.stringify(read.json?.run_id)}` : ""}, not the created run`, read.req);
}

/**
 * A run on the thread: created, found at its Content-Location, read, joined and listed; then one run
 * streamed and one waited for, each found at its Content-Location too. Those answers carry no run object,
 * so the run they created is the one of the thread that was not listed before.
 */
async function runLifecycle(s: Steps, aid: string, tid: string, config: unknown) {
  const input = { assistant_id: aid, input: { messages: [{ role: "user", content: "hi" }] }, config };
  const run = await s.call("create_run_threads__thread_id__runs_post", "POST", `/threads/${tid}/runs`, input);
  const rid = run.json?.run_id;
  if (typeof rid !== "string") return;
  await locationNamesRun(s, "create_run_threads__thread_id__runs_post", run, (id) => id === rid);
  await s.call(GET_RUN, "GET", `/threads/${tid}/runs/${rid}`);
  await s.call("join_run_http_threads__thread_id__runs__run_id__join_get", "GET", `/threads/${tid}/runs/${rid}/join`);
  const runs = await s.call(LIST_RUNS, "GET", `/threads/${tid}/runs`);
  s.expect(LIST_RUNS, "listed_after_create", ids(runs.json, "run_id").includes(rid), "the run just created is not in the thread's run list", runs.req);
  for (const [operationId, path] of [["stream_run_threads__thread_id__runs_stream_post", "stream"], ["wait_run_threads__thread_id__runs_wait_post", "wait"]] as const) {
    const before = ids((await s.call(LIST_RUNS, "GET", `/threads/${tid}/runs`)).json, "run_id");
    const made = await s.call(operationId, "POST", `/threads/${tid}/runs/${path}`, input);
    await locationNamesRun(s, operationId, made, (id) => typeof id === "string" && !before.includes(id));
  }
}

/** What paging through one search and counting it must agree on (the items are the flow's own, marked). */
interface Paged {
  kind: string;
  idKey: string;
  /** POST to the collection; the body is given the run's tag and the flow's mark as metadata. */
  create: { op: string; path: string; body: Record<string, unknown> };
  search: { op: string; path: string; sortBy: string };
  count: { op: string; path: string };
  remove: { op: string; path: (id: string) => string };
}

const PAGE = 2;
const MADE = 5;

/**
 * Pages of PAGE items (limit/offset, sorted by the id, which no two items share) must give each of the
 * flow's MADE items exactly once, and the count with the same filter must equal them.
 */
async function pageAndCount(ctx: EngineContext, s: Steps, p: Paged) {
  const mark = randomUUID();
  const made: string[] = [];
  try {
    for (let i = 0; i < MADE; i++) {
      const created = await s.call(p.create.op, "POST", p.create.path, { ...p.create.body, metadata: { agentwire: ctx.tag, agentwire_page: mark } });
      const id = created.json?.[p.idKey];
      if (typeof id !== "string") continue;
      ctx.resources.track(ctx.spec, { method: "DELETE", path: p.remove.path(id) });
      made.push(id);
    }
    const filter = { metadata: { agentwire_page: mark } };
    const seen = new Map<string, number>();
    let last: HttpRequest | undefined;
    // One page more than the items need, so a server that repeats items is still read to its end.
    for (let offset = 0; offset <= made.length + PAGE; offset += PAGE) {
      const page = await s.call(p.search.op, "POST", p.search.path, { ...filter, limit: PAGE, offset, sort_by: p.search.sortBy, sort_order: "asc" });
      last = page.req;
      const got = ids(page.json, p.idKey);
      for (const id of got) {
        if (seen.has(id)) s.expect(p.search.op, "pagination_consistent", false, `${p.kind} ${id} is listed at offset ${seen.get(id)} and again at offset ${offset} (limit ${PAGE})`, page.req);
        else seen.set(id, offset);
      }
      if (got.length < PAGE) break;
    }
    const missing = made.filter((id) => !seen.has(id));
    if (last) s.expect(p.search.op, "pagination_consistent", missing.length === 0, `paging by ${PAGE} left out ${missing.length} of the ${made.length} ${p.kind}s the filter matches: ${missing.join(", ")}`, last);
    const count = await s.call(p.count.op, "POST", p.count.path, filter);
    s.expect(p.count.op, "count_matches_list", count.json === made.length, `the count of ${p.kind}s matching the filter is ${JSON.stringify(count.json)}, but ${made.length} were made and listed`, count.req);
  } finally {
    for (const id of made) await s.call(p.remove.op, "DELETE", p.remove.path(id));
  }
}

const managedBusy: Flow = { spec: "managed-deep-agents", title: "requests on a busy thread", run: (ctx) => managedBusyThread(ctx, managedBusy.title) };
const agentServerBusy: Flow = { spec: "agent-server", title: "requests on a busy thread", run: (ctx) => agentServerBusyThread(ctx, agentServerBusy.title) };

const agentServerPagingFlow: Flow = {
  spec: "agent-server",
  title: "paging and counts",
  async run(ctx) {
    const s = steps(ctx, this.title);
    await pageAndCount(ctx, s, {
      kind: "thread",
      idKey: "thread_id",
      create: { op: "create_thread_threads_post", path: "/threads", body: {} },
      search: { op: "search_threads_threads_search_post", path: "/threads/search", sortBy: "thread_id" },
      count: { op: "count_threads_threads_count_post", path: "/threads/count" },
      remove: { op: "delete_thread_threads__thread_id__delete", path: (id) => `/threads/${id}` },
    });
    await pageAndCount(ctx, s, {
      kind: "assistant",
      idKey: "assistant_id",
      create: { op: "create_assistant_assistants_post", path: "/assistants", body: { graph_id: ctx.fixtures.graphId } },
      search: { op: "search_assistants_assistants_search_post", path: "/assistants/search", sortBy: "assistant_id" },
      count: { op: "count_assistants_assistants_count_post", path: "/assistants/count" },
      remove: { op: "delete_assistant_assistants__assistant_id__delete", path: (id) => `/assistants/${id}` },
    });
  },
};

/** Random walks over each API's linked operations (./walks.ts), reported like a flow. */
const walks = (spec: SpecId): Flow => ({
  spec,
  title: WALKS_TITLE,
  async run(ctx) {
    const why = await runWalks(ctx);
    if (why) ctx.rec.skip({ unit: `${spec} › flow › ${WALKS_TITLE}`, spec, reason: why, cause: "not-applicable" });
  },
});

export const FLOWS: Flow[] = [managedAgentFlow, managedMcpFlow, managedAuthFlow, managedBusy, walks("managed-deep-agents"), agentServerFlow, agentServerPagingFlow, agentServerBusy, walks("agent-server")];
