/**
 * Run-lifecycle scenarios on the Agent Server: statuses move forward, threads go busy and back, cancel,
 * the four multitask strategies and the documented default, on_disconnect, and resumable streams.
 */
import type { CheckName } from "../../core/checks.ts";
import type { HttpRequest } from "../../core/exchange.ts";
import { needsGraphs, type NamedScenario, type ScenarioContext } from "./context.ts";
import { expectation, STREAMED, withThread } from "./agent-server.ts";
import { pollUntil } from "../../core/poll.ts";
import { AGENT_SERVER, json, streamReq, TERMINAL_RUN, userMessage } from "./wire.ts";

const CREATE_RUN = "create_run_threads__thread_id__runs_post";
const GET_RUN = "get_run_http_threads__thread_id__runs__run_id__get";
const GET_THREAD = "get_thread_threads__thread_id__get";
const CANCEL = "cancel_run_http_threads__thread_id__runs__run_id__cancel_post";
const THREAD_STREAM = "stream_run_threads__thread_id__runs_stream_post";
const JOIN_STREAM = "stream_run_http_threads__thread_id__runs__run_id__join_get";

/** A run long enough (~1.5 s) that a second request reliably finds it in flight. */
const long = (ctx: ScenarioContext) => ({ assistant_id: ctx.graph("agent"), input: userMessage(), config: ctx.runConfig({ tokens: 60, delayMs: 25 }) });
const RANK: Record<string, number> = { pending: 0, running: 1, success: 2, error: 2, interrupted: 2, timeout: 2 };

const getRun = async (ctx: ScenarioContext, tid: string, rid: string) =>
  json(await ctx.call(AGENT_SERVER, GET_RUN, ctx.request(AGENT_SERVER, "GET", `/threads/${tid}/runs/${rid}`)))?.status as string | undefined;
const getThread = async (ctx: ScenarioContext, tid: string) => json(await ctx.call(AGENT_SERVER, GET_THREAD, ctx.request(AGENT_SERVER, "GET", `/threads/${tid}`)))?.status as string | undefined;

async function startRun(ctx: ScenarioContext, tid: string, body: object = long(ctx)): Promise<{ rid?: string; req: HttpRequest; status: number }> {
  const req = ctx.request(AGENT_SERVER, "POST", `/threads/${tid}/runs`, body);
  const x = await ctx.call(AGENT_SERVER, CREATE_RUN, req);
  return { rid: json(x)?.run_id, req, status: x.response.status };
}

async function runUntilEnd(ctx: ScenarioContext, tid: string, rid: string): Promise<string[]> {
  return pollUntil(async () => (await getRun(ctx, tid, rid)) ?? "missing", (s) => TERMINAL_RUN.includes(s) || s === "missing");
}

/** Waits until the run is picked up by a worker (the JS server polls its queue with up to 1 s of jitter). */
const untilRunning = (ctx: ScenarioContext, tid: string, rid: string) => pollUntil(async () => (await getRun(ctx, tid, rid)) ?? "missing", (s) => s !== "pending");

const runStatusForward: NamedScenario = {
  title: "agent-server › run status only moves forward",
  spec: AGENT_SERVER,
  requires: needsGraphs("agent"),
  checks: ["run_status_forward_only"],
  run: (ctx) =>
    withThread(ctx, async (tid) => {
      const { rid, req } = await startRun(ctx, tid);
      if (!rid) return;
      const seen = await runUntilEnd(ctx, tid, rid);
      for (let i = 0; i < 2; i++) seen.push((await getRun(ctx, tid, rid)) ?? "missing");
      const problems: string[] = [];
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        if ((RANK[b] ?? -1) < (RANK[a] ?? -1) || (RANK[a] === 2 && a !== b)) problems.push(`status went ${a} → ${b} (sequence ${seen.join(" → ")})`);
      }
      if (!TERMINAL_RUN.includes(seen.at(-1)!)) problems.push(`the run never reached a terminal status (last: ${seen.at(-1)})`);
      ctx.verdict(AGENT_SERVER, GET_RUN, "-", "run_status_forward_only", problems.slice(0, 1), { ...req, method: "GET", url: `${ctx.target.agentServerUrl}/threads/${tid}/runs/${rid}`, body: undefined });
    }),
};

const threadStatus: NamedScenario = {
  title: "agent-server › thread status follows its runs",
  spec: AGENT_SERVER,
  requires: needsGraphs("agent", "error", "interrupt"),
  checks: ["thread_status_lifecycle"],
  run: async (ctx) => {
    const cases: [string, object, string][] = [
      ["success", long(ctx), "idle"],
      ["error", { assistant_id: ctx.graph("error"), input: userMessage() }, "error"],
      ["interrupt", { assistant_id: ctx.graph("interrupt"), input: userMessage() }, "interrupted"],
    ];
    for (const [label, body, after] of cases)
      await withThread(ctx, async (tid) => {
        const problems: string[] = [];
        const initial = await getThread(ctx, tid);
        if (initial !== "idle") problems.push(`a new thread is ${initial}, expected idle`);
        const { rid, req } = await startRun(ctx, tid, body);
        if (!rid) return;
        // Statuses only move forward: if the run is still in flight after the thread was read, it was in
        // flight when the thread was read, so the thread must have said busy. (A run that already ended
        // leaves this observation inconclusive, never wrong.)
        const during = await getThread(ctx, tid);
        const run = await getRun(ctx, tid, rid);
        if ((run === "pending" || run === "running") && during !== "busy") problems.push(`a thread with a run in flight (${run}) is ${during}, expected busy`);
        await runUntilEnd(ctx, tid, rid);
        // The thread's status is written just after the run's own; allow it a moment.
        const final = (await pollUntil(() => getThread(ctx, tid), (s) => s === after, { timeoutMs: 3000 })).at(-1);
        if (final !== after) problems.push(`after a run that ended in ${label}, the thread is ${final}, expected ${after}`);
        ctx.verdict(AGENT_SERVER, GET_THREAD, label, "thread_status_lifecycle", problems, req);
      });
  },
};

const cancel: NamedScenario = {
  title: "agent-server › cancel interrupts a running run",
  spec: AGENT_SERVER,
  requires: needsGraphs("agent"),
  checks: ["cancel_interrupts_run"],
  run: (ctx) =>
    withThread(ctx, async (tid) => {
      const { rid } = await startRun(ctx, tid);
      if (!rid) return;
      await untilRunning(ctx, tid, rid);
      const req = ctx.request(AGENT_SERVER, "POST", `/threads/${tid}/runs/${rid}/cancel`);
      await ctx.call(AGENT_SERVER, CANCEL, req);
      const final = (await runUntilEnd(ctx, tid, rid)).at(-1);
      ctx.verdict(AGENT_SERVER, CANCEL, "-", "cancel_interrupts_run", final === "interrupted" ? [] : [`a cancelled run ended ${final}, expected interrupted`], req);
    }),
};

/** The ids of the interrupts a thread holds (its `interrupts` map of task → interrupts), and its status. */
async function pending(ctx: ScenarioContext, tid: string): Promise<{ status?: string; ids: string[] }> {
  const t = json(await ctx.call(AGENT_SERVER, GET_THREAD, ctx.request(AGENT_SERVER, "GET", `/threads/${tid}`)));
  const lists = Object.values((t?.interrupts ?? {}) as Record<string, unknown>);
  const ids = lists.flatMap((l) => (Array.isArray(l) ? l : [])).map((i) => (i as { id?: unknown })?.id).filter((id): id is string => typeof id === "string");
  return { status: t?.status, ids };
}

/**
 * A run whose command.resume answers the interrupt the thread is waiting at: "value handed to an
 * interrupted node". The graph goes on from there, so the run succeeds and that interrupt is no longer
 * pending (the graph may stop at another one: then only the one answered must be gone).
 */
const resumeInterrupted: NamedScenario = {
  title: "agent-server › resume an interrupted thread",
  spec: AGENT_SERVER,
  requires: needsGraphs("interrupt"),
  checks: ["resume_after_interrupt"],
  run: (ctx) =>
    withThread(ctx, async (tid) => {
      const first = await startRun(ctx, tid, { assistant_id: ctx.graph("interrupt"), input: userMessage() });
      if (!first.rid) return;
      await runUntilEnd(ctx, tid, first.rid);
      const before = (await pollUntil(() => pending(ctx, tid), (p) => p.status === "interrupted", { timeoutMs: 3000 })).at(-1)!;
      const where = { spec: AGENT_SERVER, operationId: CREATE_RUN, streamMode: "resume" };
      // thread_status_lifecycle judges a thread that does not say interrupted; there is nothing to resume.
      if (before.status !== "interrupted") return ctx.rec.stream(where, "resume_after_interrupt", { notJudged: `the interrupt graph's run left its thread ${before.status}, not interrupted` });
      const resumed = await startRun(ctx, tid, { assistant_id: ctx.graph("interrupt"), command: { resume: "approved" } });
      const problems: string[] = [];
      if (!resumed.rid) problems.push(`a run with command.resume on the interrupted thread was not created (${resumed.status})`);
      else {
        const end = (await runUntilEnd(ctx, tid, resumed.rid)).at(-1);
        if (end !== "success") problems.push(`the run that resumed the thread ended ${end}, expected success`);
        const answered = (p: { status?: string; ids: string[] }) => (before.ids.length ? !p.ids.some((id) => before.ids.includes(id)) : p.status !== "interrupted");
        const after = (await pollUntil(() => pending(ctx, tid), answered, { timeoutMs: 3000 })).at(-1)!;
        if (!answered(after)) problems.push(before.ids.length ? `after the resume the thread still holds the interrupt it answered (${before.ids.join(", ")})` : "after the resume the thread is still interrupted");
      }
      ctx.verdict(AGENT_SERVER, CREATE_RUN, "resume", "resume_after_interrupt", problems, resumed.req);
    }),
};

/** What each multitask strategy must do to the first run and the second, per the Agent Server's documentation. */
const STRATEGIES: { strategy?: string; check: CheckName; expect: string }[] = [
  { strategy: "reject", check: "multitask_reject", expect: "the second run is refused with 409 and the first finishes" },
  { strategy: "enqueue", check: "multitask_enqueue", expect: "both runs succeed, the second after the first" },
  { strategy: "interrupt", check: "multitask_interrupt", expect: "the first run is interrupted and the second succeeds" },
  { strategy: "rollback", check: "multitask_rollback", expect: "the first run is deleted and the second succeeds" },
  { check: "multitask_default", expect: "without a strategy the documented default, enqueue, applies" },
];

const multitask = (s: (typeof STRATEGIES)[number]): NamedScenario => ({
  title: `agent-server › multitask ${s.strategy ?? "default"}`,
  spec: AGENT_SERVER,
  requires: needsGraphs("agent"),
  checks: [s.check],
  run: (ctx) =>
    withThread(ctx, async (tid) => {
      const first = await startRun(ctx, tid);
      if (!first.rid) return;
      await untilRunning(ctx, tid, first.rid);
      const second = await startRun(ctx, tid, s.strategy ? { ...long(ctx), multitask_strategy: s.strategy } : long(ctx));
      const problems: string[] = [];
      const strategy = s.strategy ?? "enqueue";
      if (strategy === "reject") {
        if (second.status !== 409) problems.push(`the second run got ${second.status}, expected 409 Conflict`);
        const end1 = (await runUntilEnd(ctx, tid, first.rid)).at(-1);
        if (end1 !== "success") problems.push(`the first run ended ${end1}, expected success`);
      } else {
        if (!second.rid) problems.push(`the second run was not created (${second.status})`);
        else {
          const end2 = (await runUntilEnd(ctx, tid, second.rid)).at(-1);
          const end1 = (await runUntilEnd(ctx, tid, first.rid)).at(-1);
          if (end2 !== "success") problems.push(`the second run ended ${end2}, expected success`);
          const want = { enqueue: "success", interrupt: "interrupted", rollback: "missing" }[strategy];
          if (end1 !== want) problems.push(`the first run ${end1 === "missing" ? "was deleted" : `ended ${end1}`}, expected ${want === "missing" ? "it to be deleted (404)" : want}`);
        }
      }
      ctx.verdict(AGENT_SERVER, CREATE_RUN, strategy, s.check, problems.map((p) => `${p} — ${s.expect}`), second.req);
    }),
});

const onDisconnect = (mode: "cancel" | "continue"): NamedScenario => ({
  title: `agent-server › on_disconnect ${mode}`,
  spec: AGENT_SERVER,
  requires: needsGraphs("agent"),
  checks: [...STREAMED, `on_disconnect_${mode}` as const],
  run: (ctx) =>
    withThread(ctx, async (tid) => {
      const req = streamReq(ctx.request(AGENT_SERVER, "POST", `/threads/${tid}/runs/stream`, { ...long(ctx), on_disconnect: mode, stream_mode: ["messages-tuple"] }));
      let rid: string | undefined;
      await ctx.stream(AGENT_SERVER, THREAD_STREAM, `on_disconnect=${mode}`, req, expectation(["messages-tuple"]), {
        onEvent(e, abort) {
          if (e.index === 0) rid = JSON.parse(e.data)?.run_id;
          if (e.index === 3) abort();
        },
      });
      if (!rid) return;
      // A run that had already ended when the client left (a slow path in front of a quick run) says nothing
      // about on_disconnect: not judged rather than a claim about cancelling.
      const atLeave = await getRun(ctx, tid, rid);
      if (mode === "cancel" && (atLeave === "success" || atLeave === "error")) {
        ctx.rec.stream({ spec: AGENT_SERVER, operationId: THREAD_STREAM, streamMode: `on_disconnect=${mode}` }, "on_disconnect_cancel", { notJudged: `the run had already ended (${atLeave}) when the client left, so leaving could not cancel it` });
        return;
      }
      const final = (await runUntilEnd(ctx, tid, rid)).at(-1);
      const want = mode === "cancel" ? "interrupted" : "success";
      ctx.verdict(AGENT_SERVER, THREAD_STREAM, `on_disconnect=${mode}`, `on_disconnect_${mode}`, final === want ? [] : [`after the client left, the run ended ${final}, expected ${want}`], req);
    }),
});

const resume: NamedScenario = {
  title: "agent-server › resumable stream replays and resumes exactly",
  spec: AGENT_SERVER,
  requires: needsGraphs("agent"),
  checks: [...STREAMED, "resume_replay_equals_original", "resume_after_id_exact"],
  run: (ctx) =>
    withThread(ctx, async (tid) => {
      const body = { assistant_id: ctx.graph("agent"), input: userMessage(), stream_resumable: true, stream_mode: ["values", "messages-tuple"], config: ctx.runConfig({ tokens: 12, delayMs: 5 }) };
      const original = await ctx.stream(AGENT_SERVER, THREAD_STREAM, "values+messages-tuple (resumable)", streamReq(ctx.request(AGENT_SERVER, "POST", `/threads/${tid}/runs/stream`, body)), expectation(["values", "messages-tuple"], { idsRequired: true }), { keepLog: true });
      const log = original.log ?? [];
      const rid = log[0] ? JSON.parse(log[0].data)?.run_id : undefined;
      if (!rid || log.length < 4) return;
      const join = (lastEventId: string) =>
        ctx.stream(AGENT_SERVER, JOIN_STREAM, `resume from ${lastEventId}`, streamReq(ctx.request(AGENT_SERVER, "GET", `/threads/${tid}/runs/${rid}/stream`), { "last-event-id": lastEventId }), expectation(["values", "messages-tuple"], { idsRequired: true, resumed: lastEventId !== "-1" }), { keepLog: true, limits: { deadlineMs: 15_000 } });
      const key = (e: { id?: string; event: string; data: string }) => `${e.id}|${e.event}|${e.data}`;
      const compare = (got: typeof log, want: typeof log) => {
        const g = got.map(key);
        const w = want.map(key);
        if (g.length === w.length && g.every((x, i) => x === w[i])) return [];
        const firstDiff = w.findIndex((x, i) => g[i] !== x);
        return [`got ${g.length} events, expected ${w.length}; first difference at position ${firstDiff < 0 ? g.length : firstDiff} (expected id ${want[firstDiff]?.id ?? "-"}, got id ${got[firstDiff]?.id ?? "-"})`];
      };
      const replayReq = streamReq(ctx.request(AGENT_SERVER, "GET", `/threads/${tid}/runs/${rid}/stream`), { "last-event-id": "-1" });
      ctx.verdict(AGENT_SERVER, JOIN_STREAM, "Last-Event-ID: -1", "resume_replay_equals_original", compare((await join("-1")).log ?? [], log), replayReq);
      // Resume after an event its id names alone: the document does not make ids unique (the Python server's
      // are millisecond stamps, shared by events of one millisecond), and "after" a shared id is ambiguous.
      const middle = nearestUniquelyNamed(log, Math.floor(log.length / 2));
      if (!middle) {
        ctx.rec.stream({ spec: AGENT_SERVER, operationId: JOIN_STREAM, streamMode: "Last-Event-ID: <middle event>" }, "resume_after_id_exact", { notJudged: "every event id of the original stream is shared with another event, so none names one event to resume after" });
        return;
      }
      const after = log.slice(log.indexOf(middle) + 1);
      const resumeReq = streamReq(ctx.request(AGENT_SERVER, "GET", `/threads/${tid}/runs/${rid}/stream`), { "last-event-id": middle.id! });
      ctx.verdict(AGENT_SERVER, JOIN_STREAM, `Last-Event-ID: ${middle.id}`, "resume_after_id_exact", compare((await join(middle.id!)).log ?? [], after), resumeReq);
    }),
};

/** The event nearest to `at` (not the last, so something follows it) whose id no other event carries. */
export function nearestUniquelyNamed<E extends { id?: string }>(log: E[], at: number): E | undefined {
  const count = new Map<string, number>();
  for (const e of log) if (e.id) count.set(e.id, (count.get(e.id) ?? 0) + 1);
  const candidates = log.slice(0, -1).map((e, i) => ({ e, d: Math.abs(i - at) })).filter(({ e }) => e.id && count.get(e.id) === 1);
  return candidates.sort((a, b) => a.d - b.d)[0]?.e;
}

export const LIFECYCLE_SCENARIOS: NamedScenario[] = [runStatusForward, threadStatus, cancel, resumeInterrupted, ...STRATEGIES.map(multitask), onDisconnect("cancel"), onDisconnect("continue"), resume];
