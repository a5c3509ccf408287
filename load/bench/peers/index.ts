/**
 * agentwire beside Schemathesis on the same embedded reference (`npm run bench -- --only peers`):
 *
 * - speed: per document, the healthy reference, agentwire's contract phase (full profile) and Schemathesis
 *   (every phase, every check, --max-examples 100), each alone, each capped in wall time: wall time,
 *   requests, requests/s and their ratio, medians over the repeats;
 * - detection: per reference fault, both tools on each document the fault breaks, each on a reference of
 *   its own with that fault, at the detection budget (agentwire's smoke profile and the phases that judge
 *   the checks the fault declares; Schemathesis --max-examples 5): a tool reports the fault when a faulty
 *   run has, on an operation the fault changes (scope.ts), a finding none of that tool's healthy runs at
 *   the same budget had and that is not exploration noise (findings.ts). What each tool reports on the
 *   healthy reference is kept too: the candidates for false alarms.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { CHECKS, isCheckName, phaseOf, type CheckName } from "../../../core/checks.ts";
import type { SpecId } from "../../../core/target.ts";
import { findFault } from "../../../reference/faults/catalog.ts";
import { startReference } from "../../../reference/index.ts";
import { runAgentwire, type AgentwireResult } from "./agentwire.ts";
import { causedByFault, withDeclared, withoutNoise, type PeerFinding } from "./findings.ts";
import { faultScope, readDocument, type DocOperation } from "./scope.ts";
import { ensureSchemathesis, PHASES as SCHEMATHESIS_PHASES, runSchemathesis, schemathesisVersion, type SchemathesisResult } from "./schemathesis.ts";

export const SPECS: SpecId[] = ["managed-deep-agents", "agent-server"];
const SPEC_OF_API = { managed: "managed-deep-agents", "agent-server": "agent-server" } as const satisfies Record<string, SpecId>;

/** The default fault subset: exchange rules both tools have checks for, a stream rule, and one of the Agent Server. */
export const DEFAULT_FAULTS = ["server-error", "wrong-field-type", "allow-lists-other-path", "stream-content-type", "missing-required-field"];

export interface PeersOptions {
  faults: string[];
  /** Catalogue faults the run leaves out, each with why (named beside the table). */
  leftOut?: { fault: string; why: string }[];
  repeats: number;
  /** The speed runs: agentwire's contract phase. */
  speed: Budget & { only: string };
  /** The detection runs: agentwire's phases are those of each fault's checks. */
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
  /** Schemathesis' wall-time cap per run. */
  capMs: number;
  /** Its stateful phase's cap, from the phase's start. */
  statefulCapMs: number;
}

const PHASES = ["contract", "streams", "load"] as const;
/** agentwire's phases that judge these checks, in run order. */
export const phasesFor = (checks: CheckName[]) => PHASES.filter((p) => checks.some((c) => phaseOf(c) === p));

/**
 * Healthy runs per document and tool at the detection budget: a finding that shows up in either is not
 * credited to a fault, so a random explorer's finding that one run happened to miss is not taken for one.
 */
const HEALTHY_RUNS = 2;

const document = (spec: SpecId) => join("specs", `${spec}.openapi.yaml`);
const DOCUMENTS = Object.fromEntries(SPECS.map((spec) => [spec, readDocument(document(spec))])) as Record<SpecId, ReturnType<typeof readDocument>>;
const OPERATIONS = Object.fromEntries(SPECS.map((spec) => [spec, DOCUMENTS[spec].operations])) as Record<SpecId, DocOperation[]>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perS = (requests: number, ms: number) => Math.round((requests / ms) * 10000) / 10;

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
      statefulCapMs: budget.statefulCapMs,
      dir,
    });
  } finally {
    await ref.stop();
  }
}

// agentwire ends by itself; its cap only guards against a hang (the budget's cap bounds Schemathesis,
// which keeps generating, and stalls on a run that never starts).
const AGENTWIRE_CAP_MS = 30 * 60_000;
const agentwireOn = (spec: SpecId, fault: string | undefined, profile: Budget["profile"], only: readonly string[], out: string) =>
  runAgentwire({ spec, profile, only: only.join(","), fault, out, capMs: AGENTWIRE_CAP_MS, documents: OPERATIONS });

const timing = (r: { wallMs: number; requests: number; exit: number | null; capped: boolean; internalErrors?: number; error?: string }) => ({
  wallMs: r.wallMs,
  requests: r.requests,
  reqPerS: perS(r.requests, r.wallMs),
  exit: r.exit,
  capped: r.capped,
  ...(r.internalErrors ? { internalErrors: r.internalErrors } : {}),
  ...(r.error ? { error: r.error } : {}),
});

type Timing = ReturnType<typeof timing>;

/**
 * One document's speed figures: medians over the runs, and their req/s ratio. Schemathesis' are over its
 * runs that finished when any did: a run stopped at its stateful phase's cap spent most of its time in a
 * stall (a wait the document allows, answered with keepalives), so its req/s measures the stall, not the
 * tool. `finished` says how many of its runs that is.
 */
export function speedOf(spec: SpecId, agentwire: Timing[], schemathesis: Timing[]) {
  const mid = (runs: Timing[]) => ({ wallMs: median(runs.map((r) => r.wallMs)), requests: median(runs.map((r) => r.requests)), reqPerS: median(runs.map((r) => r.reqPerS)) });
  const finished = schemathesis.filter((r) => !r.capped);
  const a = { runs: agentwire, median: mid(agentwire) };
  const s = { runs: schemathesis, median: mid(finished.length ? finished : schemathesis), finished: finished.length };
  return { spec, agentwire: a, schemathesis: s, ratio: s.median.reqPerS > 0 ? Math.round((a.median.reqPerS / s.median.reqPerS) * 10) / 10 : null };
}

/** Where a Schemathesis run was stopped at its cap, in words. */
const cappedIn = (r: SchemathesisResult) => (r.capped ? ` (capped${r.cappedIn ? ` in ${r.cappedIn}` : ""})` : "");

export async function runPeers(o: PeersOptions) {
  const exe = await ensureSchemathesis(o.log);
  mkdirSync(o.dir, { recursive: true });
  const faults = o.faults.map((name) => {
    const fault = findFault(name);
    if (!fault) throw new Error(`unknown fault "${name}"`);
    const caughtBy = fault.caughtBy as CheckName[];
    return { name, fault, specs: fault.apis.map((api) => SPEC_OF_API[api]), caughtBy, phases: phasesFor(caughtBy) };
  });

  const speed = [];
  if (!o.speedOff) {
    for (const spec of SPECS) {
      const aw: AgentwireResult[] = [];
      const st: SchemathesisResult[] = [];
      for (let i = 0; i < o.repeats; i++) {
        aw.push(await agentwireOn(spec, undefined, o.speed.profile, o.speed.only.split(","), join(o.dir, `speed-${spec}-${i}-agentwire`)));
        o.log(`  ${spec} agentwire run ${i + 1}: ${(aw.at(-1)!.wallMs / 1000).toFixed(1)} s, ${aw.at(-1)!.requests} requests${aw.at(-1)!.capped ? " (capped)" : ""}`);
        st.push(await schemathesisOn(exe, spec, [], o.speed, o, join(o.dir, `speed-${spec}-${i}-schemathesis`)));
        const last = st.at(-1)!;
        o.log(`  ${spec} Schemathesis run ${i + 1}: ${(last.wallMs / 1000).toFixed(1)} s, ${last.requests} requests${cappedIn(last)}${last.error ? `: ${last.error}` : ""}`);
      }
      speed.push(speedOf(spec, aw.map(timing), st.map(timing)));
    }
  }

  // A fault that breaks both APIs is tried on both documents: each tool has its own ways into each (the
  // Agent Server's erroring graph is not reachable through the Managed API), and a tool reports the fault
  // when it reports it on either.
  const cases = faults.flatMap((f) => f.specs.map((spec) => ({ ...f, spec, scope: faultScope(f.fault, DOCUMENTS[spec]) })));
  // The healthy baselines at the detection budget (agentwire with every phase a fault on that document
  // needs: a finding is keyed by its fingerprint, whichever other phases ran), then each case. Two tool
  // runs at a time, as a fault's pair ran before, but the next run starts as soon as either ends instead
  // of waiting for the slower of the pair. Each run has its own reference, and only findings are compared
  // here, never time.
  const specs = SPECS.filter((spec) => cases.some((c) => c.spec === spec));
  const healthyPhases = new Map(specs.map((spec) => [spec, PHASES.filter((p) => cases.some((c) => c.spec === spec && (c.phases as readonly string[]).includes(p)))]));
  const done = (what: string, r: AgentwireResult | SchemathesisResult) => {
    o.log(`  ${what}: ${(r.wallMs / 1000).toFixed(0)} s, ${r.findings.length} findings${"internalErrors" in r ? cappedIn(r) : ""}${r.error ? ` (${r.error})` : ""}`);
    return r;
  };
  const healthyJobs = specs.flatMap((spec) =>
    Array.from({ length: HEALTHY_RUNS }, (_, i) => [
      async () => done(`healthy ${spec} ${i + 1}, agentwire --only ${healthyPhases.get(spec)!.join(",")}`, await agentwireOn(spec, undefined, o.detect.profile, healthyPhases.get(spec)!, join(o.dir, `healthy-${spec}-${i}-agentwire`))),
      async () => done(`healthy ${spec} ${i + 1}, Schemathesis`, await schemathesisOn(exe, spec, [], o.detect, o, join(o.dir, `healthy-${spec}-${i}-schemathesis`))),
    ]).flat(),
  );
  const caseJobs = cases.flatMap((c) => [
    async () => done(`${c.name} on ${c.spec}, agentwire --only ${c.phases.join(",")}`, await agentwireOn(c.spec, c.name, o.detect.profile, c.phases, join(o.dir, `fault-${c.name}-${c.spec}-agentwire`))),
    async () => done(`${c.name} on ${c.spec}, Schemathesis`, await schemathesisOn(exe, c.spec, [c.name], o.detect, o, join(o.dir, `fault-${c.name}-${c.spec}-schemathesis`))),
  ]);
  const started = performance.now();
  const results = await inTurn([...healthyJobs, ...caseJobs], 2);
  const wallMs = Math.round(performance.now() - started);
  const healthy = new Map(
    specs.map((spec, s) => {
      const mine = results.slice(s * HEALTHY_RUNS * 2, (s + 1) * HEALTHY_RUNS * 2);
      return [spec, { phases: healthyPhases.get(spec)!, agentwire: mine.filter((_, i) => i % 2 === 0) as AgentwireResult[], schemathesis: mine.filter((_, i) => i % 2 === 1) as SchemathesisResult[] }];
    }),
  );
  const runs = cases.map((c, i) => {
    const aw = results[healthyJobs.length + 2 * i] as AgentwireResult;
    const st = results[healthyJobs.length + 2 * i + 1] as SchemathesisResult;
    const base = healthy.get(c.spec)!;
    const declared = (x: PeerFinding) => (c.caughtBy as string[]).includes(x.check) && isCheckName(x.check) && !["exchange", "stream"].includes(CHECKS[x.check].kind);
    return {
      c,
      aw,
      st,
      awCaused: { spec: c.spec, ...withDeclared(causedByFault(base.agentwire.map((r) => r.findings), aw.findings, c.scope), declared) },
      stCaused: { spec: c.spec, ...causedByFault(base.schemathesis.map((r) => r.findings), st.findings, c.scope) },
    };
  });
  // Only once every fault has run is it known what other runs found on operations their faults left alone.
  const awClean = withoutNoise(runs.map((r) => r.awCaused));
  const stClean = withoutNoise(runs.map((r) => r.stCaused));
  const documents = runs.map(({ c, aw, st }, i) => {
    const a = awClean[i]!;
    const b = stClean[i]!;
    return {
      fault: c.name,
      spec: c.spec,
      scope: c.scope,
      agentwire: { detected: a.credited.length > 0, byExpectedCheck: a.credited.some((x) => (c.caughtBy as string[]).includes(x.check)), findings: a.credited, offScope: a.offScope, elsewhere: a.elsewhere, noise: a.noise, wallMs: aw.wallMs, exit: aw.exit, capped: aw.capped, ...(aw.error ? { error: aw.error } : {}) },
      schemathesis: { detected: b.credited.length > 0, findings: b.credited, elsewhere: b.elsewhere, noise: b.noise, wallMs: st.wallMs, exit: st.exit, capped: st.capped, ...(st.cappedIn ? { cappedIn: st.cappedIn } : {}), internalErrors: st.internalErrors, ...(st.error ? { error: st.error } : {}) },
    };
  });
  const detection = faults.map((f) => {
    const mine = documents.filter((d) => d.fault === f.name).map(({ fault: _, ...d }) => d);
    return {
      fault: f.name,
      expectedChecks: f.caughtBy,
      phases: f.phases,
      agentwire: { detected: mine.some((d) => d.agentwire.detected), byExpectedCheck: mine.some((d) => d.agentwire.byExpectedCheck) },
      schemathesis: { detected: mine.some((d) => d.schemathesis.detected) },
      documents: mine,
    };
  });
  const said = (c: { credited: PeerFinding[]; noise: PeerFinding[] }) =>
    `${c.credited.length ? `reports it (${[...new Set(c.credited.map((x) => x.check))].join(", ")})` : "misses it"}${c.noise.length ? `; ${c.noise.length} seen without the fault` : ""}`;
  runs.forEach(({ c }, i) => o.log(`  ${c.name} on ${c.spec}: agentwire ${said(awClean[i]!)}; Schemathesis ${said(stClean[i]!)}`));
  const sum = (rs: { wallMs: number }[]) => rs.reduce((n, r) => n + r.wallMs, 0);

  return {
    settings: {
      schemathesis: { version: schemathesisVersion(), phases: SCHEMATHESIS_PHASES, checks: "all", workers: o.workers, seed: o.seed, requestTimeoutS: 30 },
      agentwire: { seed: 1, workers: "its default on the embedded reference" },
      speed: o.speed,
      detect: o.detect,
      healthyRuns: HEALTHY_RUNS,
      repeats: o.repeats,
    },
    speed,
    leftOut: o.leftOut ?? [],
    healthy: [...healthy].map(([spec, h]) => ({
      spec,
      phases: h.phases,
      agentwire: { open: h.agentwire[0]!.findings, waived: h.agentwire[0]!.waived },
      schemathesis: h.schemathesis[0]!.findings,
      // Anything one healthy run reports that the other does not: what a single run's differences are worth.
      unstable: { agentwire: unstable(h.agentwire.map((r) => r.findings)), schemathesis: unstable(h.schemathesis.map((r) => r.findings)) },
    })),
    // Wall time of the whole detection part, and the time each tool's runs took (two run at once).
    time: { wallMs, agentwireMs: sum(results.filter((_, i) => i % 2 === 0)), schemathesisMs: sum(results.filter((_, i) => i % 2 === 1)) },
    detection,
  };
}

/** Runs the jobs `width` at a time, in order, each as soon as a slot is free; their results in job order. */
export async function inTurn<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const slot = async () => {
    for (let i = next++; i < jobs.length; i = next++) results[i] = await jobs[i]!();
  };
  await Promise.all(Array.from({ length: width }, slot));
  return results;
}

const unstable = (runs: PeerFinding[][]) => {
  const keys = runs.map((r) => new Set(r.map((f) => f.key)));
  return [...new Set(runs.flat().filter((f) => keys.some((k) => !k.has(f.key))).map((f) => f.key))];
};

export type PeersResult = Awaited<ReturnType<typeof runPeers>>;
