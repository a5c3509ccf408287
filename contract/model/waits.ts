/**
 * Which operations the document says wait: a long poll, a call that returns a run's final output, a join.
 * Their answers take as long as what they wait for, so a response-time limit does not apply to them.
 * Decided from the document's own words only (summary, description, parameters), so a document the suite
 * has never seen gets the same reading.
 */
import type { Operation } from "./types.ts";

/** Words that say the call itself waits: "and wait", "waits until …", "waits for …", "long-polls". */
const WAITS = /\b(?:and wait|waits? (?:until|for)|waiting (?:until|for)|long[- ]?poll(?:s|ing)?)\b/gi;
/** "… returns at once, without waiting for its output" says the opposite. */
const NEGATED = /\b(?:without|not|never|no)\s+$/i;

function waitingPhrase(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const m of text.matchAll(WAITS)) {
    if (!NEGATED.test(text.slice(Math.max(0, m.index - 12), m.index))) return m[0];
  }
  return undefined;
}

/**
 * Why the document says the operation waits, quoting it; undefined when it does not. A parameter counts
 * when it is named for waiting (`wait`, `wait_seconds`) or its description long-polls: the call then waits
 * when asked to, and the suite's generated requests may ask.
 */
export function waitsFor(op: Operation): string | undefined {
  for (const [where, text] of [["summary", op.summary], ["description", op.description]] as const) {
    const phrase = waitingPhrase(text);
    if (phrase) return `its ${where} says "${phrase}"`;
  }
  for (const p of op.parameters) {
    if (/^wait(?:_|$)/i.test(p.name)) return `its ${p.in} parameter "${p.name}" asks it to wait`;
    const phrase = waitingPhrase(p.description);
    if (phrase && /poll/i.test(phrase)) return `its ${p.in} parameter "${p.name}" says "${phrase}"`;
  }
  return undefined;
}
