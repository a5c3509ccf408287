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
