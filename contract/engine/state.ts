/**
 * Statuses that depend on a resource's state, provoked on purpose: every operation that takes a deleted
 * resource must not find it, and requests that a busy thread forbids must be refused as the document says.
 * What a correct answer is comes from each operation's documented statuses, never from one server's habits.
 */
import { jsonBody, type HttpRequest } from "../../core/exchange.ts";
import { pollUntil } from "../../core/poll.ts";
import { paceConfig, paceModelId, type ModelPace } from "../../core/target.ts";
import { toHttpRequest } from "../generators/requests.ts";
import { flatten } from "../generators/merge.ts";
import { linksOf } from "../model/links.ts";
import type { JsonSchemaObject, Operation } from "../model/types.ts";
import { responseFor } from "../model/validator.ts";
import { unknownIdProblem } from "../checks/intent.ts";
import type { Intent } from "../checks/types.ts";
import { derivedSeed, exchange, type EngineContext } from "./context.ts";
import { startsRuns } from "./fixtures.ts";
import { minimalRequest } from "./prepare.ts";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const documents = (op: Operation, status: number) => responseFor(op, status)?.status === String(status);
const documented4xx = (op: Operation) => op.responses.map((r) => r.status).filter((s) => /^4(\d\d|XX)$/.test(s));

/** The document's word on one status of the operation, as the checks read it. */
const contractOf = (op: Operation) => ({
  responseFor(status: number) {
    const r = responseFor(op, status);
    return r && { key: r.status };
  },
});

/** What is wrong with the answer to a use of a deleted resource, if anything: the rule for an id that never existed. */
export const goneProblem = (op: Operation, status: number) => unknownIdProblem(contractOf(op), op.method, status);

/**
 * What is wrong with the answer to a request the thread's state forbids, if anything: 409 where the
 * operation documents it ("conflicts with the resource's current state"), otherwise a 4xx it documents.
 */
export function conflictProblem(op: Operation, status: number): string | undefined {
  if (documents(op, 409)) return status === 409 ? undefined : `got ${status}, expected 409 (documented for this conflict)`;
  if (status >= 400 && status < 500 && documents(op, status)) return undefined;
  return `got ${status}, expected a 4xx the operation documents (${documented4xx(op).join(", ")}; it documents no 409)`;
}

/** The flattened JSON body schema of an operation (refs and allOf merged), if it has an object one. */
function bodySchema(ctx: EngineContext, op: Operation): JsonSchemaObject | undefined {
  const schema = op.requestBody?.content.find((c) => /json/i.test(c.mediaType))?.schema;
  const flat = typeof schema === "object" ? flatten(ctx.model.spec.document, schema).schema : false;
  return flat || undefined;
}

/** The enum of a top-level property of the operation's JSON body, if it has one. */
function bodyEnum(ctx: EngineContext, op: Operation, name: string): unknown[] {
  const prop = bodySchema(ctx, op)?.properties?.[name];
  const flat = typeof prop === "object" ? flatten(ctx.model.spec.document, prop).schema : false;
  return flat && Array.isArray(flat.enum) ? flat.enum : [];
}

/**
 * The operations that need a resource of this kind: those whose only path parameter names it, and those
 * without path parameters whose body requires it (searches, which merely filter by it, and creations,
 * which may name the id of what they create, are left out). Event streams that start no run are left to
 * the streams phase.
 */
function usersOf(ctx: EngineContext, kind: string): { op: Operation; in: "path" | "body" }[] {
  const bodyTakers = new Set(linksOf(ctx.model.spec, ctx.model.operations).filter((l) => l.to.in === "body" && l.to.name === kind).map((l) => l.to.operationId));
  const out: { op: Operation; in: "path" | "body" }[] = [];
  for (const op of ctx.model.operations) {
    if (op.streaming && !startsRuns(ctx.spec, op.operationId)) continue;
    if (ctx.fixtures.skip(op, "positive")) continue;
    const path = op.parameters.filter((p) => p.in === "path");
    if (path.length === 1 && path[0]!.name === kind) out.push({ op, in: "path" });
    else if (path.length === 0 && bodyTakers.has(op.operationId) && (bodySchema(ctx, op)?.required ?? []).includes(kind)) out.push({ op, in: "body" });
  }
  return out;
}

/**
 * Every use of a resource the flow just deleted (`kind` names its id, e.g. thread_id): each operation that
 * needs it gets its minimal valid request naming the deleted id, and must answer as for an unknown id. A run
 * operation is sent once per documented multitask_strategy: the strategy decides how a run meets its
 * thread's state, and a thread that is gone must be gone for each.
 */
export async function useAfterDelete(ctx: EngineContext, flow: string, what: string, kind: string, id: string) {
  for (const { op, in: where } of usersOf(ctx, kind)) {
    const fixed = { path: where === "path" ? { [kind]: id } : {}, query: ctx.fixtures.fixed(op).query ?? {} };
    const g = minimalRequest(ctx, op, fixed, derivedSeed(ctx.seed, ctx.spec, op.operationId, "use-after-delete"));
    let value = g.body && "value" in g.body ? ctx.fixtures.body(op, g.body.value) : undefined;
    if (where === "body" && isObject(value)) value = { ...value, [kind]: id };
    const strategies = isObject(value) ? bodyEnum(ctx, op, "multitask_strategy") : [];
    const bodies = strategies.length ? strategies.map((s) => ({ ...(value as object), multitask_strategy: s })) : [value];
    for (const body of bodies) {
      const gen = { ...g, query: ctx.fixtures.query(op, g.query), ...(g.body ? { body: { mediaType: g.body.mediaType, value: body } } : {}) };
      const req = toHttpRequest(gen, op, { baseUrl: ctx.client.baseUrl, headers: ctx.client.authHeaders() });
      // Valid in form; the resource's state decides the answer, judged here (not as a valid request's).
      const { x, violations } = await exchange(ctx, op.operationId, req, { kind: "refused-in-state", what: `uses the deleted ${what}` });
      const at = { spec: ctx.spec, operationId: op.operationId, unit: { flow } };
      ctx.rec.violations(at, violations, req, { status: x.response.status });
      const problem = goneProblem(op, x.response.status);
      const strategy = isObject(body) && typeof body.multitask_strategy === "string" ? ` (multitask_strategy ${body.multitask_strategy})` : "";
      if (problem) ctx.rec.violations(at, [{ check: "use_after_delete", message: `${op.method} ${op.path} on the deleted ${what}${strategy} ${problem}` }], req);
    }
  }
}

/** A run long enough (150 tokens 30 ms apart: 4.5 s) that requests sent once its thread is busy find it busy, on a loaded machine too. */
const BUSY: ModelPace = { tokens: 150, delayMs: 30 };
const INPUT = { messages: [{ role: "user", content: "hi" }] };
const NEEDS_PACE = "needs a run whose length the suite sets, which only the embedded reference's scripted model offers";

interface Call {
  op: string;
  method: string;
  path: string;
  body?: unknown;
}

/** What a flow on a busy thread sends: the run that makes it busy, the requests that state forbids, how to read it. */
interface BusyPlan {
  start: Call;
  conflicts: (Call & { what: string })[];
  read: Call;
}

/** Sends one request of a flow, judged by every exchange check like any other. */
async function send(ctx: EngineContext, flow: string, c: Call, intent: Intent = { kind: "valid" }) {
  const req = ctx.client.request(c.method, c.path, c.body);
  const { x, violations } = await exchange(ctx, c.op, req, intent);
  ctx.rec.violations({ spec: ctx.spec, operationId: c.op, unit: { flow } }, violations, req, { status: x.response.status });
  return { req, status: x.response.status, json: jsonBody(x.response) as Record<string, unknown> | undefined };
}

/** A second run of each kind (operation, path under the thread, what it is) on the busy thread, with multitask_strategy reject. */
const secondRuns = (tid: string, body: object, kinds: [string, string, string][]) =>
  kinds.map(([op, suffix, what]) => ({ op, method: "POST", path: `/threads/${tid}${suffix}`, body: { ...body, multitask_strategy: "reject" }, what: `a second ${what} (multitask_strategy reject)` }));

const notJudged = (ctx: EngineContext, flow: string, reason: string, cause: "target" | "not-applicable" = "target") =>
  ctx.rec.skip({ unit: `${ctx.spec} › flow › ${flow}`, spec: ctx.spec, reason, cause });

/**
 * Starts a run, waits until its thread says busy, sends each forbidden request, and judges their answers
 * only if the thread still says busy afterwards (statuses only move forward, so it was busy for all of
 * them): otherwise the run was too short to tell, and the rule is reported not judged. Returns once the
 * thread is no longer busy.
 */
async function onBusyThread(ctx: EngineContext, flow: string, plan: BusyPlan) {
  const started = await send(ctx, flow, plan.start);
  if (started.status >= 300) return notJudged(ctx, flow, `the run that was to make the thread busy was refused (${started.status})`);
  const read = () => send(ctx, flow, plan.read);
  const seen = await pollUntil(read, (t) => t.json?.status !== "idle", { everyMs: 50, timeoutMs: 10_000 });
  if (seen.at(-1)?.json?.status !== "busy") return notJudged(ctx, flow, `the thread never said busy while its run was in flight (last status ${JSON.stringify(seen.at(-1)?.json?.status)})`);
  const answers: { c: BusyPlan["conflicts"][number]; req: HttpRequest; status: number }[] = [];
  for (const c of plan.conflicts) answers.push({ c, ...(await send(ctx, flow, c, { kind: "refused-in-state", what: c.what })) });
  const after = (await read()).json?.status;
  if (after !== "busy") notJudged(ctx, flow, `the thread's run ended (status ${JSON.stringify(after)}) before every request was answered, so they did not all meet a busy thread`);
  else
    for (const { c, req, status } of answers) {
      const op = ctx.model.byId.get(c.op);
      const problem = op && conflictProblem(op, status);
      if (problem) ctx.rec.violations({ spec: ctx.spec, operationId: c.op, unit: { flow } }, [{ check: "busy_thread_conflict", message: `${c.what} on a busy thread ${problem}` }], req);
    }
  await pollUntil(read, (t) => t.json?.status !== "busy", { everyMs: 100, timeoutMs: 15_000 });
}

/** On the Managed API: a second run (and its stream) with multitask_strategy reject, a thread-and-run on the same thread, resolve-interrupt. */
export async function managedBusyThread(ctx: EngineContext, flow: string) {
  if (!ctx.target.knobs) return notJudged(ctx, flow, NEEDS_PACE, "not-applicable");
  const agent = await send(ctx, flow, { op: "createManagedDeepAgent", method: "POST", path: "/agents", body: { name: `agentwire busy ${ctx.tag}`, extras: { agentwire: ctx.tag }, runtime: { model: { model_id: paceModelId(ctx.target.knobs, BUSY) } } } });
  const aid = agent.json?.id;
  if (typeof aid !== "string") return notJudged(ctx, flow, `could not create its agent (${agent.status})`);
  const thread = await send(ctx, flow, { op: "createManagedDeepAgentThread", method: "POST", path: "/threads", body: { agent_id: aid, metadata: { agentwire: ctx.tag } } });
  const tid = thread.json?.id;
  if (typeof tid === "string") {
    const run = { agent_id: aid, input: INPUT };
    await onBusyThread(ctx, flow, {
      start: { op: "createManagedDeepAgentThreadRun", method: "POST", path: `/threads/${tid}/runs`, body: run },
      read: { op: "getManagedDeepAgentThread", method: "GET", path: `/threads/${tid}` },
      conflicts: [
        ...secondRuns(tid, run, [
          ["createManagedDeepAgentThreadRun", "/runs", "run"],
          ["streamManagedDeepAgentThreadRun", "/runs/stream", "streamed run"],
        ]),
        { op: "createManagedDeepAgentThreadAndRun", method: "POST", path: "/threads/runs", body: { ...run, multitask_strategy: "reject", thread: { thread_id: tid, if_exists: "do_nothing" } }, what: "a thread-and-run naming the thread (if_exists do_nothing, multitask_strategy reject)" },
        { op: "resolveManagedDeepAgentThreadInterrupt", method: "POST", path: `/threads/${tid}/resolve-interrupt`, what: "resolve-interrupt (the thread is not interrupted)" },
      ],
    });
    await send(ctx, flow, { op: "deleteManagedDeepAgentThread", method: "DELETE", path: `/threads/${tid}` });
  } else notJudged(ctx, flow, `could not create its thread (${thread.status})`);
  await send(ctx, flow, { op: "deleteManagedDeepAgent", method: "DELETE", path: `/agents/${aid}` });
}

/** On the Agent Server: a second run, streamed run and waited-for run with multitask_strategy reject. */
export async function agentServerBusyThread(ctx: EngineContext, flow: string) {
  const assistant = ctx.target.graphs?.agent;
  if (!ctx.target.knobs || !assistant) return notJudged(ctx, flow, NEEDS_PACE, "not-applicable");
  const thread = await send(ctx, flow, { op: "create_thread_threads_post", method: "POST", path: "/threads", body: { metadata: { agentwire: ctx.tag } } });
  const tid = thread.json?.thread_id;
  if (typeof tid !== "string") return notJudged(ctx, flow, `could not create its thread (${thread.status})`);
  const run = { assistant_id: assistant, input: INPUT, config: paceConfig(ctx.target.knobs, BUSY) };
  await onBusyThread(ctx, flow, {
    start: { op: "create_run_threads__thread_id__runs_post", method: "POST", path: `/threads/${tid}/runs`, body: run },
    read: { op: "get_thread_threads__thread_id__get", method: "GET", path: `/threads/${tid}` },
    conflicts: secondRuns(tid, run, [
      ["create_run_threads__thread_id__runs_post", "/runs", "run"],
      ["stream_run_threads__thread_id__runs_stream_post", "/runs/stream", "streamed run"],
      ["wait_run_threads__thread_id__runs_wait_post", "/runs/wait", "waited-for run"],
    ]),
  });
  await send(ctx, flow, { op: "delete_thread_threads__thread_id__delete", method: "DELETE", path: `/threads/${tid}` });
}

