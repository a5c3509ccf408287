/**
 * Waivers: explicit, reasoned acceptances of known deviations. A waived finding is still reported, marked
 * with its waiver; it only stops counting against the verdict. Waivers never hide anything silently: one
 * past its `expires` day no longer waives (its findings are open, and the run names it), and a user's
 * waiver that matched nothing in a run that exercised what it covers is reported as stale.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { isCheckName, phaseOf } from "../core/checks.ts";
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
  /** YYYY-MM-DD: from this day on (UTC) the waiver no longer waives. */
  expires?: string;
  owner?: string;
  ticket?: string;
  /** The embedded reference's own list, or the user's (files given with --waivers, or the config). */
  scope?: "reference" | "user";
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
  return parseWaivers(raw, file);
}

/** Waivers as parsed YAML (a file's, or those written in the config); `where` names them in errors. */
export const parseWaivers = (raw: unknown[], where: string): Waiver[] => raw.map((w, i) => validate(w, `${where} item ${i + 1}`));

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
  // YAML reads an unquoted 2027-03-01 as a date.
  const expires = w.expires instanceof Date ? w.expires.toISOString().slice(0, 10) : w.expires;
  if (expires !== undefined) need("expires", typeof expires === "string" && /^\d{4}-\d{2}-\d{2}$/.test(expires) && !Number.isNaN(Date.parse(expires)), "a date YYYY-MM-DD");
  for (const k of ["owner", "ticket"] as const) if (w[k] !== undefined) need(k, typeof w[k] === "string" && w[k].length > 0, "a non-empty string");
  return {
    id: w.id,
    spec: w.spec,
    checks: w.checks,
    operations,
    ...(streamModes ? { streamModes } : {}),
    ...(strategies ? { strategies } : {}),
    message,
    reason: w.reason,
    ...(expires ? { expires } : {}),
    ...(w.owner ? { owner: w.owner } : {}),
    ...(w.ticket ? { ticket: w.ticket } : {}),
  };
}

const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
const anyGlob = (patterns: string[] | undefined, value: string | undefined) => patterns === undefined || (value !== undefined && patterns.some((p) => glob(p).test(value)));

/** What a waiver looks at in a finding. */
export type Waivable = Pick<Finding, "spec" | "check" | "operationId" | "streamMode" | "strategy" | "message">;

export function matches(w: Waiver, f: Waivable): boolean {
  return (
    w.spec === f.spec &&
    (w.checks.includes("*") || w.checks.includes(f.check)) &&
    anyGlob(w.operations, f.operationId) &&
    anyGlob(w.streamModes, f.streamMode) &&
    anyGlob(w.strategies, f.strategy) &&
    new RegExp(w.message).test(f.message)
  );
}

/** True from the waiver's `expires` day on (UTC). */
export const isExpired = (w: Pick<Waiver, "expires">, now: Date) => w.expires !== undefined && now.toISOString().slice(0, 10) >= w.expires;

/** True when a waiver in force waives the finding. */
export const waivedBy = (waivers: Waiver[], now = new Date()) => (f: Waivable) => waivers.some((w) => !isExpired(w, now) && matches(w, f));

/**
 * Marks waived findings. An expired waiver waives nothing: the findings it matches stay open and carry
 * `expiredWaiver`. Returns the ids of waivers that matched nothing, and the expired ones that matched.
 */
export function applyWaivers(findings: Finding[], waivers: Waiver[], now = new Date()): { findings: Finding[]; unused: string[]; expired: ExpiredWaiver[] } {
  const used = new Set<string>();
  const expired = new Map<string, ExpiredWaiver>();
  const out = findings.map((f) => {
    const w = waivers.find((x) => matches(x, f));
    if (!w) return f;
    used.add(w.id);
    if (isExpired(w, now)) {
      const e = expired.get(w.id) ?? { id: w.id, expires: w.expires!, ...who(w), findings: 0 };
      e.findings++;
      expired.set(w.id, e);
      return { ...f, expiredWaiver: { waiver: w.id, expires: w.expires! } };
    }
    return { ...f, waived: { waiver: w.id, reason: w.reason } };
  });
  return { findings: out, unused: waivers.filter((w) => !used.has(w.id)).map((w) => w.id), expired: [...expired.values()] };
}

const who = (w: Waiver) => ({ ...(w.owner ? { owner: w.owner } : {}), ...(w.ticket ? { ticket: w.ticket } : {}) });

/** An expired waiver that matched findings in this run (they are open now). */
export interface ExpiredWaiver {
  id: string;
  expires: string;
  owner?: string;
  ticket?: string;
  /** Findings it matched, open because it expired. */
  findings: number;
}

/** A user's waiver that matched nothing in a run that exercised what it covers (shown; it does not fail the run). */
export interface StaleWaiver {
  id: string;
  owner?: string;
  ticket?: string;
  expires?: string;
}

/**
 * The user's unused waivers that this run could have used: the reference's own lists cover deviations some
 * seeds and profiles never reach, and a waiver for an API or phase this run did not test says nothing.
 */
export function staleWaivers(waivers: Waiver[], unused: string[], ran: { phases: string[]; specs: string[] }): StaleWaiver[] {
  return waivers
    .filter((w) => w.scope !== "reference" && unused.includes(w.id) && ran.specs.includes(w.spec))
    .filter((w) => {
      const phases = w.checks.includes("*") ? ["contract", "streams", "load"] : w.checks.map((c) => (isCheckName(c) ? phaseOf(c) : undefined));
      return phases.some((p) => p !== undefined && ran.phases.includes(p));
    })
    .map((w) => ({ id: w.id, ...who(w), ...(w.expires ? { expires: w.expires } : {}) }));
}
