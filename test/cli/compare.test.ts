/** The compare command on small synthetic reports: table, compare.json, history baselines, one-line errors. */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appendHistory, baselineFile } from "../../cli/history.ts";
import { LatencyHistogram } from "../../load/metrics/histogram.ts";
import type { Summary } from "../../results/summary.ts";
import { summary } from "../support/summary.ts";
import { errorLines, runCli, tempDir } from "./harness.ts";

const tmp = tempDir("agentwire-compare-test-");
after(() => tmp.remove());

function report(name: string, startedAt: string, seed: number, over: Partial<Summary> = {}): string {
  let a = seed;
  const h = LatencyHistogram.create();
  for (let i = 0; i < 30; i++) h.recordMs(300 + ((a = (a * 48271) % 2147483647) % 100));
  const s = summary({ startedAt, findings: [], load: { metrics: {}, maxConcurrencyWithinSlo: 1, steps: [{ concurrency: 1, runs: { finished: 30, ok: 30, failed: 0 }, error_rate: 0, runs_per_s: 3, goodput_per_s: 3, histograms: { ttft_ms: h.encode() } }] }, ...over });
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "summary.json"), JSON.stringify(s));
  return dir;
}

test("two like runs: no detectable change, exit 0, compare.json beside HEAD", async () => {
  const a = report("a", "2026-12-01T10:00:00.000Z", 7);
  const b = report("b", "2026-12-01T11:00:00.000Z", 11);
  const r = await runCli(["compare", a, b]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ttft_ms\s+.*no detectable change/);
  assert.match(r.stdout, /verdict: PASS/);
  const c = JSON.parse(readFileSync(join(b, "compare.json"), "utf8"));
  assert.equal(c.kind, "compare");
  assert.equal(c.metrics.find((m: { metric: string }) => m.metric === "ttft_ms").verdict, "no detectable change");
  // The page beside it says the same.
  assert.match(readFileSync(join(b, "compare.html"), "utf8"), /agentwire compare <span class="verdict pass">PASS<\/span>[\s\S]*data-metric="ttft_ms" data-verdict="no detectable change"/);
});

test("--history keeps each run; --baseline latest is the newest run other than HEAD", async () => {
  const history = join(tmp.dir, "history");
  const first = report("h1", "2026-12-02T09:00:00.000Z", 3);
  const second = report("h2", "2026-12-02T10:00:00.000Z", 5, { findings: [{ fingerprint: "abcdef0123456789", check: "response_schema", spec: "agent-server", operationId: "op", message: "m", reproducer: "curl" }] });
  const one = appendHistory(history, join(first, "summary.json"));
  appendHistory(history, join(second, "summary.json"));
  assert.equal(baselineFile(history, "latest", "2026-12-02T10-00-00-000Z-seed1"), join(history, `${one}.json`));
  assert.equal(baselineFile(history, "2026-12-02T09"), join(history, `${one}.json`));
  const r = await runCli(["compare", second, "--history", history, "--baseline", "latest", "--out", join(tmp.dir, "c.json")]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /new open finding abcdef0123456789/);
  assert.ok(existsSync(join(tmp.dir, "c.json")));
});

test("history of --reference both: an entry per reference, and --baseline latest is the last run against HEAD's reference", () => {
  const history = join(tmp.dir, "history-both");
  const ref = (reference: "js" | "python") => ({ targets: { embedded: true, reference, faults: [] } });
  const js1 = appendHistory(history, join(report("b-js1", "2026-12-03T09:00:00.000Z", 3, ref("js")), "summary.json"));
  const py1 = appendHistory(history, join(report("b-py1", "2026-12-03T09:02:00.000Z", 3, ref("python")), "summary.json"));
  const js2 = appendHistory(history, join(report("b-js2", "2026-12-03T10:00:00.000Z", 3, ref("js")), "summary.json"));
  const py2 = appendHistory(history, join(report("b-py2", "2026-12-03T10:02:00.000Z", 3, ref("python")), "summary.json"));
  assert.deepEqual([js1, py1], ["2026-12-03T09-00-00-000Z-seed1-js", "2026-12-03T09-02-00-000Z-seed1-python"]);
  assert.equal(baselineFile(history, "latest", js2), join(history, `${js1}.json`));
  assert.equal(baselineFile(history, "latest", py2), join(history, `${py1}.json`));
  assert.throws(() => baselineFile(join(tmp.dir, "history-both"), "latest", "2026-12-03T08-00-00-000Z-seed1-nope"), /no earlier run against the same reference/);
});

test("unusable input is one error line, exit 2", async () => {
  const a = report("x", "2026-12-01T10:00:00.000Z", 7);
  const both = join(tmp.dir, "both");
  mkdirSync(both);
  writeFileSync(join(both, "summary.json"), JSON.stringify({ schemaVersion: 1, kind: "side-by-side", references: {} }));
  for (const [args, expected] of [
    [["compare", a, join(tmp.dir, "nope")], /nope\/summary\.json does not exist|nope does not exist/],
    [["compare", a, both], /side-by-side run of both references/],
    [["compare", a], /compare: name BASE and HEAD/],
    [["compare", a, "--baseline", "latest"], /--baseline reads the history/],
  ] as [string[], RegExp][]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(errorLines(r.stderr).length, 1, r.stderr);
    assert.match(errorLines(r.stderr)[0]!, expected);
  }
});
