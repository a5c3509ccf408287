/** The reference front's plumbing: a reset on a kept-alive upstream connection is not the server's answer. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startFront } from "../../reference/front.ts";

test("an idempotent request reset by the upstream is sent once more; a POST is not (502)", async () => {
  let seen = 0;
  // Resets the first request of each method, answers the rest.
  const reset = new Set<string>();
  const upstream = createServer((req, res) => {
    seen++;
    if (!reset.has(req.method!)) {
      reset.add(req.method!);
      req.socket.resetAndDestroy();
      return;
    }
    res.end("ok");
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const front = await startFront({ port: 0, emulatorUrl: url, upstreamUrl: url, hooks: [] });
  try {
    const get = await fetch(`${front.url}/threads/x`);
    assert.equal(get.status, 200);
    assert.equal(await get.text(), "ok");
    assert.equal(seen, 2);
    const post = await fetch(`${front.url}/threads`, { method: "POST", body: "{}" });
    assert.equal(post.status, 502);
    assert.match(await post.text(), /^reference front: /);
  } finally {
    await front.stop();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  }
});
