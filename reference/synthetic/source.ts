/**
 * A calibration stream source. Per request it sends a `metadata` event at once, then N token events in the
 * Agent Server's messages-tuple shape, the first F ms after the request arrived and then one every G ms, and
 * closes. Each event carries its send time on the shared monotonic clock (clock.ts), so a client can measure
 * its own timestamping error against what the server actually did.
 *
 * Routes (any prefix, so both APIs' paths work): POST …/threads → a thread; POST …/runs/stream and GET
 * /stream → the stream. Schedule from the query string (`first_ms`, `gap_ms`, `events`), else from the body's
 * config.configurable (fake_first_token_delay_ms + fake_delay_ms, fake_delay_ms, fake_tokens — the
 * scripted model's settings), else 10 ms / 5 ms / 20. `batch` (or `synthetic_batch`) writes that many events
 * at once, every batch·G ms: a source cheap enough per event to load a client to its limit.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { monotonicStamp } from "./clock.ts";

export interface Schedule {
  firstMs: number;
  gapMs: number;
  events: number;
  /** Events per write (default 1). */
  batch: number;
}

const DEFAULT_SCHEDULE: Schedule = { firstMs: 10, gapMs: 5, events: 20, batch: 1 };
const MAX_BATCH = 1000;
const MAX_MS = 60_000;
const MAX_EVENTS = 100_000;

export interface SyntheticSource {
  url: string;
  stop(): Promise<void>;
}

/** Metadata keys the source adds: when it received the request, and when it wrote each event. */
export const RECEIVED_KEY = "agentwire_received_ns";
export const SENT_KEY = "agentwire_sent_ns";

export async function startSyntheticSource(options: { port?: number } = {}): Promise<SyntheticSource> {
  const live = new Set<() => void>();
  const server = createServer((req, res) => {
    handle(req, res, live).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 10_000;
  // A thousand clients connecting at once must not overflow the accept queue (a dropped SYN costs 1 s).
  await new Promise<void>((resolve) => server.listen({ port: options.port ?? 0, host: "127.0.0.1", backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      for (const cancel of live) cancel();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, live: Set<() => void>): Promise<void> {
  const arrived = performance.now();
  const receivedNs = monotonicStamp();
  const url = new URL(req.url ?? "/", "http://source");
  const body = await readJson(req);
  const path = url.pathname.replace(/\/+$/, "");
  if (req.method === "POST" && path.endsWith("/threads")) {
    const thread_id = randomUUID();
    json(res, 200, { thread_id, status: "idle", metadata: {}, values: null, created_at: new Date().toISOString() });
  } else if ((req.method === "POST" && path.endsWith("/runs/stream")) || (req.method === "GET" && path === "/stream")) {
    let schedule: Schedule;
    try {
      schedule = scheduleFrom(url.searchParams, body);
    } catch (error) {
      json(res, 400, { detail: (error as Error).message });
      return;
    }
    stream(res, schedule, arrived, receivedNs, live);
  } else json(res, 404, { detail: `no route ${req.method} ${url.pathname}` });
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 1_000_000) return undefined;
  }
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function int(name: string, raw: unknown, max: number): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} must be an integer from 0 to ${max}`);
  return n;
}

function scheduleFrom(query: URLSearchParams, body: unknown): Schedule {
  const c = ((body as { config?: { configurable?: Record<string, unknown> } } | undefined)?.config?.configurable ?? {}) as Record<string, unknown>;
  const gapMs = int("gap_ms", query.get("gap_ms"), MAX_MS) ?? int("fake_delay_ms", c.fake_delay_ms, MAX_MS) ?? DEFAULT_SCHEDULE.gapMs;
  const bodyFirst = int("fake_first_token_delay_ms", c.fake_first_token_delay_ms, MAX_MS);
  const firstMs =
    int("first_ms", query.get("first_ms"), MAX_MS) ??
    (bodyFirst !== undefined || c.fake_delay_ms !== undefined ? (bodyFirst ?? 0) + gapMs : DEFAULT_SCHEDULE.firstMs);
  const events = int("events", query.get("events"), MAX_EVENTS) ?? int("fake_tokens", c.fake_tokens, MAX_EVENTS) ?? DEFAULT_SCHEDULE.events;
  const batch = Math.max(1, int("batch", query.get("batch"), MAX_BATCH) ?? int("synthetic_batch", c.synthetic_batch, MAX_BATCH) ?? DEFAULT_SCHEDULE.batch);
  return { firstMs, gapMs, events, batch };
}

function stream(res: ServerResponse, s: Schedule, arrived: number, receivedNs: string, live: Set<() => void>) {
  const runId = randomUUID();
  const messageId = `run-${runId}`;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.write(`event: metadata\ndata: ${JSON.stringify({ run_id: runId, attempt: 1, [RECEIVED_KEY]: receivedNs })}\nid: 0\n\n`);
  // Targets are absolute (request arrival + F + i·G) so timer lateness never accumulates.
  let i = 0;
  let timer: NodeJS.Timeout | undefined;
  const cancel = () => {
    clearTimeout(timer);
    live.delete(cancel);
  };
  live.add(cancel);
  res.on("close", cancel);
  const next = () => {
    if (i >= s.events) {
      cancel();
      res.end();
      return;
    }
    timer = setTimeout(tick, Math.max(0, arrived + s.firstMs + i * s.gapMs - performance.now()));
  };
  // Only the sequence number and the stamp change between events: build the rest once per stream.
  const chunkHead = `event: messages\ndata: [{"content":"tok`;
  const chunkTail = ` ","type":"AIMessageChunk","id":${JSON.stringify(messageId)},"tool_calls":[],"tool_call_chunks":[],"invalid_tool_calls":[],"additional_kwargs":{},"response_metadata":{}},{"langgraph_node":"model","run_id":${JSON.stringify(runId)},"agentwire_seq":`;
  const tick = () => {
    let out = "";
    for (let k = 0; k < s.batch && i < s.events; k++, i++) out += `${chunkHead}${i}${chunkTail}${i},"${SENT_KEY}":"${monotonicStamp()}"}]\nid: ${i + 1}\n\n`;
    res.write(out);
    next();
  };
  next();
}
