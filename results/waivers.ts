/**
 * Waivers: explicit, reasoned acceptances of known deviations. A waived finding is still reported, marked
 * with its waiver; it only stops counting against the verdict. Waivers never hide anything silently: one
 * that matches no finding is reported as unused.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { isCheckName } from "../core/checks.ts";
import { SPEC_IDS } from "../core/target.ts";
import type { Finding } from "./finding.ts";

export interface Waiver {
  id: string;
  spec: Finding["spec"];
  /** Check names this waiver covers ("*" for every check). */
  checks: string[];
  /** operationId globs (`*` matches any run of characters). */
  operations: string[];
  /** Stream mode globs; absent: any finding, with or without a stream mode. */
  streamModes?: string[];
  /** multitask_strategy globs; absent: any finding, with or without a strategy. */
  strategies?: string[];
  /** Regular expression the finding's message must match. */
  message: string;
  reason: string;
}

export class WaiverError extends Error {}

export function loadWaivers(file: string): Waiver[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new WaiverError(`cannot read waivers from ${file}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!Array.isArray(raw)) throw new WaiverError(`${file}: expected a list of waivers`);
  return raw.map((w, i) => validate(w, `${file} item ${i + 1}`));
}

const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const optionalGlobs = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

function validate(w: any, where: string): Waiver {
  const need = (k: string, ok: boolean, expected: string) => {
    if (!ok) throw new WaiverError(`${where}: "${k}" is missing or malformed (expected ${expected})`);
  };
  need("id", typeof w?.id === "string" && w.id.length > 0, "a non-empty string");
  need("spec", SPEC_IDS.includes(w.spec), SPEC_IDS.join(" or "));
  need("checks", stringList(w.checks), "a list of check names");
  for (const c of w.checks as string[]) if (c !== "*" && !isCheckName(c)) throw new WaiverError(`${where}: unknown check "${c}"`);
  need("reason", typeof w.reason === "string" && w.reason.length > 10, "a sentence saying why");
  const message = w.message ?? ".*";
  try {
    new RegExp(message);
  } catch {
    throw new WaiverError(`${where}: "message" is not a valid regular expression`);
  }
  const operations = optionalGlobs(w.operations) ?? ["*"];
  need("operations", stringList(operations), "operationId globs");
  const streamModes = optionalGlobs(w.streamModes);
  if (streamModes) need("streamModes", stringList(streamModes), "stream mode globs");
  const strategies = optionalGlobs(w.strategies);
  if (strategies) need("strategies", stringList(strategies), "multitask_strategy globs");
  return { id: w.id, spec: w.spec, checks: w.checks, operations, ...(streamModes ? { streamModes } : {}), ...(strategies ? { strategies } : {}), message, reason: w.reason };
}

const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
const anyGlob = (patterns: string[] | undefined, value: string | undefined) => patterns === undefined || (value !== undefined && patterns.some((p) => glob(p).test(value)));

export function matches(w: Waiver, f: Finding): boolean {
  return (
    w.spec === f.spec &&
    (w.checks.includes("*") || w.checks.includes(f.check)) &&
    anyGlob(w.operations, f.operationId) &&
    anyGlob(w.streamModes, f.streamMode) &&
    anyGlob(w.strategies, f.strategy) &&
    new RegExp(w.message).test(f.message)
  );
}

/** Marks waived findings; returns the ids of waivers that matched nothing. */
export function applyWaivers(findings: Finding[], waivers: Waiver[]): { findings: Finding[]; unused: string[] } {
  const used = new Set<string>();
  const out = findings.map((f) => {
    const w = waivers.find((x) => matches(x, f));
    if (!w) return f;
    used.add(w.id);
    return { ...f, waived: { waiver: w.id, reason: w.reason } };
  });
  return { findings: out, unused: waivers.filter((w) => !used.has(w.id)).map((w) => w.id) };
}
