/**
 * Runs single conformance units (a check family of one operation, a flow, a stream scenario) in-process
 * against a reference, with the reference's waivers applied, for the fault-matrix tests.
 */
import type { SpecId, Target } from "../../core/target.ts";
import type { Family } from "../../contract/engine/family.ts";
import { familiesFor, runFamily } from "../../contract/engine/families.ts";
import { FLOWS } from "../../contract/engine/flows.ts";
import { pathsOf, runMethods } from "../../contract/engine/methods.ts";
import { startEngine } from "../../contract/engine/index.ts";
import { BUNDLED_SPECS } from "../../contract/model/load.ts";
import type { Reference } from "../../reference/index.ts";
import { Recorder, type UnitResult } from "../../results/recorder.ts";
import { loadSpecSet, oracleFor, type SpecFiles, type SpecSet } from "../../contract/oracle.ts";
import { applyWaivers, loadWaivers } from "../../results/waivers.ts";
import { referenceWaivers } from "../../reference/waivers/index.ts";
import { scenarioContext, type NamedScenario } from "../../streams/scenarios/context.ts";
import { referenceTarget } from "../../cli/target.ts";

const waivers = referenceWaivers("js").flatMap(loadWaivers);
const specCache = new Map<string, Promise<SpecSet>>();

export function specs(files: SpecFiles = BUNDLED_SPECS): Promise<SpecSet> {
  const key = JSON.stringify(files);
  if (!specCache.has(key)) specCache.set(key, loadSpecSet(files));
  return specCache.get(key)!;
}

export const targetOf = (ref: Reference): Target => referenceTarget(ref);

const waive = (r: UnitResult): UnitResult => ({ ...r, findings: applyWaivers(r.findings, waivers).findings });

/**
 * A family of one operation (optionally against other documents, a stricter copy the test makes, or with a
 * response-time limit), or a flow.
 */
export type ContractUnit =
  | { spec: SpecId; operationId: string; family: Family; files?: SpecFiles; strict?: "content-location"; responseTimeMs?: number }
  | { spec: SpecId; flow: string }
  | { spec: SpecId; methods: string };

export async function runContractUnit(ref: Reference, unit: ContractUnit, seed = 1234): Promise<UnitResult> {
  const all = await specs("files" in unit ? unit.files : undefined);
  const only: SpecSet = { [unit.spec]: all[unit.spec] };
  const oracle = oracleFor(only, "responseTimeMs" in unit ? { responseTimeMs: unit.responseTimeMs } : {});
  const engine = await startEngine({ target: targetOf(ref), specs: only, oracle, seed, examples: 10, tag: "agentwire-test" });
  try {
    if (engine.problems[unit.spec]) throw engine.problems[unit.spec];
    const rec = new Recorder();
    const ctx = engine.context(unit.spec, rec);
    if ("methods" in unit) {
      const p = pathsOf(all[unit.spec]!).find((x) => x.path === unit.methods);
      if (!p) throw new Error(`no path "${unit.methods}"`);
      const skipped = await runMethods(ctx, p);
      if (skipped) throw new Error(`methods of ${unit.methods} did not run: ${skipped}`);
    } else if ("flow" in unit) {
      const flow = FLOWS.find((f) => f.spec === unit.spec && f.title === unit.flow);
      if (!flow) throw new Error(`no flow "${unit.flow}"`);
      await flow.run(ctx);
    } else {
      const op = all[unit.spec]!.byId.get(unit.operationId);
      if (!op || !familiesFor(op).includes(unit.family)) throw new Error(`${unit.operationId} has no ${unit.family} family`);
      const skipped = await runFamily(ctx, op, unit.family, engine.unrouted(unit.spec));
      if (skipped) throw new Error(`${unit.operationId} ${unit.family} did not run: ${skipped}`);
    }
    return waive(rec.result());
  } finally {
    await engine.cleanup();
  }
}

export async function runScenario(ref: Reference, scenario: NamedScenario): Promise<UnitResult> {
  const all = await specs();
  const unmet = scenario.requires?.(targetOf(ref));
  if (unmet) throw new Error(`${scenario.title}: ${unmet}`);
  const rec = new Recorder();
  // Short bounds: a stream that does not end is judged after a few seconds, not a minute.
  await scenario.run(scenarioContext({ target: targetOf(ref), rec, oracle: oracleFor(all), tag: "agentwire-test", limits: { deadlineMs: 8000, idleTimeoutMs: 6000 } }));
  return waive(rec.result());
}

/** Open (unwaived) findings of one check in a result. */
export const openOf = (r: UnitResult, check: string) => r.findings.filter((f) => f.check === check && !f.waived);
