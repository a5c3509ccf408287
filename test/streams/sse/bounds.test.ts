/**
 * Every stream is bounded: one endless line, one endless event or an endless body ends the read at its cap
 * with memory flat, and stream_terminates fails on any bound, never passes.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { streamRules } from "../../../streams/grammar/rules.ts";
import { SseParser } from "../../../streams/sse/parser.ts";
import { openSse } from "../../../streams/sse/reader.ts";
import type { SseEnd, SseLimits } from "../../../streams/sse/types.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const MiB = 1024 * 1024;
const SSE = { "content-type": "text/event-stream" };

/** Writes `chunk` until the client leaves (or `times` chunks), then ends. */
async function flood(res: ServerResponse, chunk: Buffer, times = Infinity) {
  for (let i = 0; i < times && !res.destroyed; i++) {
    if (!res.write(chunk)) await new Promise<void>((r) => { const done = () => (res.off("drain", done), res.off("close", done), r()); res.on("drain", done).on("close", done); });
  }
  if (!res.destroyed) res.end();
}

const routes: Record<string, (res: ServerResponse) => void> = {
  "/endless-line": (res) => (res.writeHead(200, SSE).write("event: values\ndata: "), void flood(res, Buffer.alloc(64 * 1024, "a"))),
  "/endless-event": (res) => (res.writeHead(200, SSE).write("event: values\n"), void flood(res, Buffer.from("data: abcdefghijklmnop\n".repeat(2000)))),
  "/endless-body": (res) => (res.writeHead(200, SSE), void flood(res, Buffer.from("data: {}\n\n".repeat(5000)))),
};

let server: Server;
let base: string;
before(async () => {
  server = createServer((req, res) => routes[req.url ?? ""]?.(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

async function read(path: string, over: Partial<SseLimits>): Promise<{ end: SseEnd; events: number; heapGrowth: number }> {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const stream = await openSse({ method: "GET", url: `${base}${path}`, headers: {} }, { deadlineMs: 20_000, maxEvents: 1_000_000, ...over });
  let events = 0;
  for await (const _ of stream.events()) events++;
  const end = await stream.end;
  gc();
  return { end, events, heapGrowth: process.memoryUsage().heapUsed - baseline };
}

test("an endless line stops at the line cap, without buffering it", async () => {
  const { end, heapGrowth } = await read("/endless-line", { maxLineBytes: 2 * MiB });
  assert.equal(end.reason, "line-too-long");
  assert.ok(end.bytes < 4 * MiB, `${end.bytes} bytes read`);
  assert.ok(heapGrowth < 16 * MiB, `heap grew ${(heapGrowth / MiB).toFixed(1)} MiB`);
});

test("an endless event (data lines without a blank line) stops at the event cap", async () => {
  const { end } = await read("/endless-event", { maxEventBytes: MiB });
  assert.equal(end.reason, "event-too-large");
  assert.ok(end.bytes < 3 * MiB, `${end.bytes} bytes read`);
});

test("an endless body of small events stops at the byte cap", async () => {
  const { end, events } = await read("/endless-body", { maxBytes: 4 * MiB });
  assert.equal(end.reason, "max-bytes");
  assert.ok(events > 0 && end.bytes <= 4 * MiB + 64 * 1024, `${end.bytes} bytes`);
});

test("the parser drops a line past its cap and ignores every later byte", () => {
  const p = new SseParser({ maxLineBytes: 10 });
  assert.deepEqual(p.feed(Buffer.from("data: ok\n\n"), 0).map((e) => e.data), ["ok"]);
  assert.deepEqual(p.feed(Buffer.from("data: "), 0), []);
  assert.deepEqual(p.feed(Buffer.from("0123456789\n\n"), 0), []);
  assert.equal(p.overflow, "line");
  assert.deepEqual(p.feed(Buffer.from("data: later\n\n"), 0), []);
});

test("stream_terminates fails on every bound, and on nothing else", () => {
  const judge = (reason: SseEnd["reason"]) => {
    const rule = streamRules({ modes: ["values"], subgraphs: false, idsRequired: false, expectError: false, tupleMetadataKeys: [], modelMetadataKeys: [] }).find((r) => r.check === "stream_terminates")!;
    const outcome = rule.finish({ status: 200, headers: {}, sentAt: 0, end: { reason, endAt: 10, bytes: 1, events: 1, partialEvent: false }, framingIssues: [] });
    return Array.isArray(outcome) ? outcome.length : -1;
  };
  for (const bound of ["deadline", "idle-timeout", "max-events", "max-bytes", "line-too-long", "event-too-large"] as const) assert.equal(judge(bound), 1, bound);
  assert.equal(judge("closed"), 0);
  assert.equal(judge("aborted"), 0);
});
