/** The client's breaker: a target that keeps giving no usable answer is not sent more requests. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { ApiClient, breakerFor, onBreakerTrip, retryAfterMs } from "../../core/client.ts";
import { TransportError } from "../../core/http.ts";
import { closedPort } from "../cli/harness.ts";

test("after the threshold of failures in a row the breaker trips once: later requests fail at once, with the reason", async () => {
  const port = await closedPort();
  const client = new ApiClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
  const heard: string[] = [];
  onBreakerTrip((reason) => heard.push(reason));
  for (let i = 0; i < 5; i++) await assert.rejects(client.call("GET", "/x"), (e: TransportError) => e.kind === "connection");
  await assert.rejects(client.call("GET", "/y"), (e: TransportError) => e.kind === "target-down" && /5 requests in a row got no usable answer \(last: connection refused/.test(e.message));
  assert.equal(heard.length, 1);
  assert.equal(breakerFor(`http://127.0.0.1:${port}/other`).tripped, heard[0], "one breaker per host and port");
});

test("an answer resets the count; the caller's own abort does not count", async (t) => {
  let fail = true;
  const server = createServer((req, res) => (fail ? req.socket.destroy() : res.end("{}")));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const client = new ApiClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, timeoutMs: 1000 });
  for (let i = 0; i < 4; i++) await assert.rejects(client.call("GET", "/"));
  fail = false;
  await client.call("GET", "/");
  fail = true;
  for (let i = 0; i < 4; i++) await assert.rejects(client.call("GET", "/"));
  const aborted = new AbortController();
  aborted.abort();
  for (let i = 0; i < 3; i++) await assert.rejects(client.call("GET", "/", undefined, { signal: aborted.signal }), (e: TransportError) => e.kind === "aborted");
  assert.equal(breakerFor(client.baseUrl).tripped, undefined);
});

test("a body over the cap is no usable answer, but a stream read for a window is cut there and kept", async (t) => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
    };
    res.on("drain", pump);
    pump();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => (server.closeAllConnections(), server.close()));
  const client = new ApiClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, timeoutMs: 5000 });
  await assert.rejects(client.send(client.request("GET", "/"), { maxBodyBytes: 1024 * 1024 }), (e: TransportError) => e.kind === "body-too-large");
  const x = await client.send(client.request("GET", "/"), { maxBodyBytes: 1024 * 1024, bodyWindowMs: 4000 });
  assert.equal(x.truncated, true);
  assert.ok(x.response.body.length <= 1024 * 1024);
});

test("a 429 is sent again as Retry-After says, a few times at most; a wait beyond the bound leaves the 429", async (t) => {
  let answered = 0;
  let limited = 2;
  let retryAfter = "0";
  const server = createServer((_req, res) => {
    answered++;
    if (limited-- > 0) res.writeHead(429, { "retry-after": retryAfter }).end();
    else res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const client = new ApiClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, timeoutMs: 1000 });
  assert.equal((await client.call("POST", "/")).response.status, 200);
  assert.equal(answered, 3, "two 429s, then the answer");
  answered = 0;
  limited = 10;
  assert.equal((await client.call("GET", "/")).response.status, 429, "the last 429 stands");
  assert.equal(answered, 4, "the request and three retries");
  answered = 0;
  limited = 1;
  retryAfter = "3600";
  assert.equal((await client.call("GET", "/")).response.status, 429, "an hour is not waited for");
  assert.equal(answered, 1);
});

test("Retry-After is read as seconds or as an HTTP date; without it the wait doubles", () => {
  const now = Date.parse("2026-12-02T10:00:00Z");
  assert.equal(retryAfterMs("2", 0, now), 2000);
  assert.equal(retryAfterMs("Wed, 02 Dec 2026 10:00:05 GMT", 0, now), 5000);
  assert.equal(retryAfterMs("Wed, 02 Dec 2026 09:00:00 GMT", 0, now), 0);
  assert.deepEqual([0, 1, 2].map((a) => retryAfterMs(undefined, a, now)), [1000, 2000, 4000]);
  assert.equal(retryAfterMs("soon", 1, now), 2000);
});
