import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { openSse } from "../../../streams/sse/reader.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heap = () => (gc(), process.memoryUsage().heapUsed);

const EVENTS = 100_000;
const MiB = 1024 * 1024;

test("100,000 events read and validated with flat memory", async (t) => {
  const server = createServer(async (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const meta = JSON.stringify({ langgraph_node: "model", langgraph_step: 2, run_id: "1f0a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b" });
    for (let i = 0; i < EVENTS; i += 500) {
      let batch = "";
      for (let k = i; k < i + 500; k++) batch += `event: messages\ndata: [{"content":"token ${k} ","type":"ai","id":"run-42"},${meta}]\nid: ${k}\n\n`;
      if (!res.write(batch)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => (server.closeAllConnections(), server.close()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const baseline = heap();
  let peak = 0;
  const stream = await openSse({ method: "GET", url, headers: {} }, { deadlineMs: 120_000, maxEvents: 1_000_000, validateFraming: true });
  let count = 0;
  for await (const e of stream.events()) {
    if (e.index !== count++) assert.fail(`event ${count - 1} arrived as index ${e.index}`);
    if (count % 10_000 === 0) peak = Math.max(peak, heap() - baseline);
  }
  const end = await stream.end;
  assert.deepEqual([end.reason, end.events, end.partialEvent, stream.framingIssues.length], ["closed", EVENTS, false, 0]);
  t.diagnostic(`${EVENTS} events, ${(end.bytes / MiB).toFixed(1)} MiB read; peak heap growth after GC ${(peak / MiB).toFixed(2)} MiB`);
  assert.ok(peak < 32 * MiB, `heap grew by ${(peak / MiB).toFixed(1)} MiB`);
});
