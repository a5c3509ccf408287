/**
 * Checks over one burst of concurrent runs on one thread (./observe.ts). Each is a plain function from the
 * observation to violations. What each strategy must do is the Agent Server's documented behaviour: reject
 * refuses a run while another is in flight (409); enqueue runs them all, one after another, in order;
 * interrupt and rollback let the newest run win, interrupting or deleting the ones in flight.
 */
import type { CheckName } from "../../core/checks.ts";
import type { Violation } from "../../results/finding.ts";
import type { BurstRun, ThreadObservation } from "./observe.ts";

const TERMINAL = new Set(["success", "error", "interrupted", "timeout"]);
const accepted = (o: ThreadObservation) => o.runs.filter((r): r is BurstRun & { runId: string } => r.runId !== undefined);
const label = (r: BurstRun) => `run ${r.index} (${r.runId ?? "not created"})`;

export type MultitaskCheck = ((o: ThreadObservation) => Violation[]) & { checkName: CheckName };
type Report = (message: string) => Violation;
/** Each violation carries the strategy of the burst it was seen in, so verdicts and reports find a strategy's own. */
const check = (checkName: CheckName, judge: (o: ThreadObservation, v: Report) => Violation[]): MultitaskCheck =>
  Object.assign((o: ThreadObservation) => judge(o, (message) => ({ check: checkName, message, strategy: o.strategy })), { checkName });

/** Accepted runs in the order the server created them (send order breaks ties of equal timestamps). */
function inCreationOrder(o: ThreadObservation) {
  return accepted(o).sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? "") || a.index - b.index);
}

/** Every accepted run is accounted for: terminal and listed on its thread, or deleted where rollback allows it. */
export const multitaskNoLostRuns = check("multitask_load_no_lost_runs", (o, v) => {
  const listed = new Set(o.listed);
  const out: Violation[] = [];
  for (const r of accepted(o)) {
    if (r.fate === "deleted") {
      if (o.strategy !== "rollback") out.push(v(`${label(r)} was accepted but no longer exists (GET answers 404); only rollback may delete a run`));
    } else if (r.fate === "unfinished") out.push(v(`${label(r)} was still in flight when the burst's deadline passed`));
    else if (!TERMINAL.has(r.fate ?? "")) out.push(v(`${label(r)} cannot be read back: ${r.fate}`));
    else if (!listed.has(r.runId)) out.push(v(`${label(r)} exists but is missing from the thread's run list`));
  }
  return out;
});

/** No run twice: distinct ids, a run list without repeats or strangers, no input executed twice. */
export const multitaskNoDuplicateRuns = check("multitask_load_no_duplicate_runs", (o, v) => {
  const out: Violation[] = [];
  const ids = accepted(o).map((r) => r.runId);
  const repeated = (xs: string[]) => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];
  for (const id of repeated(ids)) out.push(v(`two creations answered with the same run id ${id}`));
  for (const id of repeated(o.listed)) out.push(v(`run ${id} appears more than once in the thread's run list`));
  const known = new Set(ids);
  for (const id of new Set(o.listed)) if (!known.has(id)) out.push(v(`the thread lists run ${id}, which none of the suite's creations returned`));
  for (const input of repeated(o.humanInputs)) out.push(v(`the thread's state holds the input "${input}" more than once: a run executed twice`));
  return out;
});

/** A thread runs one run at a time: no sample of its run list shows two runs running. */
export const multitaskOneRunAtATime = check("multitask_load_one_run_at_a_time", (o, v) => {
  if (o.maxRunning <= 1) return [];
  return [v(`${o.maxRunning} runs were running on one thread at once (${o.overlapping?.join(", ")})`)];
});

/** Each strategy's documented outcome. */
export const multitaskOutcome = check("multitask_load_outcome", (o, v) => {
  const out: Violation[] = [];
  const runs = inCreationOrder(o);
  for (const r of o.runs) {
    if (r.runId) continue;
    if (o.strategy !== "reject") out.push(v(`${label(r)}: creation answered ${r.createStatus}, expected a created run (${r.createBody ?? ""})`));
    else if (r.createStatus !== 409) out.push(v(`${label(r)}: a refused creation got ${r.createStatus}, expected 409 (${r.createBody ?? ""})`));
  }
  if (!runs.length) return [...out, v("no run was created")];
  const last = runs.at(-1)!;
  const fateIs = (r: BurstRun, allowed: string[], what: string) => {
    if (!allowed.includes(r.fate ?? "")) out.push(v(`${label(r)} ended ${r.fate}, expected ${what}`));
  };
  switch (o.strategy) {
    case "reject":
      for (const r of runs) fateIs(r, ["success"], "success");
      // An accepted run must have found the thread free: created after the previous accepted run ended.
      for (let i = 1; i < runs.length; i++) {
        const prev = runs[i - 1]!;
        if (prev.updatedAt && runs[i]!.createdAt && runs[i]!.createdAt! < prev.updatedAt) out.push(v(`${label(runs[i]!)} was accepted at ${runs[i]!.createdAt} while ${label(prev)} was in flight (until ${prev.updatedAt}); reject must refuse it`));
      }
      break;
    case "enqueue": {
      for (const r of runs) fateIs(r, ["success"], "success (every enqueued run runs)");
      const order = o.humanInputs.filter((h) => runs.some((r) => r.input === h));
      const want = runs.map((r) => r.input);
      if (order.join("\n") !== want.join("\n")) out.push(v(`enqueued runs executed out of creation order: thread inputs ${order.map((h) => runs.findIndex((r) => r.input === h)).join(",")}, creation order ${runs.map((_, i) => i).join(",")}`));
      break;
    }
    case "interrupt":
    case "rollback": {
      fateIs(last, ["success"], "success (the newest run wins)");
      const gone = o.strategy === "interrupt" ? "interrupted" : "deleted";
      for (const r of runs.slice(0, -1)) fateIs(r, [gone, "success"], `${gone} by a newer run (or success if it ended before that run arrived)`);
      break;
    }
  }
  return out;
});

/** The thread ends consistent with its runs: idle after a last successful run, every successful run's input present, no refused or deleted run's. */
export const multitaskThreadConsistent = check("multitask_load_thread_consistent", (o, v) => {
  const out: Violation[] = [];
  const runs = inCreationOrder(o);
  if (runs.at(-1)?.fate === "success" && o.threadStatus !== "idle") out.push(v(`after its last run succeeded the thread is ${o.threadStatus}, expected idle`));
  const present = new Set(o.humanInputs);
  for (const r of o.runs) {
    if (r.fate === "success" && !present.has(r.input)) out.push(v(`${label(r)} succeeded but its input is missing from the thread's state`));
    if ((!r.runId || r.fate === "deleted") && present.has(r.input)) out.push(v(`${label(r)} was ${r.runId ? "deleted" : "refused"} but its input is in the thread's state`));
  }
  return out;
});

export const MULTITASK_CHECKS: MultitaskCheck[] = [multitaskNoLostRuns, multitaskNoDuplicateRuns, multitaskOneRunAtATime, multitaskOutcome, multitaskThreadConsistent];
export const MULTITASK_CHECK_NAMES = MULTITASK_CHECKS.map((c) => c.checkName);
