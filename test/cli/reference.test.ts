/**
 * `agentwire reference`: it prints where it listens, serves, and on Ctrl-C or SIGTERM stops everything it
 * started (the Agent Server child and its temp folder). Killed outright, its Agent Server still goes away.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { descendants, eventually, isAlive, isUpstream, killTree, startCli, upstreamDir, type Cli, type Proc } from "./harness.ts";

interface Started {
  cli: Cli;
  managedUrl: string;
  agentServerUrl: string;
  apiKey: string;
  /** Everything the CLI had started once it was ready. */
  procs: Proc[];
  /** The Agent Server's working folder. */
  dir: string;
}

async function startReference(t: test.TestContext): Promise<Started> {
  const started = performance.now();
  const cli = startCli(["reference", "--port", "0"]);
  let procs: Proc[] = [];
  t.after(() => killTree(cli, procs));
  const out = await cli.waitFor("stdout", /Press Ctrl-C to stop/, 60_000);
  t.diagnostic(`reference ready after ${Math.round(performance.now() - started)} ms`);
  assert.match(out, /agentwire reference ready in/);
  const field = (label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(out)?.[1];
  const managedUrl = field("Managed Deep Agents API");
  const agentServerUrl = field("Agent Server API");
  const apiKey = field("API key \\(X-Api-Key\\)");
  assert.ok(managedUrl && agentServerUrl && apiKey, out);
  procs = descendants(cli.pid);
  const upstream = procs.find(isUpstream);
  assert.ok(upstream, `no Agent Server among ${JSON.stringify(procs)}`);
  const dir = upstreamDir(upstream) ?? "";
  assert.ok(dir.startsWith(join(tmpdir(), "agentwire-upstream-")) && existsSync(dir), `unexpected working folder "${dir}"`);
  return { cli, managedUrl, agentServerUrl, apiKey, procs, dir };
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  test(`reference serves, and ${signal} stops it and everything it started`, async (t) => {
    const ref = await startReference(t);
    const agents = await fetch(`${ref.managedUrl}/agents`, { headers: { "x-api-key": ref.apiKey } });
    assert.equal(agents.status, 200);
    await agents.body?.cancel();
    const ok = await fetch(`${ref.agentServerUrl}/ok`);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();

    ref.cli.child.kill(signal);
    const end = await ref.cli.exited;
    assert.equal(end.code, 0, end.stderr);
    // It waits for its children before exiting; the bound only absorbs the kernel's bookkeeping.
    assert.ok(await eventually(() => !ref.procs.some(isAlive), 5000), `still running: ${JSON.stringify(ref.procs.filter(isAlive))}`);
    assert.ok(!existsSync(ref.dir), `${ref.dir} was left behind`);
  });
}

test("a SIGKILLed reference leaves no Agent Server behind", async (t) => {
  const ref = await startReference(t);
  ref.cli.child.kill("SIGKILL");
  const end = await ref.cli.exited;
  assert.equal(end.signal, "SIGKILL");
  // The Agent Server exits when its IPC channel to the dead parent closes, and removes its folder.
  const upstream = ref.procs.filter(isUpstream);
  assert.ok(await eventually(() => !upstream.some(isAlive), 10_000), `Agent Server still running: ${JSON.stringify(upstream)}`);
  assert.ok(await eventually(() => !existsSync(ref.dir), 5000), `${ref.dir} was left behind`);
});
