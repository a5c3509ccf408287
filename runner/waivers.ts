/**
 * Waivers: explicit, reasoned acceptances of known deviations. A waived finding is still reported, marked
 * with its waiver; it only stops counting against the verdict. Waivers never hide anything silently: one
 * that matches no finding is reported as unused.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Finding } from "../core/finding.ts";

export interface Waiver {
  id: string;
  spec: Finding["spec"];
  /** Check names this waiver covers ("*" for every check). */
  checks: string[];
  /** operationId globs (`*` matches any run of characters). */
  operations: string[];
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

function validate(w: any, where: string): Waiver {
  const need = (k: string, ok: boolean) => {
    if (!ok) throw new WaiverError(`${where}: "${k}" is missing or malformed`);
  };
  need("id", typeof w?.id === "string" && w.id.length > 0);
  need("spec", w.spec === "managed-deep-agents" || w.spec === "agent-server");
  need("checks", Array.isArray(w.checks) && w.checks.every((c: unknown) => typeof c === "string"));
  need("reason", typeof w.reason === "string" && w.reason.length > 10);
  const message = w.message ?? ".*";
  try {
    new RegExp(message);
  } catch {
    throw new WaiverError(`${where}: "message" is not a valid regular expression`);
  }
  const operations = w.operations === undefined ? ["*"] : Array.isArray(w.operations) ? w.operations : [w.operations];
  need("operations", operations.every((o: unknown) => typeof o === "string"));
  return { id: w.id, spec: w.spec, checks: w.checks, operations, message, reason: w.reason };
}

const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

export function matches(w: Waiver, f: Finding): boolean {
  return (
    w.spec === f.spec &&
    (w.checks.includes("*") || w.checks.includes(f.check)) &&
    w.operations.some((o) => glob(o).test(f.operationId)) &&
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
