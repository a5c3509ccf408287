/**
 * A finding's stable identity: the same violation gets the same fingerprint in every run, whatever the
 * seed, the target's ids or the timing. It hashes where the rule broke (API, operation, check, stream mode
 * and multitask strategy) and the message with everything run-specific taken out: uuids, ISO timestamps,
 * long hex ids, the run's tag, quoted generated values and numbers (not the status code an answer got).
 */
import { createHash } from "node:crypto";
import type { Finding } from "./finding.ts";

const RULES: [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, "<time>"],
  [/\bagentwire-[\w-]+/g, "<tag>"],
  [/\b[0-9a-f]{12,}\b/gi, "<id>"],
  // Generated values the message quotes (property-based inputs differ from seed to seed).
  [/"(?:[^"\\]|\\.)*"/g, '"<s>"'],
  [/'(?:[^'\\]|\\.)*'/g, "'<s>'"],
  // Numbers, except the status code an answer got ("answered 500", "refused with 400"): that is the violation.
  [/(?<!(?:answered|with|got|expected|status) )\b\d+(\.\d+)?\b/g, "<n>"],
];

/** The message as it reads in every run: no ids, numbers, timestamps or generated strings. */
export function normaliseMessage(message: string): string {
  return RULES.reduce((m, [re, to]) => m.replace(re, to), message).replace(/\s+/g, " ").trim();
}

export type Fingerprinted = Pick<Finding, "spec" | "operationId" | "check" | "streamMode" | "strategy" | "message">;

/** 16 hex digits of a SHA-256 over the finding's location and normalised message. */
export function fingerprintOf(f: Fingerprinted): string {
  const parts = [f.spec, f.operationId, f.check, f.streamMode ?? "", f.strategy ?? "", normaliseMessage(f.message)];
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16);
}
