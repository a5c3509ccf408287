/** Stream scenarios of the Managed Deep Agents API: its three stream modes, what it must refuse, and interrupts. */
import type { ScenarioContext, NamedScenario } from "./context.ts";
import { AGENT_SERVER_MODES, MANAGED_MODES } from "../grammar/modes.ts";
import { STREAM_RULE_NAMES } from "../grammar/rules.ts";
import { checkComplete } from "./complete.ts";
import { pollUntil } from "../../core/poll.ts";
import type { CheckName } from "../../core/checks.ts";
import type { ModelPace, Target } from "../../core/target.ts";
import { json, MANAGED, MANAGED_TUPLE_KEYS, streamReq, userMessage } from "./wire.ts";

const STREAM_OP = "streamManagedDeepAgentThreadRun";
const STREAMED = STREAM_RULE_NAMES;
const COMPLETE = [...STREAMED, "stream_complete" as const];
// Long enough (30 tokens × 15 ms) for delivery to be judged, short enough to keep the suite quick.
const PACE: ModelPace = { tokens: 30, delayMs: 15 };

function runtime(ctx: ScenarioContext) {
  const modelId = ctx.modelId(PACE);
  return modelId ? { runtime: { model: { model_id: modelId } } } : {};
}

/** On a target that is not an embedded reference, runs go only to the agent the user named. */
const namedAgent = (t: Target) => (t.embedded || t.agentId ? undefined : "runs a Managed agent, a model call on the target: name the agent runs may use with --agent-id");
/** Only the embedded reference's agents can be made to ask approval before a tool without a real model. */
const embeddedOnly = (why: string) => (t: Target) => (t.embedded ? undefined : `needs ${why}, which only the embedded reference provides without a paid model`);

/** The embedded reference gets an agent of the scenario's own; another target, the agent the user named. */
async function withAgent(ctx: ScenarioContext, extra: object, body: (agentId: string) => Promise<void>) {
  if (!ctx.target.embedded) return body(ctx.target.agentId!);
  const created = await ctx.setup(MANAGED, "createManagedDeepAgent", ctx.request(MANAGED, "POST", "/agents", { name: `agentwire stream ${ctx.tag}`, ...runtime(ctx), extras: { agentwire: ctx.tag }, ...extra }), "id");
  const agentId = created.id as string;
  try {
    await body(agentId);
  } finally {
    await ctx.call(MANAGED, "deleteManagedDeepAgent", ctx.request(MANAGED, "DELETE", `/agents/${agentId}`));
  }
}

async function newThread(ctx: ScenarioContext, agentId: string): Promise<string> {
  const t = await ctx.setup(MANAGED, "createManagedDeepAgentThread", ctx.request(MANAGED, "POST", "/threads", { agent_id: agentId, metadata: { agentwire: ctx.tag } }), "id");
  return t.id as string;
}

async function streamOnce(ctx: ScenarioContext, agentId: string, label: string, body: object) {
  const threadId = await newThread(ctx, agentId);
  try {
    const req = streamReq(ctx.request(MANAGED, "POST", `/threads/${threadId}/runs/stream`, { agent_id: agentId, input: userMessage(), ...body }));
    const modes = (body as { stream_mode?: string[] }).stream_mode ?? ["values"];
    const judged = await ctx.stream(MANAGED, STREAM_OP, label, req, {
      modes,
      subgraphs: (body as { stream_subgraphs?: boolean }).stream_subgraphs === true,
      idsRequired: false,
      producedOverMs: ctx.producedOver(PACE),
      expectError: false,
      ...MANAGED_TUPLE_KEYS,
    });
    const read = async () => json(await ctx.call(MANAGED, "getManagedDeepAgentThread", ctx.request(MANAGED, "GET", `/threads/${threadId}`)));
    await checkComplete(ctx, MANAGED, STREAM_OP, label, modes, req, judged, read);
    return judged;
  } finally {
    await ctx.call(MANAGED, "deleteManagedDeepAgentThread", ctx.request(MANAGED, "DELETE", `/threads/${threadId}`));
  }
}

const modeScenario = (mode: string): NamedScenario => ({
  title: `managed › stream mode ${mode}`,
  spec: MANAGED,
  checks: mode === "updates" ? STREAMED : COMPLETE,
  requires: namedAgent,
  run: (ctx) => withAgent(ctx, {}, async (agentId) => void (await streamOnce(ctx, agentId, mode, { stream_mode: [mode] }))),
});

const combined: NamedScenario = {
  title: "managed › all stream modes with subgraphs",
  spec: MANAGED,
  checks: COMPLETE,
  requires: namedAgent,
  run: (ctx) =>
    withAgent(ctx, {}, async (agentId) => void (await streamOnce(ctx, agentId, MANAGED_MODES.join("+"), { stream_mode: MANAGED_MODES, stream_subgraphs: true }))),
};

/** Modes the Agent Server knows but the Managed API documents as not accepted. */
const REFUSED_MODES = AGENT_SERVER_MODES.filter((m) => !MANAGED_MODES.includes(m));

const refusals: NamedScenario = {
  title: "managed › refuses other stream modes and assistant_id",
  spec: MANAGED,
  checks: ["managed_stream_modes_restricted", "managed_assistant_id_rejected"],
  // A server that wrongly accepts these requests would start runs.
  requires: namedAgent,
  run: (ctx) =>
    withAgent(ctx, {}, async (agentId) => {
      const threadId = await newThread(ctx, agentId);
      const attempt = async (label: string, check: CheckName, body: object, what: string) => {
        const req = streamReq(ctx.request(MANAGED, "POST", `/threads/${threadId}/runs/stream`, { agent_id: agentId, input: userMessage(), ...body }));
        const x = await ctx.call(MANAGED, STREAM_OP, req, { kind: "invalid", what });
        const { status } = x.response;
        const code = json(x)?.code;
        const problems = status === 400 && code === "invalid_request_body" ? [] : [`expected 400 invalid_request_body, got ${status}${code ? ` ${code}` : ""}`];
        ctx.verdict(MANAGED, STREAM_OP, label, check, problems, req);
      };
      for (const mode of REFUSED_MODES) await attempt(mode, "managed_stream_modes_restricted", { stream_mode: [mode] }, `stream_mode ${mode} is not accepted`);
      await attempt("values", "managed_assistant_id_rejected", { assistant_id: agentId, stream_mode: ["values"] }, "assistant_id is rejected");
      await ctx.call(MANAGED, "deleteManagedDeepAgentThread", ctx.request(MANAGED, "DELETE", `/threads/${threadId}`));
    }),
};

const resolveInterrupt: NamedScenario = {
  title: "managed › interrupt then resolve-interrupt",
  spec: MANAGED,
  checks: [...STREAMED, "managed_resolve_interrupt"],
  requires: embeddedOnly("an agent that asks approval before a tool"),
  run: (ctx) =>
    withAgent(ctx, { tools: { interrupt_config: { write_todos: true } } }, async (agentId) => {
      const threadId = await newThread(ctx, agentId);
      const op = "resolveManagedDeepAgentThreadInterrupt";
      const streamed = await ctx.stream(
        MANAGED,
        STREAM_OP,
        "updates",
        streamReq(ctx.request(MANAGED, "POST", `/threads/${threadId}/runs/stream`, { agent_id: agentId, input: userMessage(), stream_mode: ["updates"] })),
        { modes: ["updates"], subgraphs: false, idsRequired: false, expectError: false, ...MANAGED_TUPLE_KEYS },
      );
      const problems: string[] = [];
      if (!streamed.head.some((e) => e.data.includes("__interrupt__"))) problems.push("the run needing approval did not stop at an interrupt (__interrupt__ update)");
      const getThread = () => ctx.call(MANAGED, "getManagedDeepAgentThread", ctx.request(MANAGED, "GET", `/threads/${threadId}`));
      const before = json(await getThread())?.status;
      if (before !== "interrupted") problems.push(`an interrupted thread reports status ${JSON.stringify(before)}`);
      const resolveReq = ctx.request(MANAGED, "POST", `/threads/${threadId}/resolve-interrupt`);
      const resolved = await ctx.call(MANAGED, op, resolveReq);
      if (resolved.response.status !== 204) problems.push(`resolve-interrupt answered ${resolved.response.status}, expected 204`);
      const statuses = await pollUntil(async () => json(await getThread())?.status, (s) => s === "idle" || s === "error");
      if (statuses.at(-1) !== "idle") problems.push(`after resolve-interrupt the thread stayed ${JSON.stringify(statuses.at(-1))} (expected it to resume and go idle)`);
      ctx.verdict(MANAGED, op, "updates", "managed_resolve_interrupt", problems, resolveReq);
      await ctx.call(MANAGED, "deleteManagedDeepAgentThread", ctx.request(MANAGED, "DELETE", `/threads/${threadId}`));
    }),
};

/**
 * The tools a stream's interrupts ask approval for: the action requests of each `__interrupt__` value (the
 * JS middleware spells them actionRequests). Undefined when no interrupt names its tools.
 */
export function approvalsAsked(events: { event: string; data: string }[]): string[] | undefined {
  const names: string[] = [];
  let named = false;
  for (const e of events) {
    if (e.event !== "updates") continue;
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      continue; // event_payloads reports data that is not JSON
    }
    const interrupts = (data as { __interrupt__?: unknown })?.__interrupt__;
    for (const i of Array.isArray(interrupts) ? interrupts : []) {
      const value = (i as { value?: Record<string, unknown> })?.value;
      const requests = value?.action_requests ?? value?.actionRequests;
      if (!Array.isArray(requests)) continue;
      named = true;
      for (const r of requests) names.push(String((r as { name?: unknown })?.name));
    }
  }
  return named ? names : undefined;
}

/** The reference's MCP tool, which its agents call when they list it (only the embedded reference is run here). */
const MCP_TOOL = "echo";

const approvalForConfiguredTool: NamedScenario = {
  title: "managed › approval for the configured tool only",
  spec: MANAGED,
  checks: [...STREAMED, "managed_approval_configured_tools"],
  requires: embeddedOnly("an agent that calls a given MCP tool"),
  run: (ctx) => {
    const server = ctx.target.mcpUrl ?? "https://127.0.0.1/mcp";
    // The document's own example spells the key with the server's name after the tool (extra parts ignored).
    const key = `${server}::${MCP_TOOL}::reference`;
    const tools = { tools: [{ name: MCP_TOOL, mcp_server_url: server, mcp_server_name: "reference" }], interrupt_config: { [key]: true } };
    return withAgent(ctx, { tools }, async (agentId) => {
      const threadId = await newThread(ctx, agentId);
      const req = streamReq(ctx.request(MANAGED, "POST", `/threads/${threadId}/runs/stream`, { agent_id: agentId, input: userMessage(), stream_mode: ["updates"] }));
      const streamed = await ctx.stream(MANAGED, STREAM_OP, "updates", req, { modes: ["updates"], subgraphs: false, idsRequired: false, expectError: false, ...MANAGED_TUPLE_KEYS }, { keepLog: true });
      if (streamed.status < 300) {
        const asked = approvalsAsked(streamed.log ?? []);
        const problems: string[] = [];
        if (!asked?.length) problems.push(`the run of an agent that calls ${MCP_TOOL} did not stop for approval before it, though interrupt_config sets ${JSON.stringify(key)} to true`);
        const others = [...new Set((asked ?? []).filter((n) => n !== MCP_TOOL))];
        if (others.length) problems.push(`the run asked approval for ${others.join(", ")}, which interrupt_config does not name (it names only ${MCP_TOOL})`);
        ctx.verdict(MANAGED, STREAM_OP, "updates", "managed_approval_configured_tools", problems, req);
      }
      await ctx.call(MANAGED, "deleteManagedDeepAgentThread", ctx.request(MANAGED, "DELETE", `/threads/${threadId}`));
    });
  },
};

export const MANAGED_SCENARIOS: NamedScenario[] = [...MANAGED_MODES.map(modeScenario), combined, refusals, resolveInterrupt, approvalForConfiguredTool];
