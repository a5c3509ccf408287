// A node:test reporter: one line per test, failure details, and a last line "N passed, N failed".
import { inspect } from "node:util";

export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for await (const { type, data } of source) {
    if (type === "test:pass" || type === "test:fail") {
      // Only leaf tests count; suites report through their children.
      if (data.details?.type === "suite") continue;
      const ms = Math.round(data.details?.duration_ms ?? 0);
      const name = `${data.file ? data.file.replace(process.cwd() + "/", "") + " › " : ""}${data.name}`;
      if (type === "test:pass" && (data.skip || data.todo)) {
        skipped++;
        yield `- ${name} (skipped${typeof data.skip === "string" ? `: ${data.skip}` : ""})\n`;
      } else if (type === "test:pass") {
        passed++;
        yield `✔ ${name} (${ms} ms)\n`;
      } else {
        failed++;
        yield `✖ ${name} (${ms} ms)\n`;
        const err = data.details?.error;
        failures.push(`✖ ${name}\n${indent(inspect(err?.cause ?? err, { depth: 4 }))}`);
      }
    } else if (type === "test:diagnostic" && /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(data.message) === false) {
      yield `# ${data.message}\n`;
    } else if (type === "test:stderr" || type === "test:stdout") {
      yield data.message;
    }
  }
  if (failures.length) yield `\nFailures:\n\n${failures.join("\n\n")}\n\n`;
  if (skipped) yield `${skipped} skipped\n`;
  yield `${passed} passed, ${failed} failed\n`;
}

const indent = (s) => s.split("\n").map((l) => `    ${l}`).join("\n");
