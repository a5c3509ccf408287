/** `run --reference both`: one run per reference, each with its own reports, and one side-by-side report. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "./harness.ts";

test("run --reference both --only load runs each reference and reports them side by side", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  const end = await runCli(["run", "--reference", "both", "--only", "load", "--out", out.dir]);
  assert.equal(end.code, 0, end.stderr.slice(-3000));
  const s = JSON.parse(readFileSync(join(out.dir, "summary.json"), "utf8"));
  assert.equal(s.kind, "side-by-side");
  assert.deepEqual(Object.keys(s.references), ["js", "python"]);
  for (const r of ["js", "python"]) {
    assert.equal(s.references[r].targets.reference, r);
    assert.ok(s.references[r].load.metrics.ttft_ms.count > 0, `${r}: TTFT measured`);
    for (const f of ["index.html", "summary.json", "junit.xml"]) assert.ok(existsSync(join(out.dir, r, f)), `${r}/${f}`);
  }
  const html = readFileSync(join(out.dir, "index.html"), "utf8");
  assert.match(html, /href="js\/index\.html"/);
  assert.match(html, /href="python\/index\.html"/);
  assert.match(readFileSync(join(out.dir, "junit.xml"), "utf8"), /testsuite name="python › gates"/);
});
