/**
 * Agents. Each agent is an upstream assistant (agent id = assistant_id) of graph `deep`, `deep_hitl` or `deep_echo_hitl`; its
 * record lives in the assistant's `context` (not its metadata: the Agent Server copies assistant metadata
 * into every streamed message, context it does not), and its workspace in metadata.tenant_id. Its model
 * settings are derived from the record for each run, never stored as the assistant's configurable: the
 * Python Agent Server refuses an assistant with both configurable and context.
 */
import { randomUUID } from "node:crypto";
import type { Call, Reply, Route } from "./server.ts";
import { decodeCursor, page, type Ctx } from "./context.ts";
import { agentNotFound, invalidBody, unprocessable } from "./errors.ts";
import { applyTreeInput, checkTreeInput, nextRevision, readTree, type FileTree, type TreeInput } from "./files.ts";
import { configurableFor, graphFor, timezone } from "./runtime.ts";
import { CloneAgentRequest, CreateAgentRequest, UpdateAgentRequest } from "./schemas.ts";
import { probeMcp } from "./mcp-tools.ts";
import { failed } from "./upstream.ts";
import { bool, int, isUuid, oneOf, parseBody, queryParam, str } from "./validate.ts";

/** What the emulator keeps of an agent (in assistant.context.managed_agent). */
interface AgentRecord {
  name: string;
  description: string;
  owner_id: string;
  permissions: Record<string, unknown>;
  runtime: { model?: { model_id?: string } };
  extras: Record<string, unknown>;
  backend: Record<string, unknown>;
  configurable: Record<string, unknown>;
  timezone: string;
  files: FileTree;
  revision: string;
}

/** An upstream assistant as the Agent Server returns it. */
export interface Assistant {
  assistant_id: string;
  graph_id: string;
  created_at: string;
  updated_at: string;
  metadata: Record<string, unknown>;
  config: { configurable?: Record<string, unknown> };
  context?: { managed_agent?: AgentRecord };
}

const PERMISSION_DEFAULTS = { identity: "personal", visibility: "tenant", tenant_access_level: "read" };

/** The agent with this id in this emulator's workspace, or undefined. */
export async function findAgent(ctx: Ctx, id: string): Promise<Assistant | undefined> {
  if (!isUuid(id)) return undefined;
  const a: Assistant | undefined = await ctx.upstream.find(`/assistants/${id}`);
  return a && a.metadata?.tenant_id === ctx.tenantId && a.context?.managed_agent ? a : undefined;
}

/** The configurable a run of this agent needs (runs pass it explicitly: the upstream thread config would
 * otherwise keep the values of the thread's first run). */
export function agentConfigurable(a: Assistant): Record<string, unknown> {
  const r = a.context!.managed_agent!;
  return configurableFor({ configurable: r.configurable, modelId: r.runtime.model?.model_id, timezone: r.timezone });
}

export function agentRoutes(ctx: Ctx): Route[] {
  /** The path's agent, or 404; a malformed id is 400 where the operation documents 400, else 404. */
  const load = async (call: Call, malformed: 400 | 404 = 400) => {
    const id = call.params.agent_id!;
    if (!isUuid(id) && malformed === 400) throw invalidBody("'agent_id' must be a UUID");
    const a = await findAgent(ctx, id);
    if (!a) throw agentNotFound();
    return a;
  };
  const includeFiles = (call: Call): boolean => queryParam(call.query, "include_files", bool()) ?? false;

  return [
    {
      method: "GET",
      path: "/agents",
      async handler(call) {
        const size: number = queryParam(call.query, "page_size", int(1, 100)) ?? 20;
        const offset = decodeCursor(queryParam(call.query, "cursor", str()));
        const name: string | undefined = queryParam(call.query, "name", str());
        const sortBy: string = queryParam(call.query, "sort_by", oneOf("created_at", "updated_at", "name")) ?? "updated_at";
        const order: string = queryParam(call.query, "sort_order", oneOf("asc", "desc")) ?? "desc";
        const all: Assistant[] = await ctx.upstream.searchAll("/assistants/search", { metadata: { tenant_id: ctx.tenantId } });
        const agents = all
          .filter((a) => a.context?.managed_agent && (!name || a.context.managed_agent.name.toLowerCase().includes(name.toLowerCase())))
          .sort(byField(sortBy, order === "asc" ? 1 : -1));
        const p = page(agents, offset, size);
        return { status: 200, body: { items: p.items.map(summary), next_cursor: p.next } };
      },
    },
    {
      method: "POST",
      path: "/agents",
      async handler(call) {
        const withFiles = includeFiles(call);
        const body = parseBody(call.body, CreateAgentRequest, { lenient: ctx.lenient });
        checkAgentInput(body);
        const id = randomUUID();
        const files = applyTreeInput({}, body);
        const record: AgentRecord = {
          name: body.name,
          description: body.description ?? "",
          owner_id: ctx.userId,
          permissions: { ...PERMISSION_DEFAULTS, ...body.permissions },
          runtime: body.runtime ?? {},
          extras: body.extras ?? {},
          backend: body.backend ?? { type: "state" },
          configurable: body.configurable ?? {},
          timezone: timezone(call.headers["x-user-timezone"]),
          files,
          revision: nextRevision(id, files),
        };
        return { status: 201, body: agent(await createAssistant(ctx, id, record), withFiles) };
      },
    },
    {
      method: "GET",
      path: "/agents/:agent_id",
      async handler(call) {
        return { status: 200, body: agent(await load(call), includeFiles(call)) };
      },
    },
    {
      method: "PATCH",
      path: "/agents/:agent_id",
      handler: (call) =>
        serialized(call.params.agent_id!, async (): Promise<Reply> => {
          const withFiles = includeFiles(call);
          const body = parseBody(call.body, UpdateAgentRequest, { lenient: ctx.lenient });
          checkAgentInput(body);
          const current = await load(call);
          const old = current.context!.managed_agent!;
          const touchesTree = ["system_prompt", "instructions", "tools", "subagents", "skills", "files", "deleted_paths"].some((k) => body[k] !== undefined);
          const files = touchesTree ? applyTreeInput(old.files, body) : old.files;
          const record: AgentRecord = {
            ...old,
            // Scalars merge field by field; nested objects are replaced whole.
            name: body.name ?? old.name,
            description: body.description ?? old.description,
            permissions: body.permissions ? { ...PERMISSION_DEFAULTS, ...body.permissions } : old.permissions,
            runtime: body.runtime ?? old.runtime,
            extras: body.extras ?? old.extras,
            backend: body.backend ?? old.backend,
            configurable: body.configurable ?? old.configurable,
            timezone: call.headers["x-user-timezone"] !== undefined ? timezone(call.headers["x-user-timezone"]) : old.timezone,
            files,
            revision: touchesTree ? nextRevision(old.revision, files) : old.revision,
          };
          const updated = await ctx.upstream.ok("PATCH", `/assistants/${current.assistant_id}`, assistantFields(record));
          return { status: 200, body: agent(updated, withFiles) };
        }),
    },
    {
      method: "DELETE",
      path: "/agents/:agent_id",
      async handler(call) {
        const id = call.params.agent_id!;
        if (!isUuid(id)) throw invalidBody("'agent_id' must be a UUID");
        // Idempotent: an unknown id is already deleted. Threads stay (runs on them then fail with 502).
        if (await findAgent(ctx, id)) {
          const res = await ctx.upstream.call("DELETE", `/assistants/${id}`);
          if (res.status >= 300 && res.status !== 404) throw failed("DELETE", `/assistants/${id}`, res);
        }
        return { status: 204 };
      },
    },
    {
      method: "POST",
      path: "/agents/:agent_id/clone",
      async handler(call) {
        const withFiles = includeFiles(call);
        const body = parseBody(call.body, CloneAgentRequest, { lenient: ctx.lenient, optional: true });
        const source = await load(call);
        const old = source.context!.managed_agent!;
        const id = randomUUID();
        // The clone copies behaviour (runtime, backend, files); caller metadata and sharing start fresh.
        const record: AgentRecord = {
          ...old,
          name: body.name ?? `${old.name} (copy)`,
          owner_id: ctx.userId,
          permissions: { ...PERMISSION_DEFAULTS, ...body.permissions },
          extras: {},
          timezone: call.headers["x-user-timezone"] !== undefined ? timezone(call.headers["x-user-timezone"]) : old.timezone,
          revision: nextRevision(id, old.files),
        };
        return { status: 201, body: agent(await createAssistant(ctx, id, record), withFiles) };
      },
    },
    {
      method: "GET",
      path: "/agents/:agent_id/health",
      async handler(call) {
        // Health documents no 400: a malformed id is simply an agent that does not exist.
        const a = await load(call, 404);
        const typed = readTree(a.context!.managed_agent!.files);
        const urls = new Set<string>();
        for (const tools of [typed.tools, ...typed.subagents.map((s) => s.tools)]) {
          for (const t of tools?.tools ?? []) if (typeof t.mcp_server_url === "string") urls.add(t.mcp_server_url);
        }
        const servers = await Promise.all([...urls].map((url) => probeMcp(ctx, url)));
        const ok = servers.every((s) => s.ok);
        return { status: 200, body: { agent_id: a.assistant_id, status: ok ? "healthy" : "degraded", mcp_check: { ok, servers } } };
      },
    },
  ];
}

function checkAgentInput(body: TreeInput & { backend?: { type?: string; sandbox_config?: unknown } }) {
  checkTreeInput(body);
  if (body.backend?.sandbox_config !== undefined && body.backend.type !== "sandbox") {
    throw unprocessable("invalid_backend", "Set backend.type to 'sandbox' to use backend.sandbox_config");
  }
}

function assistantFields(record: AgentRecord) {
  const typed = readTree(record.files);
  return {
    graph_id: graphFor(typed.tools, typed.subagents),
    name: record.name,
    description: record.description,
    context: { managed_agent: record },
  };
}

async function createAssistant(ctx: Ctx, id: string, record: AgentRecord): Promise<Assistant> {
  return ctx.upstream.ok("POST", "/assistants", { assistant_id: id, ...assistantFields(record), metadata: { tenant_id: ctx.tenantId }, if_exists: "raise" });
}

function summary(a: Assistant) {
  const r = a.context!.managed_agent!;
  return {
    id: a.assistant_id,
    name: r.name,
    description: r.description,
    owner_id: r.owner_id,
    created_at: a.created_at,
    updated_at: a.updated_at,
    permissions: r.permissions,
    runtime: r.runtime,
    extras: r.extras,
    // The single caller owns every agent of this emulator.
    access_level: "WRITE",
    is_owner: true,
    backend: r.backend,
  };
}

function agent(a: Assistant, includeFiles: boolean) {
  const r = a.context!.managed_agent!;
  const typed = readTree(r.files);
  return {
    ...summary(a),
    revision: r.revision,
    ...(typed.system_prompt !== undefined ? { system_prompt: typed.system_prompt, instructions: typed.system_prompt } : {}),
    ...(typed.tools ? { tools: typed.tools } : {}),
    subagents: typed.subagents,
    skills: typed.skills,
    ...(includeFiles ? { files: r.files } : {}),
  };
}

function byField(field: string, dir: 1 | -1) {
  const key = (a: Assistant) => (field === "name" ? a.context!.managed_agent!.name.toLowerCase() : Date.parse(field === "created_at" ? a.created_at : a.updated_at));
  return (a: Assistant, b: Assistant) => {
    const x = key(a);
    const y = key(b);
    if (x !== y) return (x < y ? -1 : 1) * dir;
    return a.assistant_id < b.assistant_id ? -1 : 1; // stable pages
  };
}

const pending = new Map<string, Promise<unknown>>();
/** Runs read-modify-write updates of one agent one after another. */
function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = pending.get(key) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const settled = next.catch(() => undefined);
  pending.set(key, settled);
  void settled.then(() => {
    if (pending.get(key) === settled) pending.delete(key);
  });
  return next;
}
