/**
 * A CI cancel or `timeout -s TERM` signals the CLI's whole process group, once or twice: the run still ends
 * with exit 130, reports marked interrupted that keep what was measured, and no process left running.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, descendants, eventually, isAlive, killTree, settingsFileOf, startCli, tempDir, type Proc } from "./harness.ts";

const readSummary = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));

/** Starts a run in its own process group and waits until the conformance runner has reported some tests. */
async function runUntilTestsPass(t: { after(fn: () => void): void }) {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const cli = startCli(["run", "--only", "contract,streams", "--seed", "1", "--verbose", "--out", out.dir], cleanEnv(), { detached: true });
  const seen = new Map<number, Proc>();
  const census = setInterval(() => descendants(cli.pid).forEach((p) => seen.set(p.pid, p)), 200);
  t.after(() => {
    clearInterval(census);
    killTree(cli, [...seen.values()]);
  });
  await cli.waitFor("stdout", /(✓.*\n[\s\S]*){5}/, 120_000);
  const settings = descendants(cli.pid).map(settingsFileOf).find(Boolean);
  assert.ok(settings && existsSync(settings), "no settings file found for the conformance runner");
  return { cli, out: out.dir, settings, processes: () => [...seen.values()] };
}

const signalGroup = (pid: number) => process.kill(-pid, "SIGTERM");

test("SIGTERM to the whole process group mid-run: exit 130, reports marked interrupted with what was measured, nothing left", async (t) => {
  const { cli, out, processes } = await runUntilTestsPass(t);
  const stoppedAt = performance.now();
  signalGroup(cli.pid);
  const end = await cli.exited;
  t.diagnostic(`stopped ${((performance.now() - stoppedAt) / 1000).toFixed(1)} s after SIGTERM`);
  assert.equal(end.code, 130, end.stderr.slice(-2000));
  const s = readSummary(out);
  assert.equal(s.interrupted, true);
  assert.equal(s.verdict, "fail");
  assert.ok(s.operations.some((o: { requests: number }) => o.requests > 0), "what was measured before the signal is kept");
  assert.deepEqual(
    s.phases.map((p: { name: string; ran: boolean }) => [p.name, p.ran]),
    [["contract", true], ["streams", true], ["load", false]],
  );
  assert.match(s.phases.find((p: { name: string }) => p.name === "load").note, /not selected/);
  assert.ok(await eventually(() => !processes().some(isAlive), 10_000), `still running: ${JSON.stringify(processes().filter(isAlive))}`);
});

test("SIGTERM twice to the process group: stops at once, still with reports marked interrupted, the key's file gone", async (t) => {
  const { cli, out, settings, processes } = await runUntilTestsPass(t);
  signalGroup(cli.pid);
  await new Promise((r) => setTimeout(r, 300));
  const secondAt = performance.now();
  signalGroup(cli.pid);
  const end = await cli.exited;
  const took = performance.now() - secondAt;
  assert.equal(end.code, 130, end.stderr.slice(-2000));
  assert.ok(took < 5000, `took ${took.toFixed(0)} ms after the second signal`);
  const s = readSummary(out);
  assert.equal(s.interrupted, true);
  assert.ok(s.operations.some((o: { requests: number }) => o.requests > 0), "what was measured before the signal is kept");
  assert.ok(await eventually(() => !processes().some(isAlive), 10_000), `still running: ${JSON.stringify(processes().filter(isAlive))}`);
  assert.ok(!existsSync(settings), `${settings} (it holds the key) was left behind`);
});
