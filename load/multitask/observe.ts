/**
 * Concurrent runs on one thread: fires a burst of run creations at one Agent Server thread under one
 * multitask_strategy, samples the thread's run list while they execute, and records what became of each run
 * and of the thread. Pure I/O: the checks in ./checks.ts judge the observation.
 */
import type { ApiClient } from "../../core/client.ts";
import { jsonBody, type HttpRequest } from "../../core/exchange.ts";
import { sleep } from "../../core/poll.ts";
import { assertAllowedTarget } from "../driver/safety.ts";

export const STRATEGIES = ["reject", "enqueue", "interrupt", "rollback"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** A run's fate: its final status, "deleted" (GET answers 404) or "unfinished" (still in flight at the deadline). */
export type RunFate = string;

export interface BurstRun {
  /** Position in send order; the run's input message is `input`. */
  index: number;
  input: string;
  /** When it was sent, in ms after the burst started. */
  sentAtMs: number;
  createStatus: number;
  /** When the create request was answered, in ms after the burst started. */
  answeredAtMs?: number;
  /** When a sample of the thread's run list first showed it running, and first showed it out of flight or gone. */
  runningSeenAtMs?: number;
  endSeenAtMs?: number;
  /** First 200 characters of a refusal or failure body. */
  createBody?: string;
  runId?: string;
  createdAt?: string;
  /** The run's updated_at when it was last read (its end time once terminal). */
  updatedAt?: string;
  fate?: RunFate;
}

export interface ThreadObservation {
  strategy: Strategy;
  threadId: string;
  runs: BurstRun[];
  /** Run ids of the thread's run list at the end, in the order listed. */
  listed: string[];
  /** Most runs the sampled run lists showed `running` at once, and the ids when that exceeded one. */
  maxRunning: number;
  overlapping?: string[];
  /** The thread's status at the end, and the contents of its human messages in order. */
  threadStatus?: string;
  humanInputs: string[];
  /** The create request of the first run, for reproducers. */
  template: HttpRequest;
}

export interface BurstOptions {
  /** The Agent Server's client (its pool is shared by every burst). */
  client: ApiClient;
  assistantId: string;
  strategy: Strategy;
  runs: number;
  /** Gaps between sends are drawn uniformly from this range (ms): some land on a pending run, some on a running one. */
  gapMs: [number, number];
  random: () => number;
  deadlineMs: number;
  /** Thread metadata, so the suite's threads are recognisable. */
  metadata?: Record<string, string>;
  /** The `config` of every run (an embedded reference's model knobs). */
  runConfig?: Record<string, unknown>;
  /** Called with the thread's id as soon as it exists, so it is cleaned up whatever happens next. */
  onThread?: (threadId: string) => void;
  allowHosts?: string[];
  signal?: AbortSignal;
}

const IN_FLIGHT = new Set(["pending", "running"]);
const SAMPLE_EVERY_MS = 40;

export async function observeBurst(o: BurstOptions): Promise<ThreadObservation> {
  assertAllowedTarget(o.client.baseUrl, o.allowHosts);
  const post = (path: string, body: unknown) => o.client.request("POST", path, body);
  const call = async (req: HttpRequest) => {
    const { response } = await o.client.send(req, { signal: o.signal });
    return { status: response.status, text: response.body, json: jsonBody(response) as any };
  };
  const get = (path: string) => call(o.client.request("GET", path));

  const created = await call(post("/threads", { metadata: o.metadata ?? {} }));
  const threadId = created.json?.thread_id;
  if (created.status !== 200 || typeof threadId !== "string") throw new Error(`creating a thread answered ${created.status}: ${created.text.slice(0, 200)}`);
  o.onThread?.(threadId);

  const createRun = (input: string) =>
    post(`/threads/${threadId}/runs`, {
      assistant_id: o.assistantId,
      input: { messages: [{ role: "user", content: input }] },
      multitask_strategy: o.strategy,
      ...(o.runConfig ? { config: o.runConfig } : {}),
    });
  const runs: BurstRun[] = [];
  let offset = 0;
  for (let index = 0; index < o.runs; index++) {
    if (index > 0) offset += o.gapMs[0] + o.random() * (o.gapMs[1] - o.gapMs[0]);
    runs.push({ index, input: `agentwire ${o.strategy} run ${index} of ${o.runs} on ${threadId.slice(0, 8)}`, sentAtMs: Math.round(offset), createStatus: 0 });
  }

  const started = performance.now();
  const sends = runs.map(async (run) => {
    await sleep(run.sentAtMs);
    const res = await call(createRun(run.input));
    run.createStatus = res.status;
    run.answeredAtMs = Math.round(performance.now() - started);
    if (res.status >= 200 && res.status < 300 && typeof res.json?.run_id === "string") {
      run.runId = res.json.run_id;
      run.createdAt = res.json.created_at;
    } else run.createBody = res.text.slice(0, 200);
  });

  // Sample the run list until every send is answered and nothing listed is in flight, or the deadline.
  let sendsDone = false;
  const allSent = Promise.all(sends).finally(() => (sendsDone = true));
  let maxRunning = 0;
  let overlapping: string[] | undefined;
  // Runs still in flight at the deadline are read back as "unfinished" below.
  while (performance.now() - started <= o.deadlineMs) {
    const list = await get(`/threads/${threadId}/runs?limit=1000`);
    const listed: { run_id: string; status: string }[] = Array.isArray(list.json) ? list.json : [];
    const running = listed.filter((r) => r.status === "running").map((r) => r.run_id);
    noteTimes(runs, listed, Math.round(performance.now() - started));
    if (running.length > maxRunning) {
      maxRunning = running.length;
      if (running.length > 1) overlapping = running;
    }
    if (sendsDone && !listed.some((r) => IN_FLIGHT.has(r.status))) break;
    await sleep(SAMPLE_EVERY_MS);
  }
  await allSent;

  for (const run of runs) {
    if (!run.runId) continue;
    const got = await get(`/threads/${threadId}/runs/${run.runId}`);
    if (got.status === 404) run.fate = "deleted";
    else if (got.status === 200) {
      run.fate = IN_FLIGHT.has(got.json?.status) ? "unfinished" : String(got.json?.status);
      run.updatedAt = got.json?.updated_at;
    } else run.fate = `unreadable (GET answered ${got.status})`;
  }
  const finalList = await get(`/threads/${threadId}/runs?limit=1000`);
  const thread = await get(`/threads/${threadId}`);
  return {
    strategy: o.strategy,
    threadId,
    runs,
    listed: Array.isArray(finalList.json) ? finalList.json.map((r: { run_id: string }) => r.run_id) : [],
    maxRunning,
    overlapping,
    threadStatus: thread.json?.status,
    humanInputs: humanContents(thread.json?.values?.messages),
    template: createRun(runs[0]!.input),
  };
}

/** Records, for the report's timeline, when each answered run was first seen running and first seen done or gone. */
function noteTimes(runs: BurstRun[], listed: { run_id: string; status: string }[], atMs: number): void {
  const status = new Map(listed.map((r) => [r.run_id, r.status]));
  for (const run of runs) {
    if (!run.runId || run.endSeenAtMs !== undefined) continue;
    const now = status.get(run.runId);
    if (now === "running") run.runningSeenAtMs ??= atMs;
    else if (now === undefined || !IN_FLIGHT.has(now)) run.endSeenAtMs = atMs;
  }
}

function humanContents(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  return messages
    .filter((m) => m?.type === "human" || m?.role === "user" || m?.role === "human")
    .map((m) => (typeof m.content === "string" ? m.content : Array.isArray(m.content) ? m.content.map((p: { text?: string }) => p?.text ?? "").join("") : ""));
}
