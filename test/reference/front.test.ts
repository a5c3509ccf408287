/** The reference front's plumbing: no upstream request is sent on a kept-alive connection the server may be closing. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startFront } from "../../reference/front.ts";

test("each request reaches the server on a connection of its own, which it closes", async () => {
  const seen: { port: number; connection?: string }[] = [];
  const upstream = createServer((req, res) => {
    seen.push({ port: req.socket.remotePort!, connection: req.headers.connection });
    res.end("ok");
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const front = await startFront({ port: 0, emulatorUrl: url, upstreamUrl: url, hooks: [] });
  try {
    for (const method of ["GET", "POST", "GET"]) {
      const res = await fetch(`${front.url}/threads`, { method, ...(method === "POST" ? { body: "{}" } : {}) });
      assert.equal(await res.text(), "ok");
    }
    assert.equal(new Set(seen.map((s) => s.port)).size, 3, `connections: ${JSON.stringify(seen)}`);
    assert.ok(seen.every((s) => s.connection === "close"));
  } finally {
    await front.stop();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  }
});
