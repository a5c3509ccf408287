/** `run --reference both`: one run per reference, each with its own reports, and one side-by-side report. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, runCli, tempDir } from "./harness.ts";

test("run --reference both --only load runs each reference and reports them side by side", async (t) => {
  const out = tempDir("agentwire-cli-test-");
  t.after(() => out.remove());
  // As in CI: a Markdown summary, the job page's summary file, and a history.
  const md = join(out.dir, "job-summary.md");
  const step = join(out.dir, "github-step-summary.md");
  const history = join(out.dir, "history");
  const end = await runCli(["run", "--reference", "both", "--only", "load", "--out", out.dir, "--summary-md", md, "--history", history], cleanEnv({ GITHUB_STEP_SUMMARY: step }));
  assert.equal(end.code, 0, end.stderr.slice(-3000));
  // One summary covering both, written once to the file and once to the job page; each reference's own in its folder.
  const text = readFileSync(md, "utf8");
  assert.match(text, /^## agentwire, both references: ✅ PASS\n\njs PASS · python PASS/);
  assert.match(text, /\n### js reference: ✅ PASS\n[\s\S]*\n### python reference: ✅ PASS\n/);
  assert.equal(readFileSync(step, "utf8"), text);
  for (const r of ["js", "python"]) assert.match(readFileSync(join(out.dir, r, "summary.md"), "utf8"), new RegExp(`^## agentwire: ✅ PASS\n\nembedded ${r} reference`));
  // An entry per reference in the history, named after it.
  assert.deepEqual(readdirSync(history).map((f) => f.replace(/^.*-seed1-/, "")).sort(), ["js.json", "python.json"]);
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
