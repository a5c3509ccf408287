/**
 * Collects what a unit of conformance work observed: requests per operation, findings with curl
 * reproducers and replay information, and per-rule stream verdicts. Plain data, so it crosses process
 * boundaries (Playwright workers) as JSON.
 */
import type { CheckName } from "../core/checks.ts";
import type { HttpRequest } from "../core/exchange.ts";
import { redact, redactRequest } from "../core/redact.ts";
import { curl } from "../core/reproducer.ts";
import type { SetupError } from "../core/setup.ts";
import type { SpecId } from "../core/target.ts";
import type { Finding, Replay, UnitRef, Violation } from "./finding.ts";
import { fingerprintOf } from "./fingerprint.ts";
import type { JudgedUnit, NotJudged, StreamResult } from "./summary.ts";
import type { UnitTiming } from "./timing.ts";

export interface OperationTally {
  spec: SpecId;
  operationId: string;
  requests: number;
  /** The target answered 404/405 for the route itself. */
  notImplemented?: boolean;
  /** Wall time of the units that worked on it (ms). */
  durationMs?: number;
}

export interface UnitResult {
  operations: OperationTally[];
  findings: Finding[];
  streams: StreamResult[];
  notJudged: NotJudged[];
  /** Contract units judged to their end (the conformance matrix's "passed" comes only from these). */
  units?: JudgedUnit[];
  /** How long the unit took, and how much of it was spent waiting on the target. */
  timings?: UnitTiming[];
}

export const emptyResult = (): UnitResult => ({ operations: [], findings: [], streams: [], notJudged: [] });

/** Where a finding was made: the operation, and the stream, strategy and unit it was judged in. */
export interface Where {
  spec: SpecId;
  operationId: string;
  streamMode?: string;
  strategy?: string;
  unit?: UnitRef;
}

export interface EvidenceOptions {
  replay?: Replay;
  /** The response status the request got, when there was one. */
  status?: number;
  /** The request opened an event stream (the reproducer keeps the connection open with curl -N). */
  stream?: boolean;
  /** The sequence of requests that led to it, as a shell script. */
  sequence?: string;
}

const findingKey = (f: Pick<Finding, "spec" | "operationId" | "check" | "streamMode" | "strategy" | "message">) =>
  [f.spec, f.operationId, f.check, f.streamMode ?? "", f.strategy ?? "", f.message].join("|");

export class Recorder {
  private tallies = new Map<string, OperationTally>();
  private findings: Finding[] = [];
  private streams: StreamResult[] = [];
  private notJudged: NotJudged[] = [];
  private seen = new Set<string>();
  private judgedUnit: Omit<JudgedUnit, "operations"> | undefined;

  /** Counts requests sent to an operation. */
  request(where: Pick<Where, "spec" | "operationId">, count = 1): void {
    this.tally(where).requests += count;
  }

  /** Adds the wall time a unit spent on an operation. */
  elapsed(where: Pick<Where, "spec" | "operationId">, ms: number): void {
    const t = this.tally(where);
    t.durationMs = (t.durationMs ?? 0) + ms;
  }

  notImplemented(where: Pick<Where, "spec" | "operationId">): void {
    this.tally(where).notImplemented = true;
  }

  /** Records violations, each with a reproducer of the request that showed it. */
  violations(where: Where, violations: Violation[], request: HttpRequest, options: EvidenceOptions = {}): void {
    for (const v of violations) {
      const located = { check: v.check, spec: where.spec, operationId: where.operationId, message: redact(v.message), streamMode: v.streamMode ?? where.streamMode, strategy: v.strategy ?? where.strategy };
      const finding: Finding = {
        fingerprint: fingerprintOf(located),
        check: v.check,
        spec: where.spec,
        operationId: where.operationId,
        message: redact(v.message),
        ...optional("streamMode", v.streamMode ?? where.streamMode),
        ...optional("strategy", v.strategy ?? where.strategy),
        ...optional("unit", where.unit),
        ...optional("replay", options.replay),
        exchange: { request: redactRequest(request), ...optional("status", options.status) },
        reproducer: curl(request, { stream: options.stream }),
        ...optional("sequence", options.sequence),
      };
      // The same breach seen through many generated inputs is one finding; the first reproducer is kept.
      const key = findingKey(finding);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.findings.push(finding);
    }
  }

  /** Records a check's verdict on one stream or scenario (findings for it go through violations()). */
  stream(where: Where & { streamMode: string }, check: CheckName, verdict: boolean | { notJudged: string }): void {
    const at = { spec: where.spec, operationId: where.operationId, streamMode: where.streamMode, check };
    if (typeof verdict === "object") {
      this.streams.push({ ...at, verdict: "skipped", reason: verdict.notJudged });
      return;
    }
    this.streams.push({ ...at, verdict: verdict ? "failed" : "passed" });
  }

  /** A unit, or part of one, that could not be judged. */
  skip(entry: NotJudged): void {
    this.notJudged.push({ ...entry, reason: redact(entry.reason) });
  }

  /**
   * A unit whose preparation failed is not judged; when the target answered, its answer is a fixture_setup
   * finding with the request that failed (when it did not answer, the target is unusable: no claim is made).
   */
  setupFailed(unit: Pick<NotJudged, "unit" | "operationId"> & { spec: SpecId }, error: SetupError): void {
    if (error.status !== undefined) this.violations({ spec: unit.spec, operationId: error.operationId }, [{ check: "fixture_setup", message: error.message }], error.request, { status: error.status });
    this.skip({ ...unit, reason: `could not prepare it: ${error.message}`, cause: "target" });
  }

  /** The unit ran to its end and was judged; the operations it sent requests to are taken from the tallies. */
  judged(unit: Omit<JudgedUnit, "operations">): void {
    this.judgedUnit = unit;
  }

  result(): UnitResult {
    const operations = [...this.tallies.values()];
    const units = this.judgedUnit ? [{ ...this.judgedUnit, operations: operations.filter((t) => t.requests > 0).map((t) => t.operationId) }] : undefined;
    return { operations, findings: this.findings, streams: this.streams, notJudged: this.notJudged, ...(units ? { units } : {}) };
  }

  private tally(where: Pick<Where, "spec" | "operationId">): OperationTally {
    const key = `${where.spec}|${where.operationId}`;
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, (t = { spec: where.spec, operationId: where.operationId, requests: 0 }));
    return t;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Merges unit results (from workers, shards or phases); a finding or stream verdict reported twice is kept once. */
export function mergeResults(results: UnitResult[]): UnitResult {
  const tallies = new Map<string, OperationTally>();
  for (const r of results)
    for (const t of r.operations) {
      const key = `${t.spec}|${t.operationId}`;
      const prev = tallies.get(key);
      const durationMs = prev?.durationMs === undefined && t.durationMs === undefined ? undefined : (prev?.durationMs ?? 0) + (t.durationMs ?? 0);
      tallies.set(key, prev ? { ...prev, requests: prev.requests + t.requests, notImplemented: prev.notImplemented || t.notImplemented, ...(durationMs !== undefined ? { durationMs } : {}) } : { ...t });
    }
  const once = <T>(xs: T[], key: (x: T) => string) => [...new Map(xs.map((x) => [key(x), x])).values()];
  return {
    operations: [...tallies.values()],
    findings: once(results.flatMap((r) => r.findings), findingKey),
    streams: once(results.flatMap((r) => r.streams), (s) => `${s.spec}|${s.operationId}|${s.streamMode}|${s.check}`),
    notJudged: once(results.flatMap((r) => r.notJudged ?? []), (n) => `${n.unit}|${n.reason}`),
    units: once(results.flatMap((r) => r.units ?? []), (u) => u.unit),
    timings: once(results.flatMap((r) => r.timings ?? []), (u) => u.unit),
  };
}
