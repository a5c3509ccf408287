/**
 * `run --record`: every exchange of the contract and streams phases lands in one file, merged from the
 * Playwright workers' parts, with the key in none of its forms, even from a target that echoes it back.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, filesUnder, runCli, tempDir } from "./harness.ts";

/** A canary with characters each escaping changes, so every form differs from the key as is. */
const KEY = `sk-canary"<&>'/+=9`;
const FORMS = [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1), Buffer.from(KEY).toString("base64")];

/** Two contract units and one stream scenario, with short bounds: the record, not the verdicts, is under test. */
const ENV = cleanEnv({
  AGENTWIRE_GREP: "(listManagedDeepAgents|createManagedDeepAgentThread) positive|stream mode values ",
  AGENTWIRE_LIMITS: "probeTimeoutMs=2000,setupTimeoutMs=2000,requestTimeoutMs=2000,streamDeadlineMs=4000,streamIdleMs=1500,cleanupBudgetMs=3000",
});

/** Echoes the key it was sent, in every form, in headers, JSON bodies and stream events. */
let fake: Server;
let fakeUrl = "";
before(async () => {
  fake = createServer((req, res) => {
    const key = String(req.headers["x-api-key"] ?? "");
    const echo = [key, encodeURIComponent(key), Buffer.from(key).toString("base64")].join(" ");
    req.resume();
    req.on("end", () => {
      if (req.url?.includes("/stream")) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`event: metadata\ndata: ${JSON.stringify({ run_id: "r1", key: echo })}\n\nevent: error\ndata: ${JSON.stringify({ error: "Unauthorized", message: `bad key ${echo}` })}\n\n`);
        return;
      }
      res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json", "x-echo-key": encodeURIComponent(key) });
      res.end(JSON.stringify({ id: "00000000-0000-4000-8000-000000000001", thread_id: "00000000-0000-4000-8000-000000000002", detail: `key ${echo}` }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => fake.close(() => r())));

test("run --record har: the workers' exchanges in one HAR in the out folder, streams with their events, no form of the key anywhere", async (t) => {
  const out = tempDir("agentwire-cli-record-");
  t.after(() => out.remove());
  const r = await runCli(["run", "--only", "contract,streams", "--target", `${fakeUrl}/v1/deepagents`, "--agent-id", "a1", "--api-key", KEY, "--record", "har", "--workers", "2", "--out", out.dir], ENV);
  assert.equal(r.code, 1, r.stderr.slice(-2000));
  const file = join(out.dir, "exchanges.har");
  assert.ok(existsSync(file), `no ${file}; stderr: ${r.stderr.slice(-1000)}`);
  const n = Number(/record: (\d+) exchanges of the contract and streams phases in /.exec(r.stderr)?.[1]);
  const har = JSON.parse(readFileSync(file, "utf8")) as { log: { version: string; entries: any[] } };
  assert.equal(har.log.version, "1.2");
  assert.equal(har.log.entries.length, n);
  assert.ok(n > 5, `only ${n} exchanges recorded`);
  // In the order they were sent, across the workers' parts.
  const starts = har.log.entries.map((e) => e.startedDateTime as string);
  assert.deepEqual(starts, [...starts].sort());
  const streams = har.log.entries.filter((e) => e.response.content.mimeType === "text/event-stream");
  assert.ok(streams.length > 0, "no stream recorded");
  assert.match(streams[0].response.content.text, /^event: metadata\ndata: /);
  assert.ok(har.log.entries.some((e) => /^managed-deep-agents › \w+ › positive$/.test(e.comment ?? "")), "no entry names its unit");
  assert.ok(har.log.entries.every((e) => e.request.headers.every((h: { name: string; value: string }) => h.name !== "x-api-key" || h.value === "***")));
  // The parts are gone; the key is in no file of the run and on no output.
  assert.ok(!filesUnder(out.dir).some((f) => f.includes(".parts")), "the workers' parts were left behind");
  for (const f of filesUnder(out.dir)) {
    const text = readFileSync(f, "latin1");
    for (const form of FORMS) assert.ok(!text.includes(form), `${f} holds the key as ${form}`);
  }
  for (const form of FORMS) assert.ok(!r.stdout.includes(form) && !r.stderr.includes(form), `the output holds the key as ${form}`);
});
