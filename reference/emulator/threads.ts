/**
 * Threads are upstream threads whose metadata binds them to an agent (`agent_id`) and to this emulator's
 * workspace (`tenant_id`); threads of other workspaces are invisible. Titles and pins are kept in metadata.
 */
import type { Call, Route } from "./server.ts";
import { decodeCursor, page, type Ctx } from "./context.ts";
import { ApiError, conflict, invalidBody, orphanedThread, threadNotFound, unprocessable } from "./errors.ts";
import { findAgent, type Assistant } from "./agents.ts";
import { BulkUpdateThreadsRequest, CreateThreadRequest, PassThroughJSON, UpdateThreadRequest } from "./schemas.ts";
import { failed, upstreamIssues } from "./upstream.ts";
import { bool, int, isObject, isUuid, oneOf, parseBody, queryParam, str, uuid } from "./validate.ts";

/** A thread as the Agent Server returns it. */
export interface UpThread {
  thread_id: string;
  created_at: string;
  updated_at: string;
  status: "idle" | "busy" | "interrupted" | "error";
  metadata: Record<string, unknown>;
  values?: unknown;
  interrupts?: Record<string, { id?: string; value?: unknown }[]>;
}

const ATTENTION = ["interrupted", "error"];
/** Metadata keys the emulator owns; callers cannot overwrite them. */
const RESERVED = ["tenant_id", "agent_id", "ls_user_id"] as const;

interface NewThread {
  agentId: string;
  threadId?: string;
  ifExists?: "raise" | "do_nothing";
  metadata?: Record<string, unknown>;
  options?: { test_run?: boolean; skip_memory_write_protection?: boolean };
}

/**
 * Creates (or, with do_nothing, returns) a thread bound to an existing agent. An unknown agent_id is a bad
 * request: creating a thread documents no 404.
 */
export async function createThread(ctx: Ctx, t: NewThread): Promise<UpThread> {
  if (!(await findAgent(ctx, t.agentId))) throw new ApiError(400, "agent_not_found", "Set 'agent_id' to an agent of this workspace: no agent has this ID");
  const res = await ctx.upstream.call("POST", "/threads", {
    ...(t.threadId ? { thread_id: t.threadId, if_exists: t.ifExists ?? "raise" } : {}),
    metadata: {
      ...t.metadata,
      is_test_run: t.options?.test_run ?? false,
      skip_memory_write_protection: t.options?.skip_memory_write_protection ?? false,
      ls_user_id: ctx.userId,
      tenant_id: ctx.tenantId,
      agent_id: t.agentId,
    },
  });
  const exists = () => conflict("thread_already_exists", "Use another thread_id, or if_exists 'do_nothing': a thread with this ID already exists");
  if (res.status === 409) throw exists();
  if (res.status >= 300) throw failed("POST", "/threads", res);
  const thread: UpThread = res.json;
  if (thread.metadata?.tenant_id !== ctx.tenantId) throw exists(); // do_nothing on another workspace's thread
  return thread;
}

/** This workspace's thread, or 404 (the ThreadID type is a plain string: any other id just does not exist). */
export async function loadThread(ctx: Ctx, id: string): Promise<UpThread> {
  const t: UpThread | undefined = isUuid(id) ? await ctx.upstream.find(`/threads/${id}`) : undefined;
  if (!t || t.metadata?.tenant_id !== ctx.tenantId) throw threadNotFound();
  return t;
}

/** The agent a thread is bound to; a deleted agent leaves the thread unable to run (502, as documented). */
export async function threadAgent(ctx: Ctx, t: UpThread): Promise<Assistant> {
  const a = await findAgent(ctx, String(t.metadata.agent_id ?? ""));
  if (!a) throw orphanedThread();
  return a;
}

function toThread(t: UpThread) {
  return { id: t.thread_id, agent_id: String(t.metadata.agent_id ?? ""), status: t.status, metadata: t.metadata, created_at: t.created_at, updated_at: t.updated_at };
}

function toSummary(t: UpThread) {
  return {
    ...toThread(t),
    title: typeof t.metadata.title === "string" ? t.metadata.title : "",
    has_interrupts: Object.values(t.interrupts ?? {}).some((list) => list.length > 0),
    state_updated_at: t.updated_at,
  };
}

/** GET/PATCH answer (documented as a free-form object): the summary plus the upstream state values. */
function toDetail(t: UpThread) {
  return { ...toSummary(t), ...(t.values !== undefined ? { values: t.values } : {}), interrupts: t.interrupts ?? {} };
}

export function threadRoutes(ctx: Ctx): Route[] {
  const update = async (id: string, data: Record<string, unknown>): Promise<UpThread> => {
    const t = await loadThread(ctx, id);
    const { title, metadata, ...rest } = data;
    // Extra top-level fields (e.g. is_pinned) and the title are kept as thread metadata.
    const patch: Record<string, unknown> = { ...(metadata as object), ...rest, ...(title !== undefined ? { title } : {}) };
    for (const key of RESERVED) if (t.metadata[key] !== undefined) patch[key] = t.metadata[key];
    const res = await ctx.upstream.call("PATCH", `/threads/${t.thread_id}`, { metadata: patch });
    if (res.status === 404) throw threadNotFound();
    if (res.status >= 300) throw failed("PATCH", `/threads/${t.thread_id}`, res);
    return res.json;
  };

  return [
    {
      method: "POST",
      path: "/threads",
      async handler(call) {
        const body = parseBody(call.body, CreateThreadRequest, { lenient: ctx.lenient });
        const t = await createThread(ctx, { agentId: body.agent_id, threadId: body.thread_id, ifExists: body.if_exists, metadata: body.metadata, options: body.options });
        return { status: 201, body: toThread(t) };
      },
    },
    {
      method: "GET",
      path: "/threads",
      async handler(call) {
        const agentId: string = queryParam(call.query, "agent_id", uuid(), true);
        const size: number = queryParam(call.query, "page_size", int(1, 20)) ?? 20;
        const offset = decodeCursor(queryParam(call.query, "cursor", str()));
        const status: string | undefined = queryParam(call.query, "status", oneOf("idle", "busy", "interrupted", "error"));
        const pinned: boolean | undefined = queryParam(call.query, "is_pinned", bool());
        const testRun: boolean = queryParam(call.query, "test_run", bool()) ?? false;
        const attention: boolean | undefined = queryParam(call.query, "requires_attention", bool());
        if (attention !== undefined && status !== undefined) throw invalidBody("Use either 'requires_attention' or 'status', not both");
        // Threads of a deleted agent stay listed: deletion does not cascade.
        const all: UpThread[] = await ctx.upstream.searchAll("/threads/search", {
          metadata: { tenant_id: ctx.tenantId, agent_id: agentId, is_test_run: testRun },
          ...(status ? { status } : {}),
          sort_by: "updated_at",
          sort_order: "desc",
          select: ["thread_id", "status", "metadata", "created_at", "updated_at", "interrupts"],
        });
        const threads = all.filter(
          (t) => (pinned === undefined || (t.metadata.is_pinned === true) === pinned) && (attention === undefined || ATTENTION.includes(t.status) === attention),
        );
        const p = page(threads, offset, size);
        return { status: 200, body: { threads: p.items.map(toSummary), next_cursor: p.next } };
      },
    },
    {
      method: "POST",
      path: "/threads/search",
      async handler(call) {
        const body = parseBody(call.body, PassThroughJSON, { lenient: ctx.lenient, optional: true });
        if (body.metadata !== undefined && !isObject(body.metadata)) throw invalidBody("'metadata' must be an object");
        // Forwarded as sent, narrowed to this workspace's threads.
        const res = await ctx.upstream.call("POST", "/threads/search", { ...body, metadata: { ...body.metadata, tenant_id: ctx.tenantId } });
        if (res.status === 400) throw invalidBody(`The thread search was rejected: ${upstreamIssues(res)}`);
        if (res.status === 422) throw unprocessable("invalid_search", `The thread search was rejected: ${res.text.slice(0, 200)}`);
        if (res.status >= 300) throw failed("POST", "/threads/search", res);
        return { status: 200, body: res.json };
      },
    },
    {
      method: "GET",
      path: "/threads/count",
      async handler(call) {
        const agentId: string | undefined = queryParam(call.query, "agent_id", uuid());
        const metadata = { tenant_id: ctx.tenantId, is_test_run: false, ...(agentId ? { agent_id: agentId } : {}) };
        // Attention = interrupted or errored threads (the emulator keeps no read/unread state for idle ones).
        const counts = await Promise.all(ATTENTION.map((status) => ctx.upstream.ok("POST", "/threads/count", { metadata, status })));
        return { status: 200, body: { attention_count: counts.reduce((a: number, n: number) => a + n, 0) } };
      },
    },
    { method: "GET", path: "/threads/:thread_id", handler: async (call) => ({ status: 200, body: toDetail(await loadThread(ctx, call.params.thread_id!)) }) },
    {
      method: "PATCH",
      path: "/threads/:thread_id",
      async handler(call) {
        const body = parseBody(call.body, UpdateThreadRequest, { lenient: ctx.lenient });
        return { status: 200, body: toDetail(await update(call.params.thread_id!, body)) };
      },
    },
    {
      method: "DELETE",
      path: "/threads/:thread_id",
      async handler(call: Call) {
        const id = call.params.thread_id!;
        // Idempotent: a missing (or foreign) thread is already gone. The upstream delete removes its runs.
        const t: UpThread | undefined = isUuid(id) ? await ctx.upstream.find(`/threads/${id}`) : undefined;
        if (t?.metadata?.tenant_id === ctx.tenantId) {
          const res = await ctx.upstream.call("DELETE", `/threads/${id}`);
          if (res.status >= 300 && res.status !== 404) throw failed("DELETE", `/threads/${id}`, res);
        }
        return { status: 204 };
      },
    },
    {
      method: "POST",
      path: "/threads/bulk-modify",
      async handler(call) {
        const body = parseBody(call.body, BulkUpdateThreadsRequest, { lenient: ctx.lenient });
        const results = [];
        for (const id of body.thread_ids as string[]) {
          try {
            await update(id, body.data);
            results.push({ id, status: "success" });
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            // A result's id is a UUID; an entry that is none names no thread and its result goes without one.
            results.push({ ...(isUuid(id) ? { id } : {}), status: "failure", error_code: error.code, message: error.detail });
          }
        }
        return { status: 200, body: { results } };
      },
    },
  ];
}
