/**
 * The suite's own resources that valid requests point at (an agent, a thread, a run …), made once per worker,
 * tagged, and deleted at the end; plus fresh throwaway resources for operations that destroy or occupy what
 * they touch, so no request ever acts on anything the suite did not create.
 */
import type { ApiClient } from "../../core/client.ts";
import { jsonBody } from "../../core/exchange.ts";
import { limits } from "../../core/limits.ts";
import { pollUntil } from "../../core/poll.ts";
import { setupCall as call } from "../../core/setup.ts";
import { paceConfig, paceModelId, type ModelPace, type SpecId, type Target } from "../../core/target.ts";
import type { ParamValue, RequestOptions } from "../generators/requests.ts";
import type { Operation } from "../model/types.ts";
import type { Family } from "./family.ts";
import type { Resources } from "./resources.ts";

type Fixed = NonNullable<RequestOptions["fixed"]>;

export interface Fixtures {
  /** The graph of the suite's own assistants (Agent Server). */
  graphId?: string;
  /** Runs may be started here: an embedded reference, or what the user named. */
  runsAllowed: boolean;
  /** The reachable MCP server as this worker registered it (Managed), when the target has one. */
  mcpUrl?: string;
  /** Parameter values every valid request of the operation uses. */
  fixed(op: Operation): Fixed;
  /** Points a generated valid body at the suite's resources and keeps it within what the docs' prose requires. */
  body(op: Operation, body: unknown): unknown;
  /** Keeps generated valid query parameters within what the docs' prose requires. */
  query(op: Operation, query: Record<string, unknown>): Record<string, unknown>;
  /** For operations that destroy or occupy what they touch: parameter and body values of fresh resources. */
  throwaway(op: Operation): Promise<{ fixed: Fixed; body?: (b: unknown) => unknown } | undefined>;
  /** Every path parameter of the operation names a real resource of the suite's (not a made-up id). */
  addresses(op: Operation): boolean;
  /** Why a check family must not be run on the operation on this target, if it must not. */
  skip(op: Operation, family: Family): string | undefined;
}

/**
 * Operations that start runs (or need a finished run to act on). A run is a model call someone pays for, so
 * on a target that is not an embedded reference they are exercised only with what the user named.
 */
const RUN_OPERATIONS: Record<SpecId, Set<string>> = {
  "managed-deep-agents": new Set(["createManagedDeepAgentThreadRun", "streamManagedDeepAgentThreadRun", "createManagedDeepAgentThreadAndRun", "resolveManagedDeepAgentThreadInterrupt"]),
  "agent-server": new Set([
    "create_run_threads__thread_id__runs_post",
    "stream_run_threads__thread_id__runs_stream_post",
    "wait_run_threads__thread_id__runs_wait_post",
    "run_stateless_runs_post",
    "run_batch_stateless_runs_post",
    "stream_run_stateless_runs_stream_post",
    "wait_run_stateless_runs_wait_post",
    "create_cron_runs_crons_post",
    "create_thread_cron_threads__thread_id__runs_crons_post",
    "post_a2a",
    "protocol_thread_command_post",
    "delete_run_threads__thread_id__runs__run_id__delete",
    "cancel_run_http_threads__thread_id__runs__run_id__cancel_post",
    "cancel_runs_post",
    "update_thread_state_threads__thread_id__state_post",
  ]),
};

/** True when the operation starts a run (or needs a finished one): the units that wait longest on a target. */
export const startsRuns = (spec: SpecId, operationId: string) => RUN_OPERATIONS[spec].has(operationId);

const NO_PAID_RUNS = {
  "managed-deep-agents": "starts a run (a model call) on the target: name the agent runs may use with --agent-id",
  "agent-server": "starts a run (a model call) on the target: name the assistant or graph runs may use with --graph agent=ID",
} as const;

/** Runs of a quick scripted model on the embedded references; elsewhere the target's own model decides. */
const QUICK: ModelPace = { tokens: 3, delayMs: 1 };
export const quickRunConfig = (t: Target) => (t.knobs ? paceConfig(t.knobs, QUICK) : undefined);
export const quickModelId = (t: Target) => (t.knobs ? paceModelId(t.knobs, QUICK) : undefined);

/** Parameters whose values only the target can make (opaque page cursors): never invented by the suite. */
export const OPAQUE_PARAMETERS = new Set(["cursor"]);


/** True when every path parameter is a fixture's id, or the operation gets fresh resources of its own. */
const addressed = (op: Operation, fixed: Fixed, throwaways: Record<string, unknown>) =>
  op.operationId in throwaways || op.parameters.filter((p) => p.in === "path").every((p) => fixed.path?.[p.name] !== undefined);

function withQuery(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const withProps = (body: unknown, props: Record<string, unknown>) => (isObject(body) ? { ...body, ...props } : body);
const without = (body: unknown, keys: string[]) => (isObject(body) ? Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k))) : body);

// ── Managed Deep Agents ─────────────────────────────────────────────────────────────────────────────────


export async function managedFixtures(target: Target, api: ApiClient, resources: Resources, tag: string): Promise<Fixtures> {
  // Runs go to the embedded reference's agents, or to the one agent the user named.
  const paidRun = (op: Operation) => (!target.embedded && !target.agentId && RUN_OPERATIONS["managed-deep-agents"].has(op.operationId) ? NO_PAID_RUNS["managed-deep-agents"] : undefined);
  const spec: SpecId = "managed-deep-agents";
  const newAgent = async () => {
    const modelId = quickModelId(target);
    const a = await call(api, "createManagedDeepAgent", "POST", "/agents", { name: `agentwire ${tag}`, extras: { agentwire: tag }, ...(modelId ? { runtime: { model: { model_id: modelId } } } : {}) }, "id");
    resources.track(spec, { method: "DELETE", path: `/agents/${a.id}` });
    return a.id as string;
  };
  const agentId = target.agentId ?? (await newAgent());
  const newThread = async () => {
    const t = await call(api, "createManagedDeepAgentThread", "POST", "/threads", { agent_id: agentId, metadata: { agentwire: tag } }, "id");
    resources.track(spec, { method: "DELETE", path: `/threads/${t.id}` });
    return t.id as string;
  };
  // URLs are unique per registration, and every worker registers the reachable MCP server: each under its
  // own query string, which the MCP server ignores.
  const mcpUrl = target.mcpUrl ? withQuery(target.mcpUrl, "agentwire", `${tag}-${Math.random().toString(36).slice(2, 8)}`) : "https://mcp.agentwire.invalid/mcp";
  const newServer = async (url = `https://mcp-${Math.random().toString(36).slice(2)}.agentwire.invalid/mcp`, perUserOAuth = false) => {
    const auth = perUserOAuth ? { auth_type: "oauth", oauth_mode: "per_user_dynamic_client" } : { headers: [{ key: "Authorization", value: "Bearer agentwire-fixture" }] };
    const s = await call(api, "createMcpServer", "POST", "/mcp-servers", { name: `agentwire ${tag} ${Math.random().toString(36).slice(2, 8)}`, url, ...auth }, "id");
    resources.track(spec, { method: "DELETE", path: `/mcp-servers/${s.id}` });
    return s.id as string;
  };
  const threadId = await newThread();
  const serverId = await newServer(mcpUrl);
  const session = await call(api, "startAuthSession", "POST", "/auth-sessions", { provider_id: `agentwire-${tag}`, scopes: ["read"], strategy: "CREATE" });
  // A pending session makes every read long-poll; the reference's verification URL completes it at once.
  if (target.embedded && typeof session?.verification_url === "string") await api.send({ method: "GET", url: session.verification_url, headers: {} });

  const ids: Record<string, ParamValue> = { agent_id: agentId, thread_id: threadId, mcp_server_id: serverId, session_id: session?.id ?? "" };
  const fixedFor = (op: Operation): Fixed => {
    const pick = (where: "path" | "query") => Object.fromEntries(op.parameters.filter((p) => p.in === where && ids[p.name] !== undefined).map((p) => [p.name, ids[p.name]!]));
    const query = pick("query");
    if (op.operationId === "listMcpTools") query.url = mcpUrl;
    return { path: pick("path"), query };
  };
  const throwaways: Record<string, () => Promise<Fixed>> = {
    deleteManagedDeepAgent: async () => ({ path: { agent_id: await newAgent() } }),
    deleteManagedDeepAgentThread: async () => ({ path: { thread_id: await newThread() } }),
    deleteMcpServer: async () => ({ path: { mcp_server_id: await newServer() } }),
    // Updates would change what other requests rely on (the model, the MCP URL): they edit their own copies.
    updateManagedDeepAgent: async () => ({ path: { agent_id: await newAgent() } }),
    updateMcpServer: async () => ({ path: { mcp_server_id: await newServer() } }),
    // A per-user OAuth provider is documented for servers in per-user dynamic client mode only.
    registerMcpOAuthProvider: async () => ({ path: { mcp_server_id: await newServer(undefined, true) } }),
    // A run occupies its thread: each gets a fresh one, so one example never finds the thread of another busy.
    createManagedDeepAgentThreadRun: async () => ({ path: { thread_id: await newThread() } }),
    streamManagedDeepAgentThreadRun: async () => ({ path: { thread_id: await newThread() } }),
  };
  return {
    runsAllowed: target.embedded || target.agentId !== undefined,
    ...(target.mcpUrl ? { mcpUrl } : {}),
    fixed: fixedFor,
    body(op, body) {
      let b = withProps(body, isObject(body) && "agent_id" in body ? { agent_id: agentId } : {});
      if (op.operationId === "streamManagedDeepAgentThreadRun" || op.operationId === "createManagedDeepAgentThreadAndRun") b = withProps(b, { agent_id: agentId });
      // The first thread is the suite's own, so an update succeeds; the generated strings after it name none
      // (ids are free strings in the request but UUIDs in the answer, so their results must carry no id).
      if (op.operationId === "bulkUpdateManagedDeepAgentThreads" && isObject(b)) b = { ...b, thread_ids: [threadId, ...(Array.isArray(b.thread_ids) ? b.thread_ids.slice(1) : [])] };
      // The docs' prose asks for more than the schemas do: names and required strings are non-empty ("Set
      // 'name' to a non-empty string"), MCP server URLs are https.
      for (const key of ["name", "provider_id"]) if (isObject(b) && b[key] === "") b = { ...b, [key]: "agentwire" };
      if (isObject(b) && typeof b.url === "string" && (op.operationId === "createMcpServer" || op.operationId === "updateMcpServer")) b = { ...b, url: `https://mcp-${Math.random().toString(36).slice(2)}.agentwire.invalid/mcp` };
      return b;
    },
    query(op, query) {
      // "requires_attention cannot be combined with status" (list threads).
      if (op.operationId === "listManagedDeepAgentThreads" && query.status !== undefined) return without(query, ["requires_attention"]) as Record<string, unknown>;
      return query;
    },
    async throwaway(op) {
      const make = throwaways[op.operationId];
      return make ? { fixed: await make() } : undefined;
    },
    addresses: (op) => addressed(op, fixedFor(op), throwaways),
    skip: (op, family) => (family === "positive" && op.operationId === "listMcpTools" && !target.mcpUrl ? "no reachable MCP server is known for this target" : paidRun(op)),
  };
}

// ── Agent Server ────────────────────────────────────────────────────────────────────────────────────────

// Schedules that never come due during a run (no cron fires while the suite is testing).
const CRON_SCHEDULES = ["0 0 29 2 *", "30 4 29 2 1", "15 3 29 2 *"];
const TIME_ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"];
/** A valid value chosen by the generated one, so the input still varies with the seed. */
const pick = (values: string[], by: string) => values[by.length % values.length]!;

/** The graph of a named assistant, or the name itself when it is a graph id. */
async function graphOf(api: ApiClient, id: string): Promise<string> {
  const x = await api.call("GET", `/assistants/${encodeURIComponent(id)}`);
  const graph = (jsonBody(x.response) as { graph_id?: unknown } | undefined)?.graph_id;
  return x.response.status === 200 && typeof graph === "string" ? graph : id;
}

/** A cron of the fixture assistant when the target keeps crons; undefined when it does not. */
async function newCron(api: ApiClient, resources: Resources, assistantId: string): Promise<string | undefined> {
  const x = await api.call("POST", "/runs/crons", { assistant_id: assistantId, schedule: CRON_SCHEDULES[0], input: { messages: [{ role: "user", content: "hi" }] } });
  const id = (jsonBody(x.response) as { cron_id?: unknown } | undefined)?.cron_id;
  if (x.response.status >= 300 || typeof id !== "string") return undefined;
  resources.track("agent-server", { method: "DELETE", path: `/runs/crons/${id}` });
  return id;
}

const UNSAFE = new Set(["cancel_runs_post", "prune_threads_threads_prune_post", "delete_item"]);

/**
 * Operations that create a thread, an assistant, or a run that may create its thread implicitly (a stateless
 * run kept with on_completion "keep", if_not_exists "create"): an implicit thread takes the run's metadata,
 * so the run's tag in it lets the end-of-run check find and delete what the suite made.
 */
const TAGGED = new Set([
  "create_thread_threads_post",
  "create_assistant_assistants_post",
  "create_run_threads__thread_id__runs_post",
  "stream_run_threads__thread_id__runs_stream_post",
  "wait_run_threads__thread_id__runs_wait_post",
  "run_stateless_runs_post",
  "stream_run_stateless_runs_stream_post",
  "wait_run_stateless_runs_wait_post",
  "run_batch_stateless_runs_post",
]);

const tagged = (body: unknown, tag: string): unknown => {
  if (Array.isArray(body)) return body.map((item) => tagged(item, tag));
  return isObject(body) ? { ...body, metadata: { ...(isObject(body.metadata) ? body.metadata : {}), agentwire: tag } } : body;
};

export async function agentServerFixtures(target: Target, api: ApiClient, resources: Resources, tag: string): Promise<Fixtures> {
  const spec: SpecId = "agent-server";
  // Runs go to the embedded reference's graphs, or to the graph the user named; elsewhere none are made.
  const runsAllowed = target.embedded || target.graphs?.agent !== undefined;
  const paidRun = (op: Operation) => (!runsAllowed && RUN_OPERATIONS[spec].has(op.operationId) ? NO_PAID_RUNS[spec] : undefined);
  // The reference's subgraph graph streams tokens and has a subgraph namespace for the subgraph operations.
  const graphId = target.embedded
    ? (target.graphs?.subgraph ?? "subgraph")
    : target.graphs?.agent
      ? await graphOf(api, target.graphs.agent)
      : ((await call(api, "search_assistants_assistants_search_post", "POST", "/assistants/search", { limit: 1 }))?.[0]?.graph_id as string | undefined);
  if (!graphId) throw new Error("the Agent Server has no assistant whose graph the suite could use");
  const assistant = await call(api, "create_assistant_assistants_post", "POST", "/assistants", { graph_id: graphId, metadata: { agentwire: tag } }, "assistant_id");
  resources.track(spec, { method: "DELETE", path: `/assistants/${assistant.assistant_id}` });
  const config = quickRunConfig(target);
  const newThread = async () => {
    const t = await call(api, "create_thread_threads_post", "POST", "/threads", { metadata: { agentwire: tag } }, "thread_id");
    resources.track(spec, { method: "DELETE", path: `/threads/${t.thread_id}` });
    return t.thread_id as string;
  };
  const newRun = async (threadId: string) => {
    const run = await call(api, "create_run_threads__thread_id__runs_post", "POST", `/threads/${threadId}/runs`, { assistant_id: assistant.assistant_id, input: { messages: [{ role: "user", content: "hi" }] }, config }, "run_id");
    // Polled, not joined: a server may answer a join of a run that ended before it was asked only after a
    // timeout of its own (the JS server's is 500 ms, three times the reference's whole run).
    await pollUntil(
      () => api.call("GET", `/threads/${threadId}/runs/${run.run_id}`, undefined, { timeoutMs: limits().setupTimeoutMs }),
      (x) => x.response.status !== 200 || !["pending", "running"].includes((jsonBody(x.response) as { status?: string } | undefined)?.status ?? ""),
      { everyMs: 25, maxEveryMs: 1000, timeoutMs: limits().setupTimeoutMs },
    );
    return run.run_id as string;
  };
  const newItem = async () => {
    const item = { namespace: ["agentwire", tag], key: `k-${Math.random().toString(36).slice(2)}`, value: { agentwire: true } };
    await call(api, "put_item", "PUT", "/store/items", item);
    resources.track(spec, { method: "DELETE", path: "/store/items", body: { namespace: item.namespace, key: item.key } });
    return item;
  };
  const threadId = await newThread();
  const runId = runsAllowed ? await newRun(threadId) : undefined;
  // Optional: without a checkpoint or a subgraph, only the operations that need one are not exercised.
  const state = await call(api, "get_latest_thread_state_threads__thread_id__state_get", "GET", `/threads/${threadId}/state`).catch(() => undefined);
  const subgraphs = await call(api, "get_assistant_subgraphs_assistants__assistant_id__subgraphs_get", "GET", `/assistants/${assistant.assistant_id}/subgraphs`).catch(() => ({}));
  const item = await newItem();
  const cronId = runsAllowed ? await newCron(api, resources, assistant.assistant_id) : undefined;
  const ids: Record<string, ParamValue> = {
    assistant_id: assistant.assistant_id,
    thread_id: threadId,
    ...(runId ? { run_id: runId } : {}),
    ...(state?.checkpoint?.checkpoint_id ? { checkpoint_id: state.checkpoint.checkpoint_id } : {}),
    ...(Object.keys(subgraphs ?? {})[0] ? { namespace: Object.keys(subgraphs)[0]! } : {}),
    ...(cronId ? { cron_id: cronId } : {}),
  };
  const fixedFor = (op: Operation): Fixed => {
    const path = Object.fromEntries(op.parameters.filter((p) => p.in === "path" && ids[p.name] !== undefined).map((p) => [p.name, ids[p.name]!]));
    const query: Record<string, ParamValue> = op.operationId === "get_item" ? { namespace: item.namespace, key: item.key } : {};
    return { path, query };
  };
  const freshThread = async () => ({ path: { thread_id: await newThread() } });
  const freshAssistant = async () => {
    const a = await call(api, "create_assistant_assistants_post", "POST", "/assistants", { graph_id: graphId, metadata: { agentwire: tag } }, "assistant_id");
    resources.track(spec, { method: "DELETE", path: `/assistants/${a.assistant_id}` });
    return { fixed: { path: { assistant_id: a.assistant_id as string } } };
  };
  const throwaways: Record<string, () => Promise<{ fixed: Fixed; body?: (b: unknown) => unknown }>> = {
    delete_assistant_assistants__assistant_id__delete: freshAssistant,
    // Changing the graph or the version of the shared assistant would break every later request on it.
    patch_assistant_assistants__assistant_id__patch: freshAssistant,
    set_latest_assistant_version_assistants__assistant_id__versions_post: freshAssistant,
    delete_thread_threads__thread_id__delete: async () => ({ fixed: await freshThread() }),
    create_run_threads__thread_id__runs_post: async () => ({ fixed: await freshThread() }),
    stream_run_threads__thread_id__runs_stream_post: async () => ({ fixed: await freshThread() }),
    wait_run_threads__thread_id__runs_wait_post: async () => ({ fixed: await freshThread() }),
    // A thread's state belongs to its graph: it is updated on a copy of the fixture thread, which has run
    // one (a copy takes milliseconds where a fresh run takes a second of the server's run queue).
    update_thread_state_threads__thread_id__state_post: async () => {
      const copy = await call(api, "copy_thread_post_threads__thread_id__copy_post", "POST", `/threads/${threadId}/copy`, {}, "thread_id");
      resources.track(spec, { method: "DELETE", path: `/threads/${copy.thread_id}` });
      return { fixed: { path: { thread_id: copy.thread_id as string } } };
    },
    delete_run_threads__thread_id__runs__run_id__delete: async () => {
      const tid = await newThread();
      return { fixed: { path: { thread_id: tid, run_id: await newRun(tid) } } };
    },
    cancel_run_http_threads__thread_id__runs__run_id__cancel_post: async () => {
      const tid = await newThread();
      return { fixed: { path: { thread_id: tid, run_id: await newRun(tid) } } };
    },
    prune_threads_threads_prune_post: async () => {
      const tid = await newThread();
      return { fixed: {}, body: (b) => withProps(b, { thread_ids: [tid] }) };
    },
    cancel_runs_post: async () => {
      const tid = await newThread();
      const rid = await newRun(tid);
      return { fixed: {}, body: () => ({ thread_id: tid, run_ids: [rid] }) };
    },
    delete_item: async () => {
      const fresh = await newItem();
      return { fixed: {}, body: () => ({ namespace: fresh.namespace, key: fresh.key }) };
    },
  };
  return {
    graphId,
    runsAllowed,
    fixed: fixedFor,
    body(op, body) {
      // Runs call out to webhooks, wait for after_seconds or report feedback to LangSmith: never from a test.
      // as_node must name a node of the assistant's graph, and a state update's checkpoint one of the
      // thread's checkpoints: generated values do neither.
      let b = without(body, ["webhook", "after_seconds", "feedback_keys", "as_node"]);
      if (op.operationId === "update_thread_state_threads__thread_id__state_post") b = without(b, ["checkpoint", "checkpoint_id"]);
      if (isObject(b) && "assistant_id" in b) b = { ...b, assistant_id: assistant.assistant_id };
      // The model knobs go where the run reads them: its context when it has one (a run may not set both).
      if (isObject(b) && config && op.operationId.includes("run")) b = isObject(b.context) ? { ...b, context: { ...config.configurable, ...b.context } } : { ...b, config };
      // The docs' prose asks for a cron expression and an IANA time zone where the schemas say string.
      if (isObject(b) && typeof b.schedule === "string") b = { ...b, schedule: pick(CRON_SCHEDULES, b.schedule) };
      if (isObject(b) && typeof b.timezone === "string") b = { ...b, timezone: pick(TIME_ZONES, b.timezone) };
      return TAGGED.has(op.operationId) ? tagged(b, tag) : b;
    },
    query: (_op, query) => query,
    async throwaway(op) {
      return throwaways[op.operationId]?.();
    },
    addresses: (op) => addressed(op, fixedFor(op), throwaways),
    skip(op, family) {
      if (family === "positive" && op.parameters.some((p) => p.in === "path" && p.name === "namespace") && ids.namespace === undefined) return "the fixture assistant has no subgraph namespace";
      if ((family === "negative" || family === "coverage") && !target.embedded && UNSAFE.has(op.operationId)) return "acts on many resources; generated invalid input is only sent to the embedded reference";
      return paidRun(op);
    },
  };
}
