/**
 * The house rules a newcomer can rely on: the whole project type-checks, and data flows one way —
 * core → results → contract/streams/load → runner/cli, with reporters reading results only and the
 * reference standing apart (it imports nothing of the suite but core/). No import cycle anywhere.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SOURCE_FOLDERS = ["bin", "cli", "core", "contract", "streams", "load", "results", "reporters", "runner", "reference", "scripts"];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(path);
    return /\.(ts|mjs)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [normalize(path)] : [];
  });
}

/** Every relative import (static, type-only or dynamic) of every source file. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SOURCE_FOLDERS.flatMap(sources)) {
    const text = readFileSync(join(ROOT, file), "utf8");
    const targets = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => normalize(join(dirname(file), m[1]!)));
    graph.set(file, targets);
  }
  return graph;
}

const folder = (file: string) => file.split("/")[0]!;

/** Which top-level folders each folder must never import. */
const FORBIDDEN: Record<string, string[]> = {
  core: ["results", "contract", "streams", "load", "runner", "reporters", "cli", "reference"],
  results: ["contract", "streams", "load", "runner", "reporters", "cli", "reference"],
  contract: ["streams", "load", "runner", "reporters", "cli", "reference"],
  streams: ["load", "runner", "reporters", "cli", "reference"],
  load: ["runner", "reporters", "cli"],
  reporters: ["contract", "streams", "load", "runner", "cli", "reference"],
  runner: ["reporters", "cli", "reference", "load"],
  reference: ["results", "contract", "streams", "load", "runner", "reporters", "cli", "scripts"],
};

test("imports between folders follow the one-way flow", () => {
  const wrong: string[] = [];
  for (const [file, targets] of importGraph()) {
    for (const target of targets) {
      if (FORBIDDEN[folder(file)]?.includes(folder(target))) wrong.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("no import cycle between files", () => {
  const graph = importGraph();
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(".", f)).join(" → "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});

test("the whole project type-checks (tsc, runner and tests included)", () => {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", ROOT], { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`.slice(0, 4000));
});
