/**
 * What each tool of the peer benchmark reported, in one shape, and which of it a fault caused: the findings
 * on the faulty target whose key the healthy target's runs never showed. Pure functions over the tools'
 * own reports (agentwire's summary.json, Schemathesis' event log), so the project's tests run them on
 * fixtures without running either tool.
 */
import { CHECKS, isCheckName } from "../../../core/checks.ts";
import type { SpecId } from "../../../core/target.ts";
import type { Summary } from "../../../results/summary.ts";
import { inScope, resolveOperation, type DocOperation, type FaultScope } from "./scope.ts";

export interface PeerFinding {
  /** Stable across runs of the same tool: what "the same finding" means when healthy and faulty are compared. */
  key: string;
  check: string;
  /** `METHOD /path` (Schemathesis) or the operationId (agentwire); "" when the finding names none. */
  operation: string;
  /** The operationIds it is on: its own, a flow's or stream scenario's requests, none when it names none. */
  operations: string[];
  /** One line: the check's title and the first line of its detail. */
  message: string;
}

// What the load phase sends (load/driver/scenario.ts, load/multitask/observe.ts): its gates and the findings
// of its multitask bursts judge these requests together, so that is what they are on.
const SWEEP = ["POST /threads", "POST /threads/{thread_id}/runs/stream"];
const MULTITASK = ["POST /threads", "POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}", "GET /threads/{thread_id}"];

/**
 * The run's findings as a user of agentwire sees them: open ones, broken gates, and why it stopped if the
 * target was unusable. A finding that names no operation is on those its flow or scenario sent requests to;
 * a broken gate, and a finding of the multitask bursts, on those the load phase's part sent.
 */
export function agentwireFindings(summary: Pick<Summary, "findings" | "unusable" | "units" | "gates" | "load">, documents: Partial<Record<SpecId, DocOperation[]>>): PeerFinding[] {
  const resolve = (spec: SpecId, requests: string[]) => [...new Set(requests.flatMap((r) => resolveOperation(documents[spec] ?? [], r.split("?")[0]!) ?? []))];
  const unitOperations = (u: { flow?: string } | undefined) =>
    u?.flow ? [...new Set((summary.units ?? []).filter((j) => j.flow === u.flow).flatMap((j) => j.operations))] : [];
  const open = summary.findings
    .filter((f) => !f.waived)
    .map((f) => ({
      key: f.fingerprint,
      check: f.check,
      operation: f.operationId,
      operations: isCheckName(f.check) && CHECKS[f.check].kind === "multitask" ? resolve("agent-server", MULTITASK) : f.operationId ? [f.operationId] : unitOperations(f.unit),
      message: f.message.split("\n")[0]!,
    }));
  const loadSpec: SpecId = summary.load?.api === "agent-server" ? "agent-server" : "managed-deep-agents";
  const gateOperations = (name: string) =>
    name === "load_json_slo"
      ? resolve(loadSpec, (summary.load?.json?.endpoints ?? []).map((e) => `${e.method} ${e.path}`))
      : name === "load_multitask_ran"
        ? resolve("agent-server", MULTITASK)
        : resolve(loadSpec, SWEEP);
  const gates = summary.gates
    .filter((g) => !g.passed)
    .map((g) => ({ key: `gate ${g.name}`, check: g.name, operation: "", operations: gateOperations(g.name), message: g.detail.split("\n")[0]! }));
  const unusable = summary.unusable ? [{ key: "unusable", check: "target_usable", operation: "", operations: [], message: summary.unusable }] : [];
  return [...open, ...gates, ...unusable];
}

/** agentwire's waived findings: the reference's documented deviations, shown but not failing the run. */
export const agentwireWaived = (summary: Pick<Summary, "findings">) => summary.findings.filter((f) => f.waived).length;

// requests' exceptions (and Schemathesis' verdicts on an unresponsive target): what the target caused,
// unlike Schemathesis' own internal errors, which say nothing about it.
const NETWORK_ERRORS = new Set([
  "ConnectionError", "ConnectTimeout", "ReadTimeout", "Timeout", "ChunkedEncodingError", "ContentDecodingError", "TooManyRedirects",
  "InvalidHeader", "RetryError", "SSLError", "ProxyError", "RequestException", "UnhealthyAPIError", "UnresponsiveOperationError",
]);

interface Failure {
  code?: string;
  operation?: string;
  title?: string;
  message?: string;
}
type Check = { name: string; status: string; failure_info?: { failure?: Failure } };
type Event = {
  ScenarioFinished?: { recorder?: { checks?: Record<string, Check[]> } };
  NonFatalError?: { label?: string; value?: { type?: string; message?: string } };
  PhaseStarted?: { phase?: { name?: string } };
  PhaseFinished?: { phase?: { name?: string } };
};

/** Schemathesis' event log (`--report ndjson`), one event a line; a line cut short by a kill is left out. */
function events(ndjson: string): Event[] {
  return ndjson.split("\n").flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as Event] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Schemathesis' findings from its event log, which it writes as it goes, so a run stopped at its cap keeps
 * everything it found until then: one per failed check (its code) and operation (the document's template,
 * for stateful sequences too). Errors count only when the target caused them (a network error, a timeout);
 * its own internal errors are not a claim about the target.
 */
export function schemathesisFindings(ndjson: string, documentOperations: DocOperation[]): PeerFinding[] {
  const out: PeerFinding[] = [];
  const on = (operation: string) => {
    const id = resolveOperation(documentOperations, operation);
    return id ? [id] : [];
  };
  for (const e of events(ndjson)) {
    for (const checks of Object.values(e.ScenarioFinished?.recorder?.checks ?? {})) {
      for (const c of checks) {
        const f = c.failure_info?.failure;
        if (c.status !== "failure" || !f) continue;
        const code = f.code ?? c.name;
        const operation = f.operation ?? "";
        const title = f.title ?? c.name;
        const detail = f.message?.split("\n")[0];
        out.push({ key: `${code} ${operation}`, check: `${code} ${title}`, operation, operations: on(operation), message: [title, detail].filter(Boolean).join(": ") });
      }
    }
    const error = e.NonFatalError;
    if (error && NETWORK_ERRORS.has(error.value?.type ?? "")) {
      const operation = error.label ?? "";
      const type = error.value!.type!;
      out.push({ key: `error ${type} ${operation}`, check: "error", operation, operations: on(operation), message: [type, error.value?.message?.split("\n")[0]].filter(Boolean).join(": ") });
    }
  }
  return dedupe(out);
}

/** The phase Schemathesis had started and not finished when its event log ends (a run stopped in it). */
export function unfinishedPhase(ndjson: string): string | undefined {
  let open: string | undefined;
  for (const e of events(ndjson)) {
    if (e.PhaseStarted) open = e.PhaseStarted.phase?.name;
    if (e.PhaseFinished && e.PhaseFinished.phase?.name === open) open = undefined;
  }
  return open;
}

/** Schemathesis' own internal errors in its event log (not findings; test cases it could not finish). */
export const schemathesisInternalErrors = (ndjson: string) => events(ndjson).filter((e) => e.NonFatalError && !NETWORK_ERRORS.has(e.NonFatalError.value?.type ?? "")).length;

const dedupe = (fs: PeerFinding[]) => [...new Map(fs.map((f) => [f.key, f])).values()];

/**
 * The findings a fault caused: those of the faulty run whose key none of the healthy runs showed (their
 * union, so a finding one healthy run happened to miss is not credited to the fault) and that are on an
 * operation the fault changes. New findings elsewhere are what a different exploration of the same
 * target found: kept apart, never credited.
 */
export function causedByFault(healthy: PeerFinding[][], faulty: PeerFinding[], scope: FaultScope): { credited: PeerFinding[]; elsewhere: PeerFinding[] } {
  const seen = new Set(healthy.flat().map((f) => f.key));
  const fresh = dedupe(faulty.filter((f) => !seen.has(f.key)));
  return { credited: fresh.filter((f) => inScope(scope, f.operations)), elsewhere: fresh.filter((f) => !inScope(scope, f.operations)) };
}

/**
 * A finding judged over several requests (a lifecycle scenario, a flow, the multitask bursts, a gate) names
 * one operation, where the broken rule showed, not always one the fault changes (approval-wrong-tool
 * rewrites the agent's interrupt_config; the wrong approval shows in the run's stream). Such a finding by a
 * check the fault declares is credited wherever it is (`offScope`), since the catalogue's project tests
 * show that check fails on this fault and passes on the healthy references.
 */
export function withDeclared<T extends { credited: PeerFinding[]; elsewhere: PeerFinding[] }>(caused: T, declared: (f: PeerFinding) => boolean): T & { offScope: PeerFinding[] } {
  const offScope = caused.elsewhere.filter(declared);
  return { ...caused, credited: [...caused.credited, ...offScope], elsewhere: caused.elsewhere.filter((f) => !declared(f)), offScope };
}

/**
 * A finding that the runs of two or more other faults had on operations their faults do not change was
 * found there without anything it is on being broken: credited to a fault, it is exploration noise, not
 * that fault's doing (two healthy runs do not show everything a random explorer reaches). One such run is
 * not enough: a fault that breaks an earlier request of a sequence shows up on the later ones (a stream cut
 * short leaves the thread an interrupt was to be resolved on as it was). Per document: the same key on the
 * other document is another operation. Moves such credits to `noise`.
 */
export function withoutNoise<T extends { spec: string; credited: PeerFinding[]; elsewhere: PeerFinding[] }>(runs: T[]): (T & { noise: PeerFinding[] })[] {
  const runsWith = new Map<string, number>();
  for (const r of runs) for (const key of new Set(r.elsewhere.map((f) => `${r.spec} ${f.key}`))) runsWith.set(key, (runsWith.get(key) ?? 0) + 1);
  const noise = (r: T, f: PeerFinding) => (runsWith.get(`${r.spec} ${f.key}`) ?? 0) >= 2;
  return runs.map((r) => ({ ...r, credited: r.credited.filter((f) => !noise(r, f)), noise: r.credited.filter((f) => noise(r, f)) }));
}

/**
 * The number of exchanges in a HAR file (Schemathesis records every request it sent). A run killed at its
 * cap leaves the file cut short: its complete entries are counted then.
 */
export function harEntries(har: string): number {
  try {
    const parsed = JSON.parse(har) as { log?: { entries?: unknown[] } };
    return parsed.log?.entries?.length ?? 0;
  } catch {
    return [...har.matchAll(/"timings"\s*:/g)].length;
  }
}
