/** What a check reports, and how findings are waived. */

export type SpecId = "managed-deep-agents" | "agent-server";

export interface Finding {
  /** Name of the check that produced it, e.g. "status_code_documented". */
  check: string;
  spec: SpecId;
  operationId: string;
  message: string;
  /** A curl command that repeats the request, secrets replaced by environment variable references. */
  reproducer: string;
  /** Replay seed, e.g. "1234" or "1234:44:0:1" (seed and fast-check path), when the input was generated. */
  seed?: string;
  /** Set when a listed waiver covers this finding: it is shown but does not fail the run. */
  waived?: { reason: string; waiver: string };
}

/** A check's raw verdict before the runner adds spec, operation and reproducer. */
export interface Violation {
  check: string;
  message: string;
}
