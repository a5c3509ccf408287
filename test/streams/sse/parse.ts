/** Test helper: runs the parser over bytes cut into the given chunks. */
import { SseParser } from "../../../streams/sse/parser.ts";
import type { FramingIssue, SseEvent } from "../../../streams/sse/types.ts";

export interface Parsed {
  events: SseEvent[];
  issues: FramingIssue[];
  partial: boolean;
}

export const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

/** Cuts `input` at the given offsets (any order, duplicates allowed) and feeds the pieces in order. */
export function parse(input: string | Uint8Array, cuts: number[] = [], options: { validate?: boolean; maxIssues?: number } = {}): Parsed {
  const buf = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const parser = new SseParser({ validate: true, ...options });
  const at = [0, ...cuts.filter((c) => c > 0 && c < buf.length).sort((a, b) => a - b), buf.length];
  const events: SseEvent[] = [];
  for (let k = 1; k < at.length; k++) events.push(...parser.feed(buf.subarray(at[k - 1], at[k]), 0));
  const partial = parser.finish();
  return { events, issues: parser.issues, partial };
}

/** Every way of cutting `input` into two pieces, plus one byte at a time. */
export function everySplit(input: string | Uint8Array): number[][] {
  const n = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  return [...Array.from({ length: n + 1 }, (_, i) => [i]), Array.from({ length: n }, (_, i) => i)];
}

export const rules = (p: Parsed) => p.issues.map((i) => i.rule);
export const datas = (p: Parsed) => p.events.map((e) => e.data);
