/** The API key given on the command line never appears in anything the CLI prints or writes. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { closedPort, filesUnder, runCli, tempDir, type Finished } from "./harness.ts";

const KEY = "sk-very-secret-123";

function assertKeyAbsent(r: Finished, outDir?: string) {
  assert.ok(!r.stdout.includes(KEY), "the key is on stdout");
  assert.ok(!r.stderr.includes(KEY), "the key is on stderr");
  for (const file of outDir ? filesUnder(outDir) : []) assert.ok(!readFileSync(file, "latin1").includes(KEY), `the key is in ${file}`);
}

/** A careless server: it echoes the key it was sent in headers, JSON bodies and stream error events. */
let fake: Server;
let fakeUrl = "";
let keysSeen = 0;
before(async () => {
  fake = createServer((req, res) => {
    const key = String(req.headers["x-api-key"] ?? "");
    if (key === KEY) keysSeen++;
    req.resume();
    req.on("end", () => {
      if (req.url?.includes("/stream")) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`event: metadata\ndata: {"run_id":"r1","key":"${key}"}\n\nevent: error\ndata: {"error":"Unauthorized","message":"bad key ${key}"}\n\n`);
        return;
      }
      res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json", "x-echo-key": key });
      res.end(JSON.stringify({ id: "00000000-0000-4000-8000-000000000001", thread_id: "00000000-0000-4000-8000-000000000002", detail: `key ${key}` }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => fake.close(() => r())));

test("an unreachable target: the key is not in the output or any report", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const port = await closedPort();
  const r = await runCli(["run", "--target", `http://127.0.0.1:${port}/v1/deepagents`, "--api-key", KEY, "--out", out.dir]);
  assert.equal(r.code, 3, r.stderr);
  assertKeyAbsent(r, out.dir);
});

test("a server that echoes the key: not in the output or any report", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const r = await runCli(["run", "--only", "load", "--target", `${fakeUrl}/v1/deepagents`, "--agent-id", "a1", "--api-key", KEY, "--seed", "1", "--out", out.dir]);
  // Every streamed run ends in an error event, so the load gate breaks.
  assert.equal(r.code, 1, r.stderr);
  assert.ok(keysSeen > 0, "the fake server never received the key");
  assert.ok(filesUnder(out.dir).some((f) => f.endsWith("summary.json")), "no summary.json");
  assertKeyAbsent(r, out.dir);
});
