/**
 * What a run has measured so far, and the summary it makes at any moment: at the end, and also at an
 * interrupt (written at once, so a hard stop that follows still leaves a report marked interrupted).
 */
import type { Leftover } from "../core/cleanup.ts";
import type { SpecId, Target } from "../core/target.ts";
import { WALK_BOUNDS } from "../contract/engine/walk-bounds.ts";
import { linksOf } from "../contract/model/links.ts";
import { lint } from "../contract/model/lint.ts";
import type { Finding } from "../results/finding.ts";
import { describeMachine } from "../results/machine.ts";
import { mergeResults, type UnitResult } from "../results/recorder.ts";
import { blocksVerdict, SCHEMA_VERSION, verdictOf, type Gate, type LoadReport, type Summary, type WalkSummary } from "../results/summary.ts";
import { multitaskVerdicts, operationVerdicts, streamVerdicts } from "../results/verdicts.ts";
import { timeReport } from "../results/timing.ts";
import { applyWaivers, staleWaivers, type Waiver } from "../results/waivers.ts";
import type { RunConfig } from "./args.ts";
import { packageInfo } from "./package-info.ts";
import type { resolveSpecs } from "./specs.ts";

type SpecSet = Awaited<ReturnType<typeof resolveSpecs>>["set"];

export type PhaseName = "contract" | "streams" | "load";

export class RunRecord {
  readonly startedAt = new Date();
  private readonly t0 = performance.now();
  target: Target | undefined;
  faults: string[] = [];
  readonly phases = new Map<PhaseName, Summary["phases"][number]>();
  /** Unit results of the conformance phases; undefined while they run (read from the runner's parts then). */
  conformance: UnitResult | undefined;
  load: LoadReport | null = null;
  readonly gates: Gate[] = [];
  readonly loadFindings: Finding[] = [];
  readonly leftovers: Leftover[] = [];
  /** Why the suite stopped sending to the target. */
  unusable: string | undefined;
  interrupted = false;

  constructor(
    private readonly config: RunConfig,
    private readonly specs: SpecSet,
    private readonly waivers: Waiver[],
  ) {}

  /** The APIs this run sent requests to (a waiver for another one cannot be stale). */
  private testedSpecs(): string[] {
    return [...(this.target?.managedUrl ? ["managed-deep-agents"] : []), ...(this.target?.agentServerUrl ? ["agent-server"] : [])];
  }

  /** A phase that never started says why. */
  notStarted(name: PhaseName, why: string): void {
    if (!this.phases.has(name)) this.phases.set(name, { name, ran: false, durationMs: 0, note: why });
  }

  /** The summary of what was measured, with `partial` conformance results when that phase is still running. */
  summary(partial?: UnitResult): { summary: Summary } {
    const merged = mergeResults([this.conformance ?? partial ?? { operations: [], findings: [], streams: [], notJudged: [] }]);
    const { findings, unused, expired } = applyWaivers([...merged.findings, ...this.loadFindings], this.waivers);
    const blocking = merged.notJudged.filter(blocksVerdict).length;
    const notApplicable = merged.notJudged.length - blocking;
    const conformanceNote = [blocking ? `${blocking} units not judged` : "", notApplicable ? `${notApplicable} not applicable` : ""].filter(Boolean).join(", ");
    const phases = (["contract", "streams", "load"] as const).map((name) => {
      const p = this.phases.get(name) ?? { name, ran: false, durationMs: 0, note: this.config.only.includes(name) ? (this.interrupted ? "not started: the run was interrupted" : undefined) : "not selected (--only)" };
      const note = [p.note, p.ran && name !== "load" ? conformanceNote : ""].filter(Boolean).join("; ");
      return { name, ran: p.ran, durationMs: Math.round(p.durationMs), ...(note ? { note } : {}) };
    });
    const pkg = packageInfo();
    const partialSummary: Omit<Summary, "verdict"> = {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: pkg.name, version: pkg.version },
      interrupted: this.interrupted,
      startedAt: this.startedAt.toISOString(),
      durationMs: Math.round(performance.now() - this.t0),
      targets: {
        embedded: this.target?.embedded ?? false,
        ...(this.target?.reference ? { reference: this.target.reference } : {}),
        managedDeepAgents: this.target?.managedUrl,
        agentServer: this.target?.agentServerUrl,
        faults: this.faults,
      },
      seed: this.config.seed,
      profile: this.config.profile,
      walks: walkSummary(this.specs, this.config.profile),
      phases,
      operations: operationVerdicts(documentedOperations(this.specs), merged.operations, findings, merged.notJudged),
      lint: Object.entries(this.specs).flatMap(([spec, model]) => lint(model!.spec, model!.validator).map((i) => ({ spec, ...i }))),
      findings,
      streams: streamVerdicts(merged.streams, findings),
      notJudged: merged.notJudged,
      units: merged.units ?? [],
      ...(this.unusable ? { unusable: this.unusable } : {}),
      leftovers: this.leftovers,
      load: this.load && multitaskVerdicts(this.load, findings),
      gates: this.gates,
      waivers: { expired, stale: this.interrupted || this.unusable ? [] : staleWaivers(this.waivers, unused, { phases: phases.filter((p) => p.ran).map((p) => p.name), specs: this.testedSpecs() }) },
      time: timeReport(merged.timings ?? []),
      machine: describeMachine(),
    };
    return { summary: { ...partialSummary, verdict: verdictOf(partialSummary) } };
  }
}

/** The walks' bounds in this profile, and the links they walk per document. */
export function walkSummary(set: SpecSet, profile: "smoke" | "full"): WalkSummary {
  const links = Object.entries(set).map(([spec, model]) => {
    const all = linksOf(model!.spec, model!.operations);
    return { spec, documented: all.filter((l) => l.origin === "document").length, inferred: all.filter((l) => l.origin === "inferred").length };
  });
  return { ...WALK_BOUNDS[profile], links };
}

const documentedOperations = (set: SpecSet) =>
  (Object.entries(set) as [SpecId, NonNullable<SpecSet[SpecId]>][]).flatMap(([spec, model]) => model.operations.map((op) => ({ spec, operationId: op.operationId, method: op.method, path: op.path })));
