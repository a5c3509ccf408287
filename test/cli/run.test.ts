/**
 * `agentwire run` against the embedded reference: Ctrl-C mid-run (exit 130, partial reports, nothing left
 * running) and the load phase end to end (the acceptance: a healthy reference meets the TTFT SLO,
 * one with slow-first-token breaks it). The faulty runs are then compared with the healthy one
 * (`agentwire compare`), and one carries a config with a threshold set too tight and an expired waiver.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { descendants, eventually, isAlive, isUpstream, killTree, runCli, startCli, tempDir, upstreamDir, type Proc } from "./harness.ts";

const readSummary = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));

/** The healthy load run's reports, kept for the comparisons that follow it. */
const healthy = tempDir("agentwire-cli-test-");
after(() => healthy.remove());

test("run interrupted with SIGINT exits 130, stops the reference and writes summary.json", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const cli = startCli(["run", "--only", "streams", "--seed", "1", "--out", out.dir]);
  let procs: Proc[] = [];
  t.after(() => killTree(cli, procs));

  await cli.waitFor("stderr", /embedded reference ready/, 60_000);
  // Interrupt once the conformance runner is at work, a few seconds into the phase.
  const running = await eventually(() => descendants(cli.pid).some((p) => p.cmdline.includes("playwright")), 30_000);
  assert.ok(running, "the conformance runner never started");
  await new Promise((r) => setTimeout(r, 3000));
  procs = descendants(cli.pid);
  const upstream = procs.find(isUpstream);
  assert.ok(upstream, `no Agent Server among ${JSON.stringify(procs)}`);
  const dir = upstreamDir(upstream);
  assert.ok(dir && existsSync(dir));

  cli.child.kill("SIGINT");
  const end = await cli.exited;
  assert.equal(end.code, 130, end.stderr.slice(-2000));
  assert.match(end.stderr, /interrupted/);
  assert.ok(await eventually(() => !procs.some(isAlive), 5000), `still running: ${JSON.stringify(procs.filter(isAlive))}`);
  assert.ok(!existsSync(dir), `${dir} was left behind`);
  const summary = readSummary(out.dir);
  assert.equal(summary.interrupted, true);
  assert.equal(summary.seed, 1);
});

test("run --only load interrupted between steps exits 130 and keeps the steps measured", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const cli = startCli(["run", "--only", "load", "--seed", "1", "--out", out.dir]);
  t.after(() => killTree(cli));
  await cli.waitFor("stderr", /concurrency 1: /, 60_000);
  cli.child.kill("SIGINT");
  const end = await cli.exited;
  assert.equal(end.code, 130, end.stderr.slice(-2000));
  const summary = readSummary(out.dir);
  assert.equal(summary.interrupted, true);
  assert.ok(summary.load.sweep.length >= 1, JSON.stringify(summary.load.sweep));
  assert.match(summary.phases.find((p: { name: string }) => p.name === "load").note, /interrupted/);
});

test("run --only load on the reference meets the TTFT SLO and writes all three reports", async () => {
  const out = healthy;
  const r = await runCli(["run", "--only", "load", "--seed", "1", "--out", out.dir]);
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const summary = readSummary(out.dir);
  for (const name of ["ttft_ms", "itl_ms", "tpot_ms", "e2e_ms"]) {
    const m = summary.load?.metrics?.[name];
    assert.ok(m && m.count > 0, `${name}: ${JSON.stringify(m)}`);
  }
  assert.ok(summary.load.maxConcurrencyWithinSlo >= 1, JSON.stringify(summary.load.sweep));
  assert.equal(summary.gates.find((g: { name: string }) => g.name === "load_ttft_slo")?.passed, true);
  // The default thresholds (the old SLO) are gates of their own, and every step keeps its histograms.
  assert.deepEqual(summary.gates.filter((g: { threshold?: unknown }) => g.threshold).map((g: { name: string; passed: boolean }) => [g.name, g.passed]), [["threshold ttft_ms p(95)<=2000", true], ["threshold error_rate rate<=0.01", true]]);
  assert.ok(summary.load.steps.length >= 1 && summary.load.steps.every((s: { histograms: Record<string, string> }) => typeof s.histograms.ttft_ms === "string"));
  // Concurrent runs on shared threads under all four strategies: judged, and nothing open (deviations waived).
  const strategies = summary.load.multitask?.strategies ?? [];
  assert.deepEqual(strategies.map((s: { strategy: string }) => s.strategy), ["reject", "enqueue", "interrupt", "rollback"]);
  for (const s of strategies) for (const c of s.checks) assert.notEqual(c.verdict, "failed", `${s.strategy} ${c.check}`);
  assert.ok(summary.findings.every((f: { waived?: unknown }) => f.waived), JSON.stringify(summary.findings.filter((f: { waived?: unknown }) => !f.waived)));
  assert.match(readFileSync(join(out.dir, "index.html"), "utf8"), /Concurrent runs on one thread/);
  assert.ok(existsSync(join(out.dir, "index.html")), "no index.html");
  assert.ok(existsSync(join(out.dir, "junit.xml")), "no junit.xml");
});

test("run --only load --fault slow-first-token breaks the TTFT gate (exit 1), with the driver split over two workers", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const r = await runCli(["run", "--only", "load", "--fault", "slow-first-token", "--load-workers", "2", "--seed", "1", "--out", out.dir]);
  assert.equal(r.code, 1, r.stderr.slice(-2000));
  const gate = readSummary(out.dir).gates.find((g: { name: string }) => g.name === "load_ttft_slo");
  assert.ok(gate, "no load_ttft_slo gate");
  assert.equal(gate.passed, false);
  assert.match(r.stderr, /gate load_ttft_slo: BROKEN/);
  // Against the healthy run: compare fails and names TTFT.
  const c = await runCli(["compare", healthy.dir, out.dir]);
  assert.equal(c.code, 1, c.stdout + c.stderr);
  assert.match(c.stdout, /verdict: FAIL — .*ttft/);
  const compared = JSON.parse(readFileSync(join(out.dir, "compare.json"), "utf8"));
  assert.equal(compared.verdict, "fail");
  assert.ok(compared.reasons.some((reason: string) => /ttft/i.test(reason)), compared.reasons.join("; "));
});

test("abort_on_fail stops the first step as soon as its threshold breaks on min_samples, and the gate says at how many", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  // A step that would run for 30 s and 60 runs: only the abort ends it after 3.
  const config = join(out.dir, "agentwire.config.yaml");
  writeFileSync(config, `thresholds:\n  ttft_ms: [{ threshold: "p(95)<1", abort_on_fail: true }]\n  min_samples: 3\nload: { levels: [1, 2], durationMs: 30000, maxRequests: 60 }\n`);
  const r = await runCli(["run", "--config", config, "--only", "load", "--seed", "1", "--out", out.dir]);
  assert.equal(r.code, 1, r.stderr.slice(-2000));
  const summary = readSummary(out.dir);
  // At concurrency 1 no run is open when it fires: exactly min_samples runs, one step, nothing after it.
  assert.deepEqual(summary.load.steps.map((s: { concurrency: number; runs: { finished: number } }) => [s.concurrency, s.runs.finished]), [[1, 3]]);
  assert.equal(summary.load.multitask, undefined);
  const gate = summary.gates.find((g: { name: string }) => g.name === "threshold ttft_ms p(95)<1");
  assert.deepEqual([gate.passed, gate.threshold.abortedAt, gate.threshold.samples], [false, 3, 3]);
  assert.match(gate.detail, /\(3 samples\); threshold p\(95\)<1; abort_on_fail stopped the step at 3 samples/);
  assert.match(r.stderr, /load: stopped concurrency 1 early: threshold ttft_ms p\(95\)<1 broke at 3 samples \(abort_on_fail\)/);
  assert.match(summary.phases.find((p: { name: string }) => p.name === "load").note, /stopped early/);
});

test("run --only load --fault multitask-swapped fails on the multitask outcomes (exit 1, with reproducers)", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  // A config: a threshold no target meets, and a waiver of this fault's findings that has expired.
  const config = join(out.dir, "agentwire.config.yaml");
  writeFileSync(config, `thresholds:\n  ttft_ms: ["p(95)<1"]\nwaivers:\n  - { id: expired-example, spec: agent-server, checks: [multitask_load_outcome], reason: "known, until it was not", owner: qa, expires: 2020-01-01 }\n`);
  const r = await runCli(["run", "--config", config, "--only", "load", "--fault", "multitask-swapped", "--seed", "1", "--out", out.dir]);
  assert.equal(r.code, 1, r.stderr.slice(-2000));
  const summary = readSummary(out.dir);
  const tight = summary.gates.find((g: { name: string }) => g.name === "threshold ttft_ms p(95)<1");
  assert.equal(tight?.passed, false, JSON.stringify(summary.gates));
  assert.match(r.stderr, /gate threshold ttft_ms p\(95\)<1: BROKEN/);
  assert.deepEqual(summary.waivers.expired.map((w: { id: string }) => w.id), ["expired-example"]);
  assert.match(r.stderr, /waiver expired-example expired on 2020-01-01 \(owner qa\)/);
  assert.ok(summary.findings.some((f: { expiredWaiver?: { waiver: string }; waived?: unknown }) => f.expiredWaiver?.waiver === "expired-example" && !f.waived));
  const open = summary.findings.filter((f: { waived?: unknown; check: string }) => !f.waived && f.check === "multitask_load_outcome");
  assert.ok(open.length > 0, JSON.stringify(summary.findings.slice(0, 5)));
  for (const f of open) {
    assert.match(f.reproducer, /^curl .*multitask_strategy/);
    assert.deepEqual(f.replay, { seed: 1 });
  }
  assert.ok(summary.load.multitask.strategies.some((s: { checks: { check: string; verdict: string }[] }) => s.checks.some((c) => c.check === "multitask_load_outcome" && c.verdict === "failed")));
  // Against the healthy run (no open finding there): exactly this run's open fingerprints are new.
  const c = await runCli(["compare", healthy.dir, out.dir, "--out", join(out.dir, "c.json")]);
  assert.equal(c.code, 1, c.stdout + c.stderr);
  const compared = JSON.parse(readFileSync(join(out.dir, "c.json"), "utf8"));
  const openPrints = [...new Set(summary.findings.filter((f: { waived?: unknown }) => !f.waived).map((f: { fingerprint: string }) => f.fingerprint))].sort();
  assert.deepEqual(compared.findings.new.filter((f: { waived: boolean }) => !f.waived).map((f: { fingerprint: string }) => f.fingerprint).sort(), openPrints);
  // Waived deviations of the reference come and go with timing; nothing open was fixed.
  assert.deepEqual(compared.findings.fixed.filter((f: { waived: boolean }) => !f.waived), []);
});
