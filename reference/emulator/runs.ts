/**
 * Runs: background runs and run streams forwarded to the Agent Server with `agent_id` turned into
 * `assistant_id`, and resolve-interrupt, which approves every pending action of a deep_hitl interrupt.
 */
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { Route } from "./server.ts";
import type { Ctx } from "./context.ts";
import { ApiError, agentNotFound, conflict, invalidBody, threadNotFound, unprocessable } from "./errors.ts";
import { agentConfigurable, findAgent, type Assistant } from "./agents.ts";
import { timezone } from "./runtime.ts";
import { CreateThreadAndRunRequest, PassThroughJSON, StreamRunRequest } from "./schemas.ts";
import { createThread, loadThread, threadAgent, type UpThread } from "./threads.ts";
import { failed, toReply, upstreamIssues, type UpstreamReply } from "./upstream.ts";
import { check, isObject, parseBody } from "./validate.ts";

/** The upstream run payload: the caller's fields, the agent as assistant, the agent's model settings. */
function runPayload(agent: Assistant, body: Record<string, unknown>, extraConfigurable: Record<string, unknown> = {}) {
  const { agent_id: _a, assistant_id: _b, ...rest } = body;
  const { config, context } = rest;
  if (config !== undefined && !isObject(config)) throw invalidBody("'config' must be an object");
  if (config?.configurable !== undefined && !isObject(config.configurable)) throw invalidBody("'config.configurable' must be an object");
  if (context !== undefined && !isObject(context)) throw invalidBody("'context' must be an object");
  const settings = { ...agentConfigurable(agent), ...extraConfigurable };
  // Per-run settings win over the agent's (the upstream would otherwise prefer the thread's stored config).
  // The Python Agent Server refuses a run that sets both configurable and context, so a caller's context
  // carries the agent's settings instead of configurable.
  if (context !== undefined) return { ...rest, assistant_id: agent.assistant_id, context: { ...settings, ...context } };
  return { ...rest, assistant_id: agent.assistant_id, config: { ...config, configurable: { ...settings, ...config?.configurable } } };
}

/** The agent a run uses: the one named in the body, by default the thread's own. */
async function runAgent(ctx: Ctx, thread: UpThread, requested: unknown): Promise<Assistant> {
  if (requested !== undefined && typeof requested !== "string") throw invalidBody("'agent_id' must be a string");
  const own = await threadAgent(ctx, thread);
  if (requested === undefined || requested === own.assistant_id) return own;
  const other = await findAgent(ctx, requested);
  if (!other) throw agentNotFound();
  return other;
}

/**
 * An Agent Server refusal of a run, in Managed terms. A busy thread is a 409 where the operation documents
 * 409 (create thread and run), and a 400 where it does not (runs and streams on a thread).
 */
function runError(res: UpstreamReply, path: string, conflictDocumented = false) {
  // The JS server refuses a second run on a busy thread with 422 (multitask "reject"); the Python one with 409.
  if (res.status === 409 || (res.status === 422 && /already running/i.test(res.text))) {
    const detail = "Wait for the thread's current run to finish: the thread is busy";
    return conflictDocumented ? conflict("thread_busy", detail) : new ApiError(400, "thread_busy", detail);
  }
  if (res.status === 404) return /assistant/i.test(res.text) ? agentNotFound() : threadNotFound();
  if (res.status === 400 || res.status === 422) return invalidBody(`The agent runtime rejected the run: ${upstreamIssues(res)}`);
  return failed("POST", path, res);
}

async function createRun(ctx: Ctx, thread: UpThread, payload: object, conflictDocumented = false) {
  const path = `/threads/${thread.thread_id}/runs`;
  const res = await ctx.upstream.call("POST", path, payload);
  if (res.status >= 300) throw runError(res, path, conflictDocumented);
  return res;
}

export function runRoutes(ctx: Ctx): Route[] {
  return [
    {
      method: "POST",
      path: "/threads/:thread_id/runs",
      async handler(call) {
        const body = parseBody(call.body, PassThroughJSON, { lenient: ctx.lenient, optional: true });
        const thread = await loadThread(ctx, call.params.thread_id!);
        const agent = await runAgent(ctx, thread, body.agent_id ?? body.assistant_id);
        const res = await createRun(ctx, thread, runPayload(agent, body));
        return { status: res.status, body: res.json };
      },
    },
    {
      method: "POST",
      path: "/threads/runs",
      async handler(call) {
        const body = parseBody(call.body, CreateThreadAndRunRequest, { lenient: ctx.lenient });
        const { agent_id, thread: envelope, ...kwargs } = body;
        const agent = await findAgent(ctx, agent_id);
        if (!agent) throw agentNotFound();
        const payload = runPayload(agent, kwargs);
        const thread = await createThread(ctx, { agentId: agent_id, threadId: envelope?.thread_id, ifExists: envelope?.if_exists, metadata: envelope?.metadata, options: envelope?.options });
        try {
          const res = await createRun(ctx, thread, payload, true);
          return { status: res.status, body: res.json };
        } catch (error) {
          // One call, one outcome: a thread made only for this run goes when the run cannot start.
          if (!envelope?.thread_id) await ctx.upstream.call("DELETE", `/threads/${thread.thread_id}`).catch(() => undefined);
          throw error;
        }
      },
    },
    {
      method: "POST",
      path: "/threads/:thread_id/runs/stream",
      async handler(call) {
        const raw = parseBody(call.body, PassThroughJSON, { lenient: ctx.lenient });
        if (raw.assistant_id !== undefined) throw invalidBody("Send 'agent_id' instead of 'assistant_id': the server sets assistant_id itself");
        const body = check(raw, StreamRunRequest, "", ctx.lenient);
        const thread = await loadThread(ctx, call.params.thread_id!);
        const agent = await runAgent(ctx, thread, body.agent_id);
        // Message fields are optional in the contract; a bare message is taken as an empty user message.
        const input = { ...body.input, messages: body.input.messages.map((m: object) => ({ role: "user", content: "", ...m })) };
        const zone = body.user_timezone !== undefined ? { user_timezone: timezone(body.user_timezone) } : {};
        const payload = runPayload(agent, { ...body, input }, zone);

        const abort = new AbortController();
        call.res.on("close", () => {
          if (!call.res.writableFinished) abort.abort();
        });
        const path = `/threads/${thread.thread_id}/runs/stream`;
        const up = await ctx.upstream.stream(path, payload, abort.signal);
        if (up.statusCode !== 200) throw runError(toReply(up.statusCode, await up.body.text()), path);
        await relay(call.res, up.body, abort.signal);
        return { streamed: true };
      },
    },
    {
      method: "POST",
      path: "/threads/:thread_id/resolve-interrupt",
      async handler(call) {
        const thread = await loadThread(ctx, call.params.thread_id!);
        const agent = await threadAgent(ctx, thread);
        if (thread.status !== "interrupted") throw conflict("thread_not_interrupted", `Resolve only an interrupted thread: this thread is ${thread.status}`);
        const pending = Object.values(thread.interrupts ?? {}).flat();
        const answers = pending.map((i) => {
          const requests = actionRequests(i.value);
          if (!requests) throw unprocessable("unsupported_interrupt", "This interrupt asks for input rather than approval; resume it with a run instead");
          return { decisions: requests.map(() => ({ type: "approve" })) };
        });
        if (!answers.length) throw unprocessable("unsupported_interrupt", "The thread is paused without a pending approval request");
        const resume = answers.length === 1 ? answers[0] : Object.fromEntries(pending.map((i, k) => [i.id, answers[k]]));
        await createRun(ctx, thread, runPayload(agent, { command: { resume } }));
        return { status: 204 };
      },
    },
  ];
}

/** The action requests of a human-in-the-loop interrupt (JS middleware spells them actionRequests). */
function actionRequests(value: unknown): unknown[] | undefined {
  if (!isObject(value)) return undefined;
  const list = value.actionRequests ?? value.action_requests;
  return Array.isArray(list) && list.length ? list : undefined;
}

/** Writes each upstream chunk the moment it arrives; stops reading when the client goes away. */
async function relay(res: ServerResponse, body: AsyncIterable<Buffer>, signal: AbortSignal) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.socket?.setNoDelay(true);
  res.flushHeaders();
  try {
    for await (const chunk of body) {
      if (!res.write(chunk)) await once(res, "drain", { signal });
    }
  } catch {
    // The client left (the upstream request is aborted with it) or the upstream broke off: end what was sent.
  }
  res.end();
}
