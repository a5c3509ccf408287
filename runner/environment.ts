/** What every Playwright worker loads once: settings, the documents, the oracle and the waivers. */
import { readSettings, type RunSettings } from "./settings.ts";
import { loadSpecSet, oracleFor, type SpecSet } from "./specs.ts";
import type { Oracle } from "./scenario-context.ts";
import type { UnitResult } from "./record.ts";
import { applyWaivers, loadWaivers } from "./waivers.ts";

export interface RunEnvironment {
  settings: RunSettings;
  specs: SpecSet;
  oracle: Oracle;
  /** Marks the waived findings of a result (the test then passes on them, the report still shows them). */
  waive(result: UnitResult): UnitResult;
}

export async function loadRunEnvironment(): Promise<RunEnvironment> {
  const settings = readSettings();
  const specs = await loadSpecSet(settings.specs);
  const waivers = settings.waiverFiles.flatMap(loadWaivers);
  return {
    settings,
    specs,
    oracle: oracleFor(specs),
    waive: (result) => ({ ...result, findings: applyWaivers(result.findings, waivers).findings }),
  };
}
