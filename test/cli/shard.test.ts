/**
 * One run split in two with --shard and joined with `agentwire merge`: every operation of the document
 * gets the verdict of the shard that ran it, and the shards' Playwright reports become one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "./harness.ts";

test("two shards merge into the report of the whole run", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  // As on two machines: at the same time, each against its own reference.
  const shard = (i: number) => runCli(["run", "--only", "contract", "--shard", `${i}/2`, "--workers", "2", "--out", join(out.dir, `shard${i}`)]);
  const [one, two] = await Promise.all([shard(1), shard(2)]);
  for (const r of [one, two]) assert.equal(r.code, 0, r.stderr.slice(-2000));
  const read = (dir: string) => JSON.parse(readFileSync(join(out.dir, dir, "summary.json"), "utf8"));
  const [s1, s2] = [read("shard1"), read("shard2")];
  // Each shard ran only part of the operations.
  for (const s of [s1, s2]) assert.ok(s.operations.some((o: { verdict: string }) => o.verdict === "skipped"), "a shard ran every operation");

  const merged = await runCli(["merge", join(out.dir, "shard1"), join(out.dir, "shard2"), "--out", join(out.dir, "merged")]);
  assert.equal(merged.code, 0, merged.stderr);
  const m = read("merged");
  assert.equal(m.operations.length, 28 + 63);
  assert.equal(m.verdict, "pass");
  assert.deepEqual(m.operations.filter((o: { verdict: string }) => o.verdict === "skipped" || o.verdict === "failed").map((o: { operationId: string }) => o.operationId), []);
  const requests = (s: { operations: { requests: number }[] }) => s.operations.reduce((n, o) => n + o.requests, 0);
  assert.equal(requests(m), requests(s1) + requests(s2));
  assert.equal(m.findings.length, s1.findings.length + s2.findings.length);
  for (const f of ["index.html", "junit.xml", "playwright/index.html"]) assert.ok(existsSync(join(out.dir, "merged", f)), f);
});
