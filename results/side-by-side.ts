/**
 * The result of one run against each embedded reference (`--reference both`): each reference's own summary,
 * whole, and a verdict that fails when either fails. summary.json of such a run holds this document; each
 * reference's full reports sit in a folder named after it.
 */
import type { Summary } from "./summary.ts";

export interface SideBySide {
  schemaVersion: Summary["schemaVersion"];
  kind: "side-by-side";
  tool: Summary["tool"];
  verdict: "pass" | "fail";
  interrupted: boolean;
  startedAt: string;
  durationMs: number;
  /** Each reference's summary, keyed by reference ("js", "python"), in the order they ran. */
  references: Record<string, Summary>;
}

export function sideBySide(summaries: Summary[]): SideBySide {
  const first = summaries[0]!;
  const started = Math.min(...summaries.map((s) => Date.parse(s.startedAt)));
  const ended = Math.max(...summaries.map((s) => Date.parse(s.startedAt) + s.durationMs));
  return {
    schemaVersion: first.schemaVersion,
    kind: "side-by-side",
    tool: first.tool,
    verdict: summaries.every((s) => s.verdict === "pass") ? "pass" : "fail",
    interrupted: summaries.some((s) => s.interrupted),
    startedAt: new Date(started).toISOString(),
    durationMs: ended - started,
    references: Object.fromEntries(summaries.map((s) => [s.targets.reference ?? "remote", s])),
  };
}
