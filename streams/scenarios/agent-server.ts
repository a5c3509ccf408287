/** Stream scenarios of the Agent Server API: every stream mode, subgraphs, errors, stateless runs and joins. */
import { needsGraphs, type NamedScenario, type ScenarioContext } from "./context.ts";
import { AGENT_SERVER_MODES } from "../grammar/modes.ts";
import { STREAM_RULE_NAMES, type StreamExpectation } from "../grammar/rules.ts";
import { checkComplete } from "./complete.ts";
import { pollUntil } from "../../core/poll.ts";
import type { ModelPace } from "../../core/target.ts";
import { AGENT_SERVER, AGENT_SERVER_TUPLE_KEYS, json, streamReq, TERMINAL_RUN, userMessage } from "./wire.ts";

const THREAD_STREAM = "stream_run_threads__thread_id__runs_stream_post";
const STATELESS_STREAM = "stream_run_stateless_runs_stream_post";
const JOIN_STREAM = "stream_run_http_threads__thread_id__runs__run_id__join_get";
export const STREAMED = STREAM_RULE_NAMES;
const COMPLETE = [...STREAMED, "stream_complete" as const];
// 30 tokens × 15 ms: long enough to judge delivery; "tool:" makes the agent call its tool first.
const SLOW: ModelPace = { tokens: 30, delayMs: 15 };

export const expectation = (modes: string[], over: Partial<StreamExpectation> = {}): StreamExpectation => ({
  modes,
  subgraphs: false,
  idsRequired: false,
  expectError: false,
  ...AGENT_SERVER_TUPLE_KEYS,
  ...over,
});

export async function newThread(ctx: ScenarioContext): Promise<string> {
  const t = await ctx.setup(AGENT_SERVER, "create_thread_threads_post", ctx.request(AGENT_SERVER, "POST", "/threads", { metadata: { agentwire: ctx.tag } }), "thread_id");
  return t.thread_id as string;
}

async function deleteThread(ctx: ScenarioContext, threadId: string) {
  await ctx.call(AGENT_SERVER, "delete_thread_threads__thread_id__delete", ctx.request(AGENT_SERVER, "DELETE", `/threads/${threadId}`));
}

/** Runs `body` with a fresh thread that is deleted afterwards. */
export async function withThread(ctx: ScenarioContext, body: (threadId: string) => Promise<void>) {
  const threadId = await newThread(ctx);
  try {
    await body(threadId);
  } finally {
    await deleteThread(ctx, threadId);
  }
}

function threadStream(ctx: ScenarioContext, label: string, body: Record<string, unknown>, x: StreamExpectation) {
  return withThread(ctx, async (tid) => {
    const req = streamReq(ctx.request(AGENT_SERVER, "POST", `/threads/${tid}/runs/stream`, body));
    const judged = await ctx.stream(AGENT_SERVER, THREAD_STREAM, label, req, x);
    if (x.expectError) return;
    const read = async () => {
      const thread = json(await ctx.call(AGENT_SERVER, "get_thread_threads__thread_id__get", ctx.request(AGENT_SERVER, "GET", `/threads/${tid}`)));
      const state = json(await ctx.call(AGENT_SERVER, "get_latest_thread_state_threads__thread_id__state_get", ctx.request(AGENT_SERVER, "GET", `/threads/${tid}/state`)));
      return { status: thread?.status, values: state?.values };
    };
    await checkComplete(ctx, AGENT_SERVER, THREAD_STREAM, label, x.modes, req, judged, read);
  });
}

const modeScenario = (mode: string): NamedScenario => ({
  title: `agent-server › stream mode ${mode}`,
  spec: AGENT_SERVER,
  checks: mode === "values" || mode === "messages-tuple" ? COMPLETE : STREAMED,
  requires: needsGraphs("agent"),
  run: (ctx) => threadStream(ctx, mode, { assistant_id: ctx.graph("agent"), input: userMessage("tool: hi"), config: ctx.runConfig(SLOW), stream_mode: [mode] }, expectation([mode], { producedOverMs: ctx.producedOver(SLOW) })),
});

const subgraphs: NamedScenario = {
  title: "agent-server › subgraph events are namespaced",
  spec: AGENT_SERVER,
  checks: COMPLETE,
  requires: needsGraphs("subgraph"),
  run: (ctx) => {
    const modes = ["values", "updates", "messages-tuple"];
    return threadStream(ctx, `${modes.join("+")}+subgraphs`, { assistant_id: ctx.graph("subgraph"), input: userMessage(), config: ctx.runConfig(SLOW), stream_mode: modes, stream_subgraphs: true }, expectation(modes, { subgraphs: true, producedOverMs: ctx.producedOver(SLOW) }));
  },
};

const failing: NamedScenario = {
  title: "agent-server › a failing run ends with an error event",
  spec: AGENT_SERVER,
  checks: STREAMED,
  requires: needsGraphs("error"),
  run: (ctx) => threadStream(ctx, "values+error", { assistant_id: ctx.graph("error"), input: userMessage(), stream_mode: ["values", "messages-tuple"] }, expectation(["values", "messages-tuple"], { expectError: true })),
};

const stateless: NamedScenario = {
  title: "agent-server › stateless run stream",
  spec: AGENT_SERVER,
  checks: STREAMED,
  requires: needsGraphs("agent"),
  run: async (ctx) => {
    const modes = ["values", "messages-tuple"];
    const req = streamReq(ctx.request(AGENT_SERVER, "POST", "/runs/stream", { assistant_id: ctx.graph("agent"), input: userMessage(), config: ctx.runConfig(SLOW), stream_mode: modes }));
    await ctx.stream(AGENT_SERVER, STATELESS_STREAM, modes.join("+"), req, expectation(modes, { producedOverMs: ctx.producedOver(SLOW) }));
  },
};

const join: NamedScenario = {
  title: "agent-server › joining a background run's stream",
  spec: AGENT_SERVER,
  checks: STREAMED,
  requires: needsGraphs("agent"),
  run: (ctx) =>
    withThread(ctx, async (tid) => {
      const created = await ctx.call(AGENT_SERVER, "create_run_threads__thread_id__runs_post", ctx.request(AGENT_SERVER, "POST", `/threads/${tid}/runs`, { assistant_id: ctx.graph("agent"), input: userMessage(), config: ctx.runConfig(SLOW) }));
      const rid = json(created)?.run_id;
      if (!rid) return;
      // A background run streams `values` by default. A joiner may attach mid-run (or see a replay first),
      // so its delivery is not judged.
      await ctx.stream(AGENT_SERVER, JOIN_STREAM, "values (join)", streamReq(ctx.request(AGENT_SERVER, "GET", `/threads/${tid}/runs/${rid}/stream`)), expectation(["values"]));
      await pollUntil(async () => json(await ctx.call(AGENT_SERVER, "get_run_http_threads__thread_id__runs__run_id__get", ctx.request(AGENT_SERVER, "GET", `/threads/${tid}/runs/${rid}`)))?.status, (s) => TERMINAL_RUN.includes(s));
    }),
};

export const AGENT_SERVER_STREAM_SCENARIOS: NamedScenario[] = [...AGENT_SERVER_MODES.map(modeScenario), subgraphs, failing, stateless, join];
