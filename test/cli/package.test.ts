/** The package installs and runs outside the clone: public, a files list with everything a run reads, no tests. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

test("npm pack ships the suite, its documents, schema and examples, and not the project's tests", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  assert.equal(pkg.private, undefined);
  assert.equal(pkg.bin.agentwire, "bin/agentwire.mjs");
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: new URL("../../", import.meta.url), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const files: string[] = JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path);
  for (const f of ["bin/agentwire.mjs", "cli/main.ts", "runner/playwright.config.ts", "schema/agentwire.config.schema.json", "examples/agentwire.config.yaml", "examples/github-actions.yml", "reference/waivers/js.yaml"]) assert.ok(files.includes(f), f);
  assert.ok(files.some((f) => f.startsWith("specs/")), "the bundled documents");
  assert.deepEqual(files.filter((f) => /^(test|scratch|reports)\//.test(f) || f.includes("k6/bin")), []);
});
