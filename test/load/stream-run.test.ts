/**
 * The driver's read path (undici dispatcher handler, one stamp per chunk, the suite's strict parser): the
 * same events and metrics as the SSE reader on a known schedule, and every hostile stream ends at its bound
 * with memory flat and the documented error kind.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Agent } from "undici";
import { H1Pool } from "../../load/driver/h1.ts";
import { streamRun } from "../../load/driver/stream-run.ts";
import { runMetrics, type RunTimeline } from "../../load/metrics/timeline.ts";
import { startSyntheticSource, type SyntheticSource } from "../../reference/synthetic/source.ts";
import { tokenClassifier } from "../../streams/grammar/tokens.ts";
import { openSse } from "../../streams/sse/reader.ts";
import type { SseLimits } from "../../streams/sse/types.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const MiB = 1024 * 1024;
const SSE = { "content-type": "text/event-stream" };
const TOKEN = (i: number) => `event: messages\ndata: [{"content":"t${i}","type":"AIMessageChunk"},{}]\n\n`;

const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

async function flood(res: ServerResponse, chunk: Buffer) {
  while (!res.destroyed) {
    if (!res.write(chunk)) await new Promise<void>((r) => { const done = () => (res.off("drain", done), res.off("close", done), r()); res.on("drain", done).on("close", done); });
  }
}

let connections = 0;
let posted: string | undefined;
const routes: Record<string, (res: ServerResponse) => void> = {
  "/endless-line": (res) => (res.writeHead(200, SSE).write("event: messages\ndata: "), void flood(res, Buffer.alloc(64 * 1024, "a"))),
  "/endless-event": (res) => (res.writeHead(200, SSE).write("event: messages\n"), void flood(res, Buffer.from("data: abcdefghijklmnop\n".repeat(2000)))),
  "/endless-body": (res) => (res.writeHead(200, SSE), void flood(res, Buffer.from(TOKEN(1).repeat(2000)))),
  "/stall": (res) => res.writeHead(200, SSE).write(TOKEN(1)),
  "/no-headers": () => undefined,
  "/partial": (res) => res.writeHead(200, SSE).end(`${TOKEN(1)}${TOKEN(2)}data: cut`),
  "/error-event": (res) => res.writeHead(200, SSE).end(`${TOKEN(1)}event: error\ndata: {"error":"boom"}\n\n`),
  "/http-503": (res) => (res.writeHead(503, { "content-type": "text/plain" }), void flood(res, Buffer.alloc(64 * 1024, "e"))),
  // Framing of the HTTP/1.1 response itself, written raw.
  "/huge-head": (res) => res.socket!.write(`HTTP/1.1 200 OK\r\nx-big: ${"a".repeat(200_000)}`),
  "/bad-chunk": (res) => res.socket!.end(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${chunk(TOKEN(1))}zz\r\n`),
  "/endless-chunk-line": (res) => {
    const socket = res.socket!;
    socket.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
    const pump = () => {
      while (!socket.destroyed && socket.write(Buffer.alloc(1024, "1")));
      if (!socket.destroyed) socket.once("drain", pump);
    };
    pump();
  },
  "/length": (res) => res.writeHead(200, { ...SSE, "content-length": String(TOKEN(1).length) }).end(TOKEN(1)),
  "/close-delimited": (res) => res.socket!.end(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n${TOKEN(1)}${TOKEN(2)}`),
  "/interim": (res) => res.socket!.end(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: ${TOKEN(1).length}\r\n\r\n${TOKEN(1)}`),
  "/ok": (res) => res.writeHead(200, SSE).end(TOKEN(1)),
  "/reset": (res) => (res.writeHead(200, SSE).write(TOKEN(1)), setTimeout(() => res.socket?.destroy(), 20)),
};

let server: Server;
let base: string;
let source: SyntheticSource;
const dispatcher = new Agent({ connections: 8, bodyTimeout: 0, headersTimeout: 0 });
const h1 = new H1Pool();
before(async () => {
  server = createServer((req, res) => {
    if (req.method !== "POST") return routes[req.url ?? ""]?.(res);
    let body = "";
    req.on("data", (c) => (body += c)).on("end", () => ((posted = body), routes[req.url ?? ""]?.(res)));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  source = await startSyntheticSource();
});
after(async () => {
  h1.close();
  await dispatcher.destroy();
  server.closeAllConnections();
  server.close();
  await source.stop();
});

const limits = (over: Partial<SseLimits> = {}): SseLimits => ({ deadlineMs: 20_000, maxEvents: 1_000_000, ...over });

/** Both transports: the driver's own HTTP/1.1 client (http targets) and undici's dispatcher (https). */
const TRANSPORTS = [
  { name: "h1", h1 },
  { name: "undici", h1: undefined },
];
let transport = TRANSPORTS[0]!;

async function run(url: string, over: Partial<SseLimits> = {}, stop = new AbortController().signal, method = "GET") {
  const gaps: number[] = [];
  const request = { method, url, headers: { accept: "text/event-stream" }, body: method === "POST" ? "{}" : undefined };
  const timeline = await streamRun({ dispatcher, h1: transport.h1, request, limits: limits(over), mode: "messages-tuple", onGap: (ms) => gaps.push(ms), stop });
  return { timeline, gaps };
}

async function bounded(path: string, over: Partial<SseLimits>): Promise<{ t: RunTimeline; heapGrowth: number }> {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const { timeline: t } = await run(`${base}${path}`, over);
  gc();
  return { t, heapGrowth: process.memoryUsage().heapUsed - baseline };
}

for (const via of TRANSPORTS) {
  test(`${via.name}: on a known schedule: the reader's events, and metrics no earlier than the source could send them`, async () => {
    transport = via;
    const s = { first: 30, gap: 10, events: 8 };
    const url = `${source.url}/stream?first_ms=${s.first}&gap_ms=${s.gap}&events=${s.events}`;
    const { timeline: t, gaps } = await run(url);
    const m = runMetrics(t);
    assert.equal(t.error, undefined);
    assert.equal(t.status, 200);
    assert.equal(m.tokens, s.events);
    assert.equal(gaps.length, s.events - 1);
    // Lower bounds only: the source sends on an absolute schedule after the request arrives, which is after send.
    assert.ok(m.ttft! >= s.first - 1, `ttft ${m.ttft}`);
    assert.ok(m.e2e >= s.first + (s.events - 1) * s.gap - 1, `e2e ${m.e2e}`);
    assert.ok(m.timeToHeaders! <= m.timeToFirstEvent! && m.timeToFirstEvent! <= m.ttft!);
    assert.ok(Math.abs(m.tpot! - gaps.reduce((a, b) => a + b, 0) / gaps.length) < 1e-9, "tpot is the mean gap");
    assert.equal(m.maxGap, Math.max(...gaps));
    // The SSE reader sees the same stream as the same events, with the same token rule.
    const stream = await openSse({ method: "GET", url, headers: {} }, limits(), { dispatcher });
    const isToken = tokenClassifier("messages-tuple");
    let tokens = 0;
    let events = 0;
    for await (const e of stream.events()) (events++, isToken(e) && tokens++);
    assert.deepEqual([events, tokens], [s.events + 1, m.tokens]);
    // The source can write several events at once (the benchmark's heavy load): the same events arrive.
    const batched = (await run(`${url}&batch=3`)).timeline;
    assert.deepEqual([batched.error, batched.tokens], [undefined, s.events]);
  });

  test(`${via.name}: error kinds: partial event, error event, error status, broken connection`, async () => {
    transport = via;
    const partial = await run(`${base}/partial`);
    assert.deepEqual([partial.timeline.error, partial.timeline.tokens], ["partial-event", 2]);
    const error = await run(`${base}/error-event`);
    assert.deepEqual([error.timeline.error, error.timeline.tokens], ["error-event", 1]);
    const status = await run(`${base}/http-503`);
    assert.deepEqual([status.timeline.error, status.timeline.status, status.timeline.tokens], ["http", 503, 0]);
    const reset = await run(`${base}/reset`);
    assert.deepEqual([reset.timeline.error, reset.timeline.tokens], ["stream-broken", 1]);
  });

  test(`${via.name}: bounds of time: no headers is a connect failure, a stalled body an idle timeout, the load's stop cut-at-cap`, async () => {
    transport = via;
    assert.equal((await run(`${base}/no-headers`, { deadlineMs: 200 })).timeline.error, "connect");
    const stalled = await run(`${base}/stall`, { idleTimeoutMs: 150 });
    assert.deepEqual([stalled.timeline.error, stalled.timeline.tokens], ["idle-timeout", 1]);
    assert.equal((await run(`${base}/stall`, { deadlineMs: 150 })).timeline.error, "deadline");
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    assert.equal((await run(`${base}/stall`, {}, stop.signal)).timeline.error, "cut-at-cap");
    assert.equal((await run("http://127.0.0.1:1/refused")).timeline.error, "connect");
  });

  test(`${via.name}: hostile streams end at their caps with memory flat: endless line, endless event, endless body, event count`, async () => {
    transport = via;
    const line = await bounded("/endless-line", { maxLineBytes: 2 * MiB });
    assert.equal(line.t.error, "line-too-long");
    assert.ok(line.heapGrowth < 16 * MiB, `heap grew ${(line.heapGrowth / MiB).toFixed(1)} MiB`);
    assert.equal((await bounded("/endless-event", { maxEventBytes: MiB })).t.error, "event-too-large");
    const body = await bounded("/endless-body", { maxBytes: 4 * MiB });
    assert.ok(body.t.error === "max-bytes" && body.t.tokens > 0, `${body.t.error} after ${body.t.tokens} tokens`);
    const events = await bounded("/endless-body", { maxEvents: 500 });
    assert.deepEqual([events.t.error, events.t.tokens], ["max-events", 500]);
  });

  test(`${via.name}: HTTP/1.1 framing: interim, length- and close-delimited bodies; a hostile head or chunking ends the run`, async () => {
    transport = via;
    // undici refuses an interim response to a request that did not ask for one; the h1 client skips it.
    for (const path of via.h1 ? ["/length", "/interim"] : ["/length"]) {
      const t = (await run(`${base}${path}`)).timeline;
      assert.deepEqual([t.error, t.tokens], [undefined, 1], path);
    }
    const closeDelimited = (await run(`${base}/close-delimited`)).timeline;
    assert.deepEqual([closeDelimited.error, closeDelimited.tokens], [undefined, 2]);
    assert.equal((await run(`${base}/huge-head`, { deadlineMs: 5000 })).timeline.error, "connect");
    const bad = (await run(`${base}/bad-chunk`)).timeline;
    assert.deepEqual([bad.error, bad.tokens], ["stream-broken", 1]);
    assert.equal((await run(`${base}/endless-chunk-line`, { deadlineMs: 5000 })).timeline.error, "stream-broken");
  });

  test(`${via.name}: a POST carries its body, and sequential runs reuse one kept-alive connection`, async () => {
    transport = via;
    const post = (await run(`${base}/ok`, {}, undefined, "POST")).timeline;
    assert.deepEqual([post.error, post.tokens, posted], [undefined, 1, "{}"]);
    const before = connections;
    for (let k = 0; k < 3; k++) assert.equal((await run(`${base}/ok`)).timeline.tokens, 1);
    assert.ok(connections - before <= 1, `${connections - before} new connections for 3 sequential runs`);
  });
}
