/**
 * Random walks over operation sequences: fast-check draws a sequence of steps, each step calls one of the
 * operations the walk's state allows, with ids the walk's own earlier answers carried (through the links of
 * ../model/links.ts), sometimes ids it has deleted (a 404 is then expected where the document lists one).
 * Every exchange is judged by the contract oracle like any other. A walk that shows a new violation is
 * shrunk to the shortest one that still shows it, and reported with the walk as a shell script.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { jsonBody, type HttpRequest } from "../../core/exchange.ts";
import { pollUntil } from "../../core/poll.ts";
import type { Violation } from "../../results/finding.ts";
import type { Intent } from "../checks/types.ts";
import { runProperty } from "../generators/replay.ts";
import { toHttpRequest } from "../generators/requests.ts";
import { linksOf } from "../model/links.ts";
import { deref } from "../model/refs.ts";
import type { Operation } from "../model/types.ts";
import { derivedSeed, exchange, type EngineContext } from "./context.ts";
import { quickModelId } from "./fixtures.ts";
import { minimalRequest } from "./prepare.ts";
import { createdIdField } from "./resources.ts";
import { WALK_BOUNDS } from "./walk-bounds.ts";
import { walkScript, type WalkStep } from "./walk-script.ts";

export const WALKS_TITLE = "random walks";

/** Distinct failures are looked for in up to this many property runs (each stops at its first new failure). */
const MAX_ROUNDS = 2;
/** Walks one property run may replay while shrinking a failing one. */
const SHRINK_BUDGET = 40;
const TIME_LIMIT_MS = 120_000;

/** What a walk can do on one API: its operations, the ids each creates, and where ids go. */
export interface WalkPlan {
  ops: Operation[];
  /** Per creating operation: the top-level response fields that carry an id of a kind ("/id" → agent_id). */
  produces: Map<string, { field: string; kind: string }[]>;
  /** Per operation: body properties that take an id of a kind the walk makes. */
  bodyIds: Map<string, string[]>;
}

const pathParams = (op: Operation) => op.parameters.filter((p) => p.in === "path");

/**
 * The plan: ids come only from the answers of operations that made a resource the suite knows how to
 * delete, and only the new resource's own id (so a walk acts only on what it made, never on the agent a
 * thread names); the operations are those makers and every operation whose path ids they all provide.
 * Streams are left to the streams phase.
 */
export function walkPlan(ctx: Pick<EngineContext, "spec" | "model" | "fixtures">): WalkPlan {
  const links = linksOf(ctx.model.spec, ctx.model.operations).filter((l) => l.from.field === `/${createdIdField(ctx.spec, l.from.operationId)}`);
  const produces = new Map<string, { field: string; kind: string }[]>();
  const bodyIds = new Map<string, string[]>();
  for (const l of links) {
    const made = produces.get(l.from.operationId) ?? [];
    if (!made.some((m) => m.field === l.from.field && m.kind === l.to.name)) produces.set(l.from.operationId, [...made, { field: l.from.field, kind: l.to.name }]);
    if (l.to.in === "body") bodyIds.set(l.to.operationId, [...new Set([...(bodyIds.get(l.to.operationId) ?? []), l.to.name])]);
  }
  const kinds = new Set([...produces.values()].flat().map((p) => p.kind));
  const usable = (op: Operation) => !op.streaming && !ctx.fixtures.skip(op, "positive") && pathParams(op).every((p) => kinds.has(p.name));
  const ops = ctx.model.operations.filter((op) => usable(op) && (produces.has(op.operationId) || pathParams(op).length > 0));
  return { ops, produces, bodyIds };
}

/**
 * One drawn step: which enabled operation, which id, whether a deleted one, and the seed of its input. A
 * focused step acts on the resource made last, so walks go deep on one resource (update it, then clone it)
 * as often as they go wide.
 */
interface Draw {
  op: number;
  pick: number;
  gone: boolean;
  focus: boolean;
  input: number;
}

// Unbiased: fast-check's bias towards small numbers would make most walks start with the same operation.
// Not shrunk: a smaller number is not a simpler step, only a different one; a walk shrinks by losing steps.
const choice = fc.noShrink(fc.noBias(fc.nat({ max: 1 << 20 })));
const flag = fc.noShrink(fc.boolean());
const drawArbitrary = fc.record({ op: choice, pick: choice, gone: flag, focus: flag, input: fc.noShrink(fc.nat()) });

/** Ids a walk made, live or deleted, by kind; and the variable each was captured into for the script. */
class WalkState {
  readonly live = new Map<string, string[]>();
  readonly gone = new Map<string, string[]>();
  /** Each captured id and the shell variable it is captured into. */
  readonly vars = new Map<string, string>();
  /** The kind of the resource made last. */
  lastKind: string | undefined;
  /** The ids of the walk's own resources a resource was made with (a thread's agent). */
  readonly parents = new Map<string, string[]>();

  has(kind: string) {
    return (this.live.get(kind)?.length ?? 0) + (this.gone.get(kind)?.length ?? 0) > 0;
  }
  add(kind: string, id: string): string {
    this.live.set(kind, [...(this.live.get(kind) ?? []), id]);
    this.lastKind = kind;
    const name = `${kind}_${this.vars.size + 1}`.replace(/[^A-Za-z0-9_]/g, "_");
    this.vars.set(id, name);
    return name;
  }
  remove(kind: string, id: string) {
    const live = this.live.get(kind) ?? [];
    if (!live.includes(id)) return;
    this.live.set(kind, live.filter((x) => x !== id));
    this.gone.set(kind, [...(this.gone.get(kind) ?? []), id]);
    // What was made with it (a thread of a deleted agent) is in a state the walk does not judge: the
    // document says only that the runtime may refuse it (a 502): it is left out of the walk from here on.
    for (const [k, ids] of this.live) this.live.set(k, ids.filter((child) => !this.parents.get(child)?.includes(id)));
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A creating request names and marks what it makes as the run's (so the end-of-run check finds it too). */
function marked(ctx: EngineContext, op: Operation, body: unknown): unknown {
  if (!isObject(body) || !createdIdField(ctx.spec, op.operationId)) return body;
  const props = new Set(Object.keys(jsonProps(ctx, op)));
  let b: Record<string, unknown> = body;
  if (props.has("metadata")) b = { ...b, metadata: { ...(isObject(b.metadata) ? b.metadata : {}), agentwire: ctx.tag } };
  // Names carry the run's tag, and are unique (MCP server names must be).
  if (props.has("name") && typeof b.name === "string") b = { ...b, name: `agentwire walk ${ctx.tag} ${randomUUID().slice(0, 8)}` };
  // An assistant of the graph the suite's own use (a generated graph id names no graph).
  if (props.has("graph_id") && ctx.fixtures.graphId) b = { ...b, graph_id: ctx.fixtures.graphId };
  // An agent the walk runs answers with the reference's quick scripted model.
  const modelId = quickModelId(ctx.target);
  if (op.operationId === "createManagedDeepAgent" && modelId) b = { ...b, runtime: { model: { model_id: modelId } } };
  return b;
}

function jsonProps(ctx: EngineContext, op: Operation): Record<string, unknown> {
  const schema = deref<Record<string, unknown>>(ctx.model.spec.document, op.requestBody?.content.find((c) => /json/i.test(c.mediaType))?.schema as Record<string, unknown>).value;
  return isObject(schema) && isObject(schema.properties) ? schema.properties : {};
}

/**
 * Operations whose answer depends on a mode the walk's minimal resources never have: a per-user OAuth
 * provider is documented only for MCP servers in per-user dynamic client mode, so it is expected refused.
 */
const REFUSED_IN_STATE: Record<string, string> = {
  registerMcpOAuthProvider: "an OAuth provider for an MCP server not in per-user dynamic client mode",
};

/** The step's request: a minimal valid input drawn from its seed, pointed at the walk's ids. */
function request(ctx: EngineContext, plan: WalkPlan, op: Operation, draw: Draw, state: WalkState): { req: HttpRequest; path: Record<string, string>; intent: Intent } {
  const path: Record<string, string> = {};
  const refused = REFUSED_IN_STATE[op.operationId];
  let intent: Intent = refused ? { kind: "refused-in-state", what: refused } : { kind: "valid" };
  for (const p of pathParams(op)) {
    const live = state.live.get(p.name) ?? [];
    const gone = state.gone.get(p.name) ?? [];
    if (intent.kind !== "unknown-id" && gone.length > 0 && (draw.gone || live.length === 0)) {
      path[p.name] = gone[draw.pick % gone.length]!;
      intent = { kind: "unknown-id", parameter: p.name };
    } else path[p.name] = draw.focus && p.name === state.lastKind ? live[live.length - 1]! : live[draw.pick % live.length]!;
  }
  const fixed = { path, query: ctx.fixtures.fixed(op).query ?? {} };
  const g = minimalRequest(ctx, op, fixed, draw.input);
  let body = g.body;
  if (body && "value" in body) {
    let value = ctx.fixtures.body(op, body.value);
    for (const name of plan.bodyIds.get(op.operationId) ?? []) {
      const live = state.live.get(name) ?? [];
      if (isObject(value) && name in value && live.length > 0) value = { ...value, [name]: live[draw.pick % live.length] };
    }
    body = { ...body, value: marked(ctx, op, value) };
  }
  const gen = { ...g, path, query: ctx.fixtures.query(op, g.query), body };
  return { req: toHttpRequest(gen, op, { baseUrl: ctx.client.baseUrl, headers: ctx.client.authHeaders() }), path, intent };
}

/** A step that starts a run occupies its thread: the walk goes on once the thread is no longer busy. */
const startsRun = (op: Operation) => op.method === "POST" && /\/runs(\/|$)/.test(op.path);

async function settle(ctx: EngineContext, threadId: string) {
  await pollUntil(
    () => ctx.client.call("GET", `/threads/${encodeURIComponent(threadId)}`),
    (x) => (jsonBody(x.response) as { status?: unknown } | undefined)?.status !== "busy",
    { everyMs: 100, timeoutMs: 15_000 },
  ).catch(() => undefined);
}

interface WalkOutcome {
  steps: WalkStep[];
  failing?: { step: WalkStep; operationId: string; violations: Violation[] };
}

/** Runs one walk until it ends or shows a violation of a check not in `reported`. */
async function walk(ctx: EngineContext, plan: WalkPlan, draws: Draw[], reported: Set<string>): Promise<WalkOutcome> {
  const state = new WalkState();
  const steps: WalkStep[] = [];
  for (const draw of draws) {
    const all = plan.ops.filter((op) => pathParams(op).every((p) => state.has(p.name)));
    const focused = all.filter((op) => pathParams(op).some((p) => p.name === state.lastKind && state.live.get(p.name)?.length));
    const enabled = draw.focus && focused.length > 0 ? focused : all;
    if (enabled.length === 0) continue;
    // The operation the draw names among all of the walk's, when it is enabled: a step keeps its operation
    // when shrinking removes the steps before it.
    const named = plan.ops[draw.op % plan.ops.length]!;
    const op = enabled.includes(named) ? named : enabled[draw.op % enabled.length]!;
    const { req, path, intent } = request(ctx, plan, op, draw, state);
    const { x, violations } = await exchange(ctx, op.operationId, req, intent);
    const step: WalkStep = { req, status: x.response.status, captures: [] };
    steps.push(step);
    // Known deviations the run waives are recorded (shown as waived) and walked past.
    const known = violations.filter((v) => ctx.waived({ ...v, spec: ctx.spec, operationId: op.operationId }));
    ctx.rec.violations({ spec: ctx.spec, operationId: op.operationId, unit: { flow: WALKS_TITLE } }, known, req, { status: step.status });
    const fresh = violations.filter((v) => !reported.has(v.check) && !known.includes(v));
    if (fresh.length > 0) return { steps, failing: { step, operationId: op.operationId, violations: fresh } };
    if (x.response.status >= 300) continue;
    const answer = jsonBody(x.response);
    for (const { field, kind } of plan.produces.get(op.operationId) ?? []) {
      const id = isObject(answer) ? answer[field.slice(1)] : undefined;
      if (typeof id !== "string" || state.vars.has(id)) continue;
      step.captures.push({ field: field.slice(1), variable: state.add(kind, id), id });
      state.parents.set(id, [...state.vars.keys()].filter((made) => (req.body ?? "").includes(made)));
    }
    const last = /\/\{([^}]+)\}$/.exec(op.path)?.[1];
    if (op.method === "DELETE" && last && path[last]) state.remove(last, path[last]);
    if (startsRun(op) && path.thread_id) {
      step.settles = true;
      await settle(ctx, path.thread_id);
    }
  }
  return { steps };
}

/**
 * The walks of one API: property runs of `bounds.walks` walks each, seeded from the run's seed; a failing
 * walk is shrunk and reported with its steps as a shell script. Returns why nothing was walked, if nothing was.
 */
export async function runWalks(ctx: EngineContext): Promise<string | undefined> {
  const plan = walkPlan(ctx);
  if (plan.produces.size === 0) return "the document links no operation's answer to another operation's input";
  const bounds = ctx.walks ?? WALK_BOUNDS.smoke;
  const reported = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let failing: WalkOutcome | undefined;
    let replays = 0;
    const outcome = await runProperty(
      fc.array(drawArbitrary, { minLength: 1, maxLength: bounds.steps, size: "max" }),
      async (draws) => {
        // Past the budget every candidate passes, which ends shrinking at the shortest failing walk so far.
        if (failing && ++replays > SHRINK_BUDGET) return true;
        const w = await walk(ctx, plan, draws, reported);
        if (!w.failing) return true;
        // fast-check reports the last failing candidate it tried: the shortest it found.
        failing = w;
        return false;
      },
      { seed: derivedSeed(ctx.seed, ctx.spec, "walks", String(round)), numRuns: bounds.walks, timeLimitMs: TIME_LIMIT_MS },
    );
    if (outcome.ok || !failing?.failing) return undefined;
    const { step, operationId, violations } = failing.failing;
    ctx.rec.violations({ spec: ctx.spec, operationId, unit: { flow: WALKS_TITLE, round } }, violations, step.req, {
      replay: { seed: outcome.failure.seed, path: outcome.failure.path },
      status: step.status,
      sequence: walkScript(failing.steps),
    });
    for (const v of violations) reported.add(v.check);
  }
  return undefined;
}
