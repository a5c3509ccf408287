/**
 * A target that is not an embedded reference gets no model knobs and no runs it was not asked for: with
 * only `--graph agent=…` named, the scenarios that need other graphs are named not judged with the flag
 * that would enable them, and every run on the server is of the named graph. Tried on both Agent Servers,
 * each started as a user would start one and reached only through a pass-through that watches the wire.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import { REFERENCE_SERVERS, startReference, type Reference } from "../../reference/index.ts";
import { runCli, tempDir } from "./harness.ts";

for (const server of REFERENCE_SERVERS) {
  describe(`${server} Agent Server as a remote target`, () => {
    let ref: Reference;
    let proxy: Server;
    let proxyUrl = "";
    /** The assistant of every run the suite started, and whether any request carried a model knob, as seen on the wire. */
    const runAssistants = new Set<string>();
    let knobsSent = false;

    // A pass-through in front of the Agent Server that notes whom each run-creating request runs.
    before(async () => {
      ref = await startReference({ server });
      const upstream = new URL(ref.agentServerUrl);
      proxy = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const body = Buffer.concat(chunks);
          if (body.includes("fake_")) knobsSent = true;
          if (req.method === "POST" && /\/runs(\/stream|\/wait|\/batch)?$/.test(req.url ?? "")) {
            try {
              const parsed = JSON.parse(body.toString("utf8"));
              for (const r of Array.isArray(parsed) ? parsed : [parsed]) if (typeof r?.assistant_id === "string") runAssistants.add(r.assistant_id);
            } catch {
              // not JSON: no run
            }
          }
          const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          });
          out.on("error", () => res.destroy());
          out.end(body);
        });
      });
      await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    });
    after(async () => {
      proxy?.closeAllConnections();
      await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
      await ref?.stop();
    });

    test(`streams against the ${server} Agent Server used as a remote target run only the named graph, and say what was not judged`, async (t) => {
      const out = tempDir("agentwire-cli-test-");
      t.after(() => out.remove());
      const end = await runCli(["run", "--agent-server", proxyUrl, "--only", "streams", "--graph", "agent=agent", "--out", out.dir]);
      const s = JSON.parse(readFileSync(join(out.dir, "summary.json"), "utf8"));
      assert.ok(end.code === 0 || end.code === 1, end.stderr.slice(-2000));
      const reasons = s.notJudged.map((n: { unit: string; reason: string }) => `${n.unit}: ${n.reason}`).join("\n");
      for (const role of ["subgraph", "error", "interrupt"]) assert.match(reasons, new RegExp(`--graph ${role}=ASSISTANT_OR_GRAPH_ID`), `a scenario needing ${role} is named`);
      // The pace is unknown off the embedded reference, so delivery is not judged rather than guessed.
      assert.match(reasons, /pace is unknown/);
      assert.deepEqual([...runAssistants], ["agent"], "every run is of the named graph");
      assert.equal(knobsSent, false, "no model knob was sent");
    });
  });
}
