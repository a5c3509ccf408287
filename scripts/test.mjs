// Runs the project's own tests with Node's test runner (under tsx) and ends with "N passed, N failed".
// The whole-run end-to-end tests (one per reference) run last, each alone: a whole run loads both cores,
// and timing-sensitive tests beside it would measure the contention rather than the code.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );
}

const ALONE = ["test/cli/full-run.test.ts", "test/cli/full-run-python.test.ts"];
const filter = process.argv.slice(2);
const files = find("test").filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))).sort();
const batches = [files.filter((f) => !ALONE.includes(f)), ...ALONE.filter((f) => files.includes(f)).map((f) => [f])].filter((b) => b.length);

function run(batch) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=./test/support/reporter.mjs", "--test-reporter-destination=stdout", ...batch],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let tail = "";
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      tail = (tail + d.toString()).slice(-200);
    });
    child.on("exit", (code) => {
      const m = /(\d+) passed, (\d+) failed\s*$/.exec(tail);
      resolve({ code: code ?? 1, passed: m ? Number(m[1]) : 0, failed: m ? Number(m[2]) : 1 });
    });
  });
}

let passed = 0;
let failed = 0;
let code = 0;
for (const batch of batches) {
  const r = await run(batch);
  passed += r.passed;
  failed += r.failed;
  if (r.code !== 0) code = r.code;
}
if (batches.length > 1) console.log(`${passed} passed, ${failed} failed`);
process.exit(code);
