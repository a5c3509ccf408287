/**
 * agentwire beside Schemathesis on the same embedded reference (`npm run bench -- --only peers`):
 *
 * - speed: per document, the healthy reference, agentwire's contract phase (full profile) and Schemathesis
 *   (every phase, every check, --max-examples 100), each alone, each capped in wall time: wall time,
 *   requests, requests/s and their ratio, medians over the repeats;
 * - detection: per reference fault, both tools on the document the fault breaks (the Managed one when it
 *   breaks both), each on a reference of its own with that fault, at the detection budget (smoke profile,
 *   contract and streams; Schemathesis --max-examples 5): a tool reports the fault when the faulty run has,
 *   on an operation the fault changes (scope.ts), a finding none of that tool's healthy runs at the same
 *   budget had. What each tool reports on the healthy reference is kept too: the candidates for false alarms.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { join } from "node:path";
import type { SpecId } from "../../../core/target.ts";
import { findFault } from "../../../reference/faults/catalog.ts";
import { startReference } from "../../../reference/index.ts";
import { runAgentwire, type AgentwireResult } from "./agentwire.ts";
import { causedByFault, type PeerFinding } from "./findings.ts";
import { faultScope, readDocument } from "./scope.ts";
import { ensureSchemathesis, runSchemathesis, schemathesisVersion, type SchemathesisResult } from "./schemathesis.ts";

export const SPECS: SpecId[] = ["managed-deep-agents", "agent-server"];

/** The default fault subset: exchange rules both tools have checks for, a stream rule, and one of the Agent Server. */
export const DEFAULT_FAULTS = ["server-error", "wrong-field-type", "allow-lists-other-path", "stream-content-type", "missing-required-field"];

export interface PeersOptions {
  faults: string[];
  repeats: number;
  /** agentwire's profile and Schemathesis' --max-examples for the speed runs and for the detection runs. */
  speed: Budget;
  detect: Budget;
  /** Schemathesis' --workers: agentwire's default on the embedded reference, so both send as many requests at once. */
  workers: number;
  seed: number;
  /** Skip the speed part (detection only). */
  speedOff?: boolean;
  dir: string;
  log(line: string): void;
}

export interface Budget {
  profile: "smoke" | "full";
  maxExamples: number;
  /** agentwire's phases. */
  only: string;
  /** Schemathesis' wall-time cap per run. */
  capMs: number;
}

const document = (spec: SpecId) => join("specs", `${spec}.openapi.yaml`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perS = (requests: number, ms: number) => Math.round((requests / ms) * 10000) / 10;

/**
 * The Agent Server document's event-stream operations, left out for Schemathesis: its stateful phase
 * stalled on one of them (a stream that stays open with heartbeats never meets its read timeout, and an
 * interrupt does not end it), losing the whole run's report. The Managed document's one stream ends with
 * its run and stays in.
 */
export function streamingOperations(spec: SpecId): string[] {
  if (spec !== "agent-server") return [];
  const doc = parse(readFileSync(document(spec), "utf8")) as { paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, { content?: Record<string, unknown> }> }>> };
  return Object.values(doc.paths).flatMap((item) =>
    Object.values(item).flatMap((op) => (op?.operationId && Object.values(op.responses ?? {}).some((r) => r?.content?.["text/event-stream"]) ? [op.operationId] : [])),
  );
}

/** Schemathesis on a fresh reference of its own (the same one agentwire's run starts), with the given faults. */
async function schemathesisOn(exe: string, spec: SpecId, faults: string[], budget: Budget, o: PeersOptions, dir: string): Promise<SchemathesisResult> {
  const ref = await startReference({ faults });
  try {
    return await runSchemathesis(exe, {
      document: document(spec),
      baseUrl: spec === "managed-deep-agents" ? ref.managedUrl : ref.agentServerUrl,
      apiKey: ref.apiKey,
      maxExamples: budget.maxExamples,
      workers: o.workers,
      seed: o.seed,
      capMs: budget.capMs,
      exclude: streamingOperations(spec),
      dir,
    });
  } finally {
    await ref.stop();
  }
}

// agentwire ends by itself; its cap only guards against a hang (the budget's cap bounds Schemathesis,
// which keeps generating, and stalled on a stream before).
const AGENTWIRE_CAP_MS = 30 * 60_000;
const agentwireOn = (spec: SpecId, fault: string | undefined, budget: Budget, out: string) =>
  runAgentwire({ spec, profile: budget.profile, only: budget.only, fault, out, capMs: AGENTWIRE_CAP_MS });

const timing = (r: { wallMs: number; requests: number; exit: number | null; capped: boolean; internalErrors?: number; error?: string }) => ({
  wallMs: r.wallMs,
  requests: r.requests,
  reqPerS: perS(r.requests, r.wallMs),
  exit: r.exit,
  capped: r.capped,
  ...(r.internalErrors ? { internalErrors: r.internalErrors } : {}),
  ...(r.error ? { error: r.error } : {}),
});

export async function runPeers(o: PeersOptions) {
  const exe = await ensureSchemathesis(o.log);
  mkdirSync(o.dir, { recursive: true });
  const faults = o.faults.map((name) => {
    const fault = findFault(name);
    if (!fault) throw new Error(`unknown fault "${name}"`);
    const spec: SpecId = fault.apis.includes("managed") ? "managed-deep-agents" : "agent-server";
    return { name, spec, caughtBy: fault.caughtBy as string[], scope: faultScope(fault, readDocument(document(spec))) };
  });

  const speed = [];
  if (!o.speedOff) {
    for (const spec of SPECS) {
      const aw: AgentwireResult[] = [];
      const st: SchemathesisResult[] = [];
      for (let i = 0; i < o.repeats; i++) {
        aw.push(await agentwireOn(spec, undefined, o.speed, join(o.dir, `speed-${spec}-${i}-agentwire`)));
        o.log(`  ${spec} agentwire run ${i + 1}: ${(aw.at(-1)!.wallMs / 1000).toFixed(1)} s, ${aw.at(-1)!.requests} requests${aw.at(-1)!.capped ? " (capped)" : ""}`);
        st.push(await schemathesisOn(exe, spec, [], o.speed, o, join(o.dir, `speed-${spec}-${i}-schemathesis`)));
        o.log(`  ${spec} Schemathesis run ${i + 1}: ${(st.at(-1)!.wallMs / 1000).toFixed(1)} s, ${st.at(-1)!.requests} requests${st.at(-1)!.capped ? " (capped)" : ""}${st.at(-1)!.error ? `: ${st.at(-1)!.error}` : ""}`);
      }
      const summarize = (rs: (AgentwireResult | SchemathesisResult)[]) => {
        const runs = rs.map(timing);
        return { runs, median: { wallMs: median(runs.map((r) => r.wallMs)), requests: median(runs.map((r) => r.requests)), reqPerS: median(runs.map((r) => r.reqPerS)) } };
      };
      const a = summarize(aw);
      const s = summarize(st);
      speed.push({ spec, agentwire: a, schemathesis: s, ratio: s.median.reqPerS > 0 ? Math.round((a.median.reqPerS / s.median.reqPerS) * 10) / 10 : null, healthy: { agentwire: aw, schemathesis: st } });
    }
  }

  // The healthy baselines at the detection budget, then each fault; both tools at once (each has its own
  // reference; only findings are compared here, never time).
  const specs = [...new Set(faults.map((f) => f.spec))];
  const healthy = new Map<SpecId, { agentwire: PeerFinding[][]; schemathesis: PeerFinding[][]; waived: number }>();
  const sameBudget = o.speed.profile === o.detect.profile && o.speed.maxExamples === o.detect.maxExamples && o.speed.only === o.detect.only;
  for (const spec of specs) {
    const [aw, st] = await Promise.all([agentwireOn(spec, undefined, o.detect, join(o.dir, `healthy-${spec}-agentwire`)), schemathesisOn(exe, spec, [], o.detect, o, join(o.dir, `healthy-${spec}-schemathesis`))]);
    const earlier = sameBudget ? speed.find((s) => s.spec === spec)?.healthy : undefined;
    healthy.set(spec, {
      agentwire: [aw.findings, ...(earlier?.agentwire.map((r) => r.findings) ?? [])],
      schemathesis: [st.findings, ...(earlier?.schemathesis.map((r) => r.findings) ?? [])],
      waived: aw.waived,
    });
    o.log(`  healthy ${spec}: agentwire ${aw.findings.length} open findings (${aw.waived} waived), Schemathesis ${st.findings.length}${st.capped ? " (capped)" : ""}`);
  }

  const detection = [];
  for (const f of faults) {
    const base = healthy.get(f.spec)!;
    const [aw, st] = await Promise.all([agentwireOn(f.spec, f.name, o.detect, join(o.dir, `fault-${f.name}-agentwire`)), schemathesisOn(exe, f.spec, [f.name], o.detect, o, join(o.dir, `fault-${f.name}-schemathesis`))]);
    const awCaused = causedByFault(base.agentwire, aw.findings, f.scope);
    const stCaused = causedByFault(base.schemathesis, st.findings, f.scope);
    detection.push({
      fault: f.name,
      spec: f.spec,
      expectedChecks: f.caughtBy,
      scope: f.scope,
      agentwire: { detected: awCaused.credited.length > 0, byExpectedCheck: awCaused.credited.some((x) => f.caughtBy.includes(x.check)), findings: awCaused.credited, elsewhere: awCaused.elsewhere, exit: aw.exit, capped: aw.capped, ...(aw.error ? { error: aw.error } : {}) },
      schemathesis: { detected: stCaused.credited.length > 0, findings: stCaused.credited, elsewhere: stCaused.elsewhere, exit: st.exit, capped: st.capped, internalErrors: st.internalErrors, ...(st.error ? { error: st.error } : {}) },
    });
    const said = (c: { credited: PeerFinding[]; elsewhere: PeerFinding[] }) =>
      `${c.credited.length ? `reports it (${[...new Set(c.credited.map((x) => x.check))].join(", ")})` : "misses it"}${c.elsewhere.length ? `, ${c.elsewhere.length} new findings elsewhere` : ""}`;
    o.log(`  ${f.name} (${f.scope.by === "any" ? "any operation" : f.scope.operations.join(", ")}): agentwire ${said(awCaused)}; Schemathesis ${said(stCaused)}`);
  }

  return {
    settings: {
      schemathesis: { excluded: { "agent-server": streamingOperations("agent-server") }, version: schemathesisVersion(), phases: "examples,coverage,fuzzing,stateful", checks: "all", workers: o.workers, seed: o.seed, requestTimeoutS: 30 },
      agentwire: { seed: 1, workers: "default (6 on the embedded reference)" },
      speed: o.speed,
      detect: o.detect,
      repeats: o.repeats,
    },
    speed: speed.map(({ healthy: _, ...s }) => s),
    healthy: [...healthy].map(([spec, h]) => ({ spec, agentwire: { open: h.agentwire[0]!, waived: h.waived }, schemathesis: h.schemathesis[0]! })),
    detection,
  };
}

export type PeersResult = Awaited<ReturnType<typeof runPeers>>;
