/**
 * The README's tables of checks and faults are generated from the check registry and the fault catalogue,
 * so the documentation cannot drift from the code: `node --import tsx scripts/readme.ts` rewrites them,
 * and a project test fails when they are out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHECK_NAMES, CHECKS } from "../core/checks.ts";
import { FAULTS } from "../reference/faults/catalog.ts";

export const README = fileURLToPath(new URL("../README.md", import.meta.url));

const code = (names: string[]) => names.map((n) => `\`${n}\``).join(", ");

function faultTable(): string {
  const rows = FAULTS.map((f) => `| \`${f.name}\` | ${f.apis.join(", ")} | ${f.rule} | ${code(f.caughtBy)} |`);
  return ["| fault | API | rule it breaks | caught by |", "|---|---|---|---|", ...rows].join("\n");
}

function checkTable(): string {
  const rows = CHECK_NAMES.map((name) => {
    const faults = FAULTS.filter((f) => (f.caughtBy as string[]).includes(name)).map((f) => f.name);
    return `| \`${name}\` | ${CHECKS[name].kind} | ${CHECKS[name].rule} | ${faults.length ? code(faults) : "—"} |`;
  });
  return ["| check | kind | rule | reference faults it catches |", "|---|---|---|---|", ...rows].join("\n");
}

const SECTIONS: Record<string, () => string> = { checks: checkTable, faults: faultTable };

/** The text with its generated section `name` replaced by `body`. */
export function replaceSection(text: string, name: string, body: string): string {
  const begin = `<!-- generated: ${name} -->`;
  const end = `<!-- end: ${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no "${begin}" … "${end}" section`);
  return `${text.slice(0, from + begin.length)}\n${body}\n${text.slice(to)}`;
}

/** The body of the text's generated section `name`, if it has one. */
export function sectionOf(text: string, name: string): string | undefined {
  const begin = `<!-- generated: ${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(`<!-- end: ${name} -->`);
  return from < 0 || to < from ? undefined : text.slice(from + begin.length, to).trim();
}

/**
 * The README with every section generated from the code replaced by its current rendering. (The `peers`
 * section is written from a measurement instead, by `npm run bench -- --only peers --readme`.)
 */
export function renderReadme(text: string): string {
  let out = text;
  for (const [name, render] of Object.entries(SECTIONS)) out = replaceSection(out, name, render());
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(README, "utf8");
  const next = renderReadme(text);
  if (next !== text) writeFileSync(README, next);
  console.log(next === text ? "README.md is up to date" : "README.md updated");
}
