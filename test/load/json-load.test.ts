import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient, clientFor } from "../../core/client.ts";
import { jsonBody } from "../../core/exchange.ts";
import { referenceTarget } from "../../cli/target.ts";
import { runJsonLoad } from "../../load/json-load.ts";
import { runJsonPart } from "../../load/phase.ts";
import type { Reference } from "../../reference/index.ts";
import { sharedReference } from "../support/reference.ts";
import { LatencyHistogram } from "../../load/metrics/histogram.ts";
import { startSyntheticSource } from "../../reference/synthetic/source.ts";

test("autocannon load on a JSON endpoint: every response lands in the µs histogram, bounded by the request cap", async (t) => {
  const source = await startSyntheticSource();
  t.after(() => source.stop());
  const client = new ApiClient({ baseUrl: source.url });
  const r = await runJsonLoad({ client, endpoint: { name: "create thread", method: "POST", path: "/threads", body: {} }, durationS: 30, connections: 2, maxRequests: 40 });
  assert.equal(r.status["2xx"], r.requests);
  assert.ok(r.requests >= 40 && r.requests <= 42, `${r.requests} requests for a cap of 40`);
  assert.equal(r.latency_ms.count, r.requests);
  assert.equal(LatencyHistogram.decode(r.histogram).count, r.requests);
});

test("autocannon load refuses remote hosts and unbounded durations", async () => {
  const endpoint = { name: "get", method: "GET" as const, path: "/" };
  await assert.rejects(runJsonLoad({ client: new ApiClient({ baseUrl: "http://198.51.100.7" }), endpoint, durationS: 1 }), /refusing to send load to 198\.51\.100\.7/);
  await assert.rejects(runJsonLoad({ client: new ApiClient({ baseUrl: "http://127.0.0.1:9" }), endpoint, durationS: 0 }), /durationS is mandatory/);
});

describe("the JSON endpoints' gate against the reference", () => {
  const refs = sharedReference();
  const quiet = { profile: "smoke" as const, allowHosts: [], tag: "agentwire-test", signal: new AbortController().signal, log: () => undefined };

  for (const spec of ["managed-deep-agents", "agent-server"] as const) {
    test(`${spec}: load_json_slo is met on the healthy reference and broken by slow-reads`, async () => {
      const judge = async (ref: Reference) => {
        const target = referenceTarget(ref);
        const client = clientFor(target, spec)!;
        const agentId = spec === "managed-deep-agents" ? (jsonBody((await client.call("POST", "/agents", { name: "agentwire json load test" })).response) as { id: string }).id : undefined;
        const threads: string[] = [];
        try {
          return await runJsonPart(quiet, spec, client, { agentId, onThread: (id) => threads.push(id) });
        } finally {
          for (const id of threads) await client.call("DELETE", `/threads/${id}`);
          if (agentId) await client.call("DELETE", `/agents/${agentId}`);
        }
      };
      const good = await judge(refs.healthy);
      assert.equal(good.gate.passed, true, good.gate.detail);
      assert.equal(good.summary?.endpoints.length, 4);
      assert.ok(good.summary!.endpoints.every((e) => e.requests > 0 && e.status.non2xx === 0), JSON.stringify(good.summary!.endpoints.map((e) => [e.endpoint, e.status])));
      const bad = await refs.withFault("slow-reads", judge);
      assert.equal(bad.gate.passed, false);
      assert.match(bad.gate.detail, /get thread: (p95 \d+ ms|no request answered within 1 s)/);
      assert.doesNotMatch(bad.gate.detail, /count threads/, "only reading a thread is slowed");
    });
  }
});
