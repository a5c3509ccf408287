/**
 * What each tool of the peer benchmark reported, in one shape, and which of it a fault caused: the findings
 * on the faulty target whose key the healthy target's runs never showed. Pure functions over the tools'
 * own reports (agentwire's summary.json, Schemathesis' JUnit file), so the project's tests run them on
 * fixtures without running either tool.
 */
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

/**
 * The run's findings as a user of agentwire sees them: open ones, and why it stopped if the target was
 * unusable. A finding that names no operation is on those its flow or scenario sent requests to.
 */
export function agentwireFindings(summary: Pick<Summary, "findings" | "unusable" | "units">): PeerFinding[] {
  const unitOperations = (u: { flow?: string } | undefined) =>
    u?.flow ? [...new Set((summary.units ?? []).filter((j) => j.flow === u.flow).flatMap((j) => j.operations))] : [];
  const open = summary.findings
    .filter((f) => !f.waived)
    .map((f) => ({ key: f.fingerprint, check: f.check, operation: f.operationId, operations: f.operationId ? [f.operationId] : unitOperations(f.unit), message: f.message.split("\n")[0]! }));
  const unusable = summary.unusable ? [{ key: "unusable", check: "target_usable", operation: "", operations: [], message: summary.unusable }] : [];
  return [...open, ...unusable];
}

/** agentwire's waived findings: the reference's documented deviations, shown but not failing the run. */
export const agentwireWaived = (summary: Pick<Summary, "findings">) => summary.findings.filter((f) => f.waived).length;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) =>
    e[0] === "#" ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? all),
  );
const attr = (tag: string, name: string) => unescapeXml(new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? "");

// Path segments that are ids a run made up or got back (uuids, long hex or digit strings): a stateful
// sequence's request is keyed by its path template, not by this run's ids.
const ID_SEGMENT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|\d+)$/i;

/** `METHOD /path` of a curl reproducer, relative to the base URL, ids replaced by `{id}`. */
function curlOperation(body: string, baseUrl: string): string {
  const curls = [...body.matchAll(/curl -X (\w+) .*?'?(https?:\/\/[^\s']+)'?\s*$/gm)];
  const last = curls.at(-1);
  if (!last) return "";
  let path = new URL(last[2]!).pathname;
  const base = new URL(baseUrl).pathname.replace(/\/$/, "");
  if (base && path.startsWith(base)) path = path.slice(base.length) || "/";
  return `${last[1]} ${path.split("/").map((s) => (ID_SEGMENT.test(s) ? "{id}" : s)).join("/")}`;
}

/**
 * Schemathesis' findings from its JUnit report: one per failed check of a test case (`<failure
 * message="ST…">`), keyed by the check's code and the operation (for its stateful sequences, the request
 * that failed, from its reproducer), which names the document's operation it is on. Errors count only
 * when the target caused them (a network error, a timeout); Schemathesis' own internal errors (its
 * "Runtime Error") are not a claim about the target.
 */
export function schemathesisFindings(junit: string, baseUrl: string, documentOperations: DocOperation[]): PeerFinding[] {
  const out: PeerFinding[] = [];
  for (const testcase of junit.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = attr(testcase[1]!, "name");
    const inner = testcase[2] ?? "";
    for (const m of inner.matchAll(/<(failure|error)\b([^>]*)>([\s\S]*?)<\/\1>/g)) {
      const body = unescapeXml(m[3]!);
      const lines = body.split("\n").map((l) => l.trim()).filter(Boolean);
      const operation = name === "Stateful tests" ? curlOperation(body, baseUrl) : name;
      const id = resolveOperation(documentOperations, operation);
      const operations = id ? [id] : [];
      if (m[1] === "error") {
        const title = lines[0] ?? "error";
        if (/runtime error/i.test(title)) continue;
        out.push({ key: `error ${title} ${operation}`, check: "error", operation, operations, message: [title, lines[1]].filter(Boolean).join(": ") });
        continue;
      }
      // One test case can fail several checks at once (message="ST101, ST103"), each with its own title line.
      const status = lines.find((l) => /^\[\d{3}\]/.test(l))?.replace(/:$/, "");
      for (const code of attr(m[2]!, "message").split(",").map((c) => c.trim()).filter(Boolean)) {
        const titleAt = lines.findIndex((l) => l.startsWith(`- ${code} `));
        const title = titleAt >= 0 ? lines[titleAt]!.slice(code.length + 3) : code;
        const next = titleAt >= 0 ? lines[titleAt + 1] : undefined;
        const detail = (next && !next.startsWith("- ") ? next : status)?.replace(/:$/, "");
        out.push({ key: `${code} ${operation}`, check: `${code} ${title}`, operation, operations, message: [title, detail].filter(Boolean).join(": ") });
      }
    }
  }
  return dedupe(out);
}

/** Schemathesis' own internal errors in its JUnit report (not findings; test cases it could not finish). */
export const schemathesisInternalErrors = (junit: string) => [...junit.matchAll(/<error\b[^>]*>\s*Runtime Error/g)].length;

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
