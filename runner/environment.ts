/** What every Playwright worker loads once: settings, the documents, the oracle and the waivers. */
import { onBreakerTrip } from "../core/client.ts";
import { recordTo } from "../core/recording.ts";
import { redact, registerSecret } from "../core/redact.ts";
import { targetSecrets } from "../core/target.ts";
import { loadSpecSet, oracleFor, type Oracle, type SpecSet } from "../contract/oracle.ts";
import type { UnitResult } from "../results/recorder.ts";
import { applyWaivers, loadWaivers } from "../results/waivers.ts";
import { readSettings, type RunSettings } from "./settings.ts";
import { appendExchange, markTargetDown } from "./shared.ts";

export interface RunEnvironment {
  settings: RunSettings;
  specs: SpecSet;
  oracle: Oracle;
  /** Marks the waived findings of a result (the test then passes on them, the report still shows them). */
  waive(result: UnitResult): UnitResult;
}

let loaded: Promise<RunEnvironment> | undefined;

/** Loaded once per process, whichever spec file asks first. */
export function loadRunEnvironment(): Promise<RunEnvironment> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<RunEnvironment> {
  const settings = readSettings();
  // Every process that writes anything redacts the keys, this worker included, down to what it prints.
  for (const secret of targetSecrets(settings.target)) registerSecret(secret);
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === "string" ? redact(chunk) : Buffer.isBuffer(chunk) ? redact(chunk.toString("utf8")) : chunk, ...rest)) as typeof stream.write;
  }
  // A target this worker stopped sending to is unusable for every process of the run.
  onBreakerTrip((reason) => markTargetDown(settings.outDir, reason));
  if (settings.record) recordTo((e) => appendExchange(settings.outDir, e));
  const specs = await loadSpecSet(settings.specs);
  const waivers = [...settings.waiverFiles.flatMap(loadWaivers), ...(settings.inlineWaivers ?? [])];
  return {
    settings,
    specs,
    oracle: oracleFor(specs, { responseTimeMs: settings.responseTimeMs }),
    waive: (result) => ({ ...result, findings: applyWaivers(result.findings, waivers).findings }),
  };
}
