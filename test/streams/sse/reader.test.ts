import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { openSse } from "../../../streams/sse/reader.ts";
import type { SseEvent, SseLimits, SseStream } from "../../../streams/sse/types.ts";

const SSE = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const frame = (i: number) => `event: tick\ndata: {"n":${i}}\nid: ${i}\n\n`;
let server: Server;
let base: string;
/** Resolves when the server sees the /ticker client go away. */
let tickerClosed: Promise<void>;

const routes: Record<string, (res: ServerResponse) => void> = {
  "/normal": (res) => {
    res.writeHead(200, SSE);
    let i = 0;
    const timer = setInterval(() => {
      res.write(frame(i++));
      if (i === 3) clearInterval(timer), res.end();
    }, 10);
  },
  "/forever": (res) => res.writeHead(200, SSE).write(frame(0)),
  "/silent": (res) => res.writeHead(200, SSE).flushHeaders(),
  "/no-headers": () => undefined,
  "/burst": (res) => res.writeHead(200, SSE).write(Array.from({ length: 10 }, (_, i) => frame(i)).join("")),
  "/ticker": (res) => {
    res.writeHead(200, SSE);
    let i = 0;
    const timer = setInterval(() => res.write(frame(i++)), 5);
    tickerClosed = new Promise((resolve) => res.on("close", () => (clearInterval(timer), resolve())));
  },
  "/error": (res) => res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Thread not found"}'),
  "/big": (res) => res.writeHead(500, { "content-type": "text/plain" }).end("x".repeat(2 * 1024 * 1024)),
  "/flood": (res) => res.writeHead(200, SSE).end(Array.from({ length: 5000 }, (_, i) => frame(i)).join("")),
  "/partial": (res) => res.writeHead(200, SSE).end("foo: x\ndata: a\n\ndata: b"),
  "/reset": (res) => {
    res.writeHead(200, SSE).write("data: a\n\ndata: b\n");
    setTimeout(() => res.socket?.destroy(), 20);
  },
};

before(async () => {
  server = createServer((req, res) => routes[req.url ?? ""]?.(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const limits = (over: Partial<SseLimits> = {}): SseLimits => ({ deadlineMs: 5000, maxEvents: 1000, ...over });
const open = (path: string, over: Partial<SseLimits> = {}, dispatcher?: Agent) =>
  openSse({ method: "GET", url: `${base}${path}`, headers: { accept: "text/event-stream" } }, limits(over), { dispatcher });

async function drain(stream: SseStream): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of stream.events()) out.push(e);
  return out;
}

test("reads a normal stream to its close, stamping every instant in order", async () => {
  const stream = await open("/normal");
  assert.equal(stream.status, 200);
  assert.equal(stream.headers["content-type"], "text/event-stream");
  const events = await drain(stream);
  const end = await stream.end;
  assert.deepEqual(events.map((e) => [e.index, e.event, e.id, e.data]), [0, 1, 2].map((i) => [i, "tick", String(i), `{"n":${i}}`]));
  assert.equal(end.reason, "closed");
  assert.equal(end.events, 3);
  assert.equal(end.bytes, [0, 1, 2].map((i) => frame(i).length).reduce((a, b) => a + b));
  assert.equal(end.partialEvent, false);
  assert.deepEqual(stream.framingIssues, []);
  const times = [stream.sentAt, stream.headersAt, stream.firstByteAt!, ...events.map((e) => e.receivedAt), end.endAt];
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
});

test("a stream that never ends stops at the deadline", async () => {
  const stream = await open("/forever", { deadlineMs: 300 });
  const events = await drain(stream);
  const end = await stream.end;
  assert.equal(events.length, 1);
  assert.deepEqual([end.reason, end.partialEvent], ["deadline", false]);
  assert.ok(end.endAt - stream.sentAt >= 299);
});

test("a silent stream stops at the idle timeout", async () => {
  const stream = await open("/silent", { idleTimeoutMs: 200 });
  assert.deepEqual(await drain(stream), []);
  const end = await stream.end;
  assert.deepEqual([end.reason, end.bytes, stream.firstByteAt], ["idle-timeout", 0, undefined]);
});

test("no response headers: openSse rejects at the deadline with a one-line error", async () => {
  await assert.rejects(open("/no-headers", { deadlineMs: 200 }), (e: Error) => /^no response headers from http:\/\/127\.0\.0\.1:\d+\/no-headers within the deadline of 200 ms$/.test(e.message));
});

test("maxEvents cuts the stream after exactly that many events", async () => {
  const stream = await open("/burst", { maxEvents: 3 });
  const events = await drain(stream);
  const end = await stream.end;
  assert.deepEqual(events.map((e) => e.index), [0, 1, 2]);
  assert.deepEqual([end.reason, end.events], ["max-events", 3]);
});

test("a slow consumer pauses the socket without tripping the idle timeout", async () => {
  const stream = await open("/flood", { idleTimeoutMs: 100, maxEvents: 10_000 });
  let count = 0;
  for await (const e of stream.events()) {
    if (e.index === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    count++;
  }
  assert.equal(count, 5000);
  assert.equal((await stream.end).reason, "closed");
});

test("abort() ends the stream and closes the connection", async () => {
  const stream = await open("/ticker");
  const events: SseEvent[] = [];
  for await (const e of stream.events()) {
    events.push(e);
    if (events.length === 2) stream.abort();
  }
  assert.equal(events.length, 2);
  assert.equal((await stream.end).reason, "aborted");
  await tickerClosed;
});

test("a consumer that stops iterating early closes the connection too", async () => {
  const stream = await open("/ticker");
  for await (const e of stream.events()) if (e.index === 1) break;
  assert.equal((await stream.end).reason, "aborted");
  await tickerClosed;
});

test("an error response is read with text(); events() then refuses", async () => {
  const stream = await open("/error");
  assert.equal(stream.status, 404);
  assert.equal(await stream.text(), '{"detail":"Thread not found"}');
  assert.throws(() => stream.events(), /already being read as text/);
  const end = await stream.end;
  assert.deepEqual([end.reason, end.events, end.bytes], ["closed", 0, 29]);
});

test("text() stops at 1 MiB", async () => {
  const stream = await open("/big");
  assert.equal((await stream.text()).length, 1024 * 1024);
  const end = await stream.end;
  assert.equal(end.reason, "aborted");
  assert.match(end.error ?? "", /longer than 1048576 bytes/);
});

test("a body that closes mid-event is flagged as partial with its framing issues", async () => {
  const stream = await open("/partial");
  assert.deepEqual((await drain(stream)).map((e) => e.data), ["a"]);
  const end = await stream.end;
  assert.deepEqual([end.reason, end.partialEvent], ["closed", true]);
  assert.deepEqual(stream.framingIssues.map((i) => [i.rule, i.offset]), [["unknown-field", 0], ["partial-event", 16]]);
});

test("a connection reset mid-event ends with reason error", async () => {
  const stream = await open("/reset");
  assert.deepEqual((await drain(stream)).map((e) => e.data), ["a"]);
  const end = await stream.end;
  assert.deepEqual([end.reason, end.partialEvent], ["error", true]);
  assert.equal(end.error, "UND_ERR_SOCKET: other side closed");
});

test("a refused connection rejects openSse with a clear one-line error", async () => {
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  const port = (spare.address() as AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
  await assert.rejects(
    openSse({ method: "post", url: `http://127.0.0.1:${port}/runs/stream?x=1`, headers: {}, body: "{}" }, limits()),
    { message: `POST http://127.0.0.1:${port}/runs/stream failed before a response: connect ECONNREFUSED 127.0.0.1:${port}` },
  );
});

test("many streams share one undici Agent", async (t) => {
  const agent = new Agent({ connections: 8 });
  t.after(() => agent.close());
  const streams = await Promise.all(Array.from({ length: 6 }, () => open("/normal", {}, agent)));
  const counts = await Promise.all(streams.map(async (s) => (await drain(s)).length));
  assert.deepEqual(counts, [3, 3, 3, 3, 3, 3]);
});
