/** What a check reports, with the context it was found in as fields (never squeezed into the message). */
import type { CheckName } from "../core/checks.ts";
import type { HttpRequest } from "../core/exchange.ts";
import type { SpecId } from "../core/target.ts";

/** How to send the same input again. */
export type Replay =
  /** Generated input: the run seed and, for a shrunk counterexample, its fast-check path ("seed:path"). */
  | { seed: number; path?: string }
  /** One of the document's own request examples, by name. */
  | { example: string }
  /** A coverage case, by name: derived from the schema, around a base request the run seed picks. */
  | { seed: number; case: string };

/** Which unit of work found it (a check family of an operation, a flow, a stream scenario, a load part). */
export interface UnitRef {
  family?: string;
  /** Property round of a family (each round looks for failures of checks not reported yet). */
  round?: number;
  flow?: string;
  scenario?: string;
}

export interface Finding {
  /** Stable identity of the violation across runs, seeds and targets (results/fingerprint.ts). */
  fingerprint: string;
  check: CheckName;
  spec: SpecId;
  operationId: string;
  message: string;
  /** The stream the rule judged, as requested: e.g. "values", "values+messages-tuple", "on_disconnect=cancel". */
  streamMode?: string;
  /** The multitask_strategy under which it was seen. */
  strategy?: string;
  unit?: UnitRef;
  replay?: Replay;
  /** The exchange that shows it: the request (secrets redacted when written) and the status it got. */
  exchange?: { request: HttpRequest; status?: number };
  /** A curl command that repeats the request, secrets replaced by environment variable references. */
  reproducer: string;
  /** A finding of a sequence of requests (a random walk): the whole sequence as a shell script, ending with `reproducer`'s request. */
  sequence?: string;
  /** Set when a listed waiver covers this finding: it is shown but does not fail the run. */
  waived?: { reason: string; waiver: string };
  /** Set when a waiver covers it but has expired: the finding is open. */
  expiredWaiver?: { waiver: string; expires: string };
}

/** A check's raw verdict before the recorder adds where it was found and how to reproduce it. */
export interface Violation {
  check: CheckName;
  message: string;
  /** Context only the check knows (the strategy of a burst, the stream it judged). */
  streamMode?: string;
  strategy?: string;
}

export const formatReplay = (r: Replay): string =>
  "example" in r ? `example:${r.example}` : "case" in r ? `${r.seed} case:${r.case}` : r.path ? `${r.seed}:${r.path}` : String(r.seed);
