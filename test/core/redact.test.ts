import { test } from "node:test";
import assert from "node:assert/strict";
import { lineRedactor, registerSecret } from "../../core/redact.ts";

test("output that arrives in pieces is redacted even when a secret is split between two writes", () => {
  registerSecret("sk-split-secret-42");
  let out = "";
  const r = lineRedactor((t) => (out += t));
  r.write("line one\nthe key is sk-spl");
  assert.equal(out, "line one\n", "an unfinished line waits");
  r.write("it-secret-42 here\nand an unfinished");
  r.end();
  assert.equal(out, "line one\nthe key is *** here\nand an unfinished");
});

test("a line that never ends is passed on in parts, still redacted", () => {
  registerSecret("sk-endless-line-7");
  let out = "";
  const r = lineRedactor((t) => (out += t));
  for (let i = 0; i < 100; i++) r.write(`${"x".repeat(1000)}sk-endless-line-7`);
  assert.ok(out.length > 0, "nothing was passed on");
  r.end();
  assert.ok(!out.includes("sk-endless-line-7"));
  assert.equal((out.match(/\*\*\*/g) ?? []).length, 100);
});

test("a key with markup characters is redacted in the HTML and JUnit reports, which escape it before redacting", async () => {
  const { mkdtempSync, readFileSync, readdirSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { writeReports } = await import("../../reporters/index.ts");
  const { summary } = await import("../support/summary.ts");
  const key = `sk-<a&b>"c'd`;
  registerSecret(key);
  const dir = mkdtempSync(join(tmpdir(), "agentwire-redact-"));
  try {
    const s = summary();
    writeReports({ ...s, findings: s.findings.map((f) => ({ ...f, message: `the server echoed ${key}` })) }, dir);
    for (const file of readdirSync(dir).filter((f) => /\.(html|xml|json)$/.test(f))) {
      const text = readFileSync(join(dir, file), "utf8");
      assert.ok(text.includes("the server echoed ***"), `${file}: the redacted message is written`);
      for (const form of ["sk-&lt;a&amp;b", "sk-<a&b>", "c&#39;d", "c&apos;d"]) assert.ok(!text.includes(form), `${file} holds the key as ${form}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
