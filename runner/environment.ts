/** What every Playwright worker loads once: settings, the documents, the oracle and the waivers. */
import { registerSecret } from "../core/redact.ts";
import { targetSecrets } from "../core/target.ts";
import { loadSpecSet, oracleFor, type Oracle, type SpecSet } from "../contract/oracle.ts";
import type { UnitResult } from "../results/recorder.ts";
import { applyWaivers, loadWaivers } from "../results/waivers.ts";
import { readSettings, type RunSettings } from "./settings.ts";

export interface RunEnvironment {
  settings: RunSettings;
  specs: SpecSet;
  oracle: Oracle;
  /** Marks the waived findings of a result (the test then passes on them, the report still shows them). */
  waive(result: UnitResult): UnitResult;
}

export async function loadRunEnvironment(): Promise<RunEnvironment> {
  const settings = readSettings();
  // Every process that writes anything redacts the key, this worker included.
  for (const secret of targetSecrets(settings.target)) registerSecret(secret);
  const specs = await loadSpecSet(settings.specs);
  const waivers = settings.waiverFiles.flatMap(loadWaivers);
  return {
    settings,
    specs,
    oracle: oracleFor(specs),
    waive: (result) => ({ ...result, findings: applyWaivers(result.findings, waivers).findings }),
  };
}
