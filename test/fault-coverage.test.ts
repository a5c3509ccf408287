/**
 * One source for "which fault does each check catch": every fault declares the checks that report it, the
 * fault-matrix tests prove exactly those pairs, every check is caught by some fault or, for what only a
 * broken target shows (its setup refused, the concurrent runs unable to start), by a hostile-target case,
 * and the README's tables are the registry and the catalogue as they are.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CHECK_NAMES, type CheckName } from "../core/checks.ts";
import { FAULTS } from "../reference/faults/catalog.ts";
import { README, renderReadme } from "../scripts/readme.ts";
import { CONTRACT_CASES, MULTITASK_CASES, OTHER_CASES, STREAM_CASES } from "./support/fault-cases.ts";
import { HOSTILE_CASES } from "./support/hostile-cases.ts";

const proven = [...CONTRACT_CASES, ...STREAM_CASES, ...MULTITASK_CASES, ...OTHER_CASES].map((c) => `${c.fault} → ${c.check}`);
const declared = FAULTS.flatMap((f) => f.caughtBy.map((check) => `${f.name} → ${check}`));

test("every fault-matrix case is a pair its fault declares, and every declared pair has a case", () => {
  assert.deepEqual(proven.filter((p) => !declared.includes(p)), [], "cases whose fault does not declare the check");
  assert.deepEqual([...new Set(declared.filter((p) => !proven.includes(p)))], [], "declared pairs without a case");
});

test("every check in the registry is caught by a reference fault or a hostile target (test/cli/hostile.test.ts)", () => {
  const caught = new Set<CheckName>([...FAULTS.flatMap((f) => f.caughtBy), ...HOSTILE_CASES.flatMap((c) => c.proves ?? [])]);
  assert.deepEqual(CHECK_NAMES.filter((c) => !caught.has(c)), []);
  assert.deepEqual(HOSTILE_CASES.filter((c) => c.proves && !c.judged).map((c) => c.behaviour), [], "a hostile case that proves a check must assert it");
});

test("the README's check and fault tables are generated from the registry and the catalogue", () => {
  const text = readFileSync(README, "utf8");
  assert.equal(renderReadme(text), text, "README.md is out of date: run node --import tsx scripts/readme.ts");
});
