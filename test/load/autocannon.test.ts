import { test } from "node:test";
import assert from "node:assert/strict";
import { runJsonLoad } from "../../load/autocannon.ts";
import { LatencyHistogram } from "../../load/metrics/histogram.ts";
import { startSyntheticSource } from "../../reference/synthetic/source.ts";

test("autocannon load on a JSON endpoint: every response lands in the µs histogram, bounded by the request cap", async (t) => {
  const source = await startSyntheticSource();
  t.after(() => source.stop());
  const r = await runJsonLoad({ baseUrl: source.url, endpoint: { name: "create thread", method: "POST", path: "/threads", body: {} }, durationS: 30, connections: 2, maxRequests: 40 });
  assert.equal(r.status["2xx"], r.requests);
  assert.ok(r.requests >= 40 && r.requests <= 42, `${r.requests} requests for a cap of 40`);
  assert.equal(r.latency_ms.count, r.requests);
  assert.equal(LatencyHistogram.decode(r.histogram).count, r.requests);
});

test("autocannon load refuses remote hosts and unbounded durations", async () => {
  const endpoint = { name: "get", method: "GET" as const, path: "/" };
  await assert.rejects(runJsonLoad({ baseUrl: "http://198.51.100.7", endpoint, durationS: 1 }), /refusing to send load to 198\.51\.100\.7/);
  await assert.rejects(runJsonLoad({ baseUrl: "http://127.0.0.1:9", endpoint, durationS: 0 }), /durationS is mandatory/);
});
