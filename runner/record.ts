/**
 * Collects what a unit of conformance work observed: requests per operation, findings with curl
 * reproducers and replay seeds, and per-rule stream verdicts. Plain data, so it crosses process
 * boundaries (Playwright workers) as JSON.
 */
import type { HttpRequest } from "../core/exchange.ts";
import type { Finding, SpecId, Violation } from "../core/finding.ts";
import { curl } from "../core/reproducer.ts";
import type { StreamResult } from "../reports/summary.ts";

export interface OperationTally {
  spec: SpecId;
  operationId: string;
  requests: number;
  /** The target answered 404/405 for the route itself. */
  notImplemented?: boolean;
}

export interface UnitResult {
  operations: OperationTally[];
  findings: Finding[];
  streams: StreamResult[];
}

export interface Where {
  spec: SpecId;
  operationId: string;
}

export class Recorder {
  private tallies = new Map<string, OperationTally>();
  private findings: Finding[] = [];
  private streams: StreamResult[] = [];
  private seen = new Set<string>();

  /** Counts one request sent to an operation. */
  request(where: Where, count = 1): void {
    const t = this.tally(where);
    t.requests += count;
  }

  notImplemented(where: Where): void {
    this.tally(where).notImplemented = true;
  }

  /** Records violations against an operation, each with a reproducer of the request that showed it. */
  violations(where: Where, violations: Violation[], request: HttpRequest, options: { seed?: string; stream?: boolean } = {}): void {
    for (const v of violations) {
      // The same breach seen through many generated inputs is one finding; the first reproducer is kept.
      const key = `${where.spec}|${where.operationId}|${v.check}|${v.message}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.findings.push({ check: v.check, spec: where.spec, operationId: where.operationId, message: v.message, reproducer: curl(request, { stream: options.stream }), seed: options.seed });
    }
  }

  /** Records one stream rule's verdict (findings for it go through violations()). */
  stream(where: Where, streamMode: string, check: string, failed: boolean): void {
    this.streams.push({ ...where, streamMode, check, verdict: failed ? "failed" : "passed" });
  }

  result(): UnitResult {
    return { operations: [...this.tallies.values()], findings: this.findings, streams: this.streams };
  }

  private tally(where: Where): OperationTally {
    const key = `${where.spec}|${where.operationId}`;
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, (t = { spec: where.spec, operationId: where.operationId, requests: 0 }));
    return t;
  }
}

/** Merges unit results (from workers, shards or phases). */
export function mergeResults(results: UnitResult[]): UnitResult {
  const tallies = new Map<string, OperationTally>();
  for (const r of results)
    for (const t of r.operations) {
      const key = `${t.spec}|${t.operationId}`;
      const prev = tallies.get(key);
      tallies.set(key, prev ? { ...prev, requests: prev.requests + t.requests, notImplemented: prev.notImplemented || t.notImplemented } : { ...t });
    }
  return { operations: [...tallies.values()], findings: results.flatMap((r) => r.findings), streams: results.flatMap((r) => r.streams) };
}
