/** Which documents a run uses (the bundled copies unless --spec names others) and which waivers apply. */
import type { SpecId } from "../core/target.ts";
import { BUNDLED_SPECS, loadSpec, SpecError } from "../contract/model/load.ts";
import { loadSpecSet, type SpecFiles, type SpecSet } from "../contract/oracle.ts";
import { loadWaivers, WaiverError, type Waiver } from "../results/waivers.ts";
import type { RunConfig } from "./args.ts";
import { CliError } from "./exit-codes.ts";
import { referenceWaivers } from "../reference/waivers/index.ts";

export type { SpecFiles };

const IDS: SpecId[] = ["managed-deep-agents", "agent-server"];

/** `--spec FILE` (the API is recognised from the document) or `--spec managed-deep-agents=FILE`. */
export async function resolveSpecs(args: string[]): Promise<{ files: SpecFiles; set: SpecSet }> {
  const files: SpecFiles = { ...BUNDLED_SPECS };
  for (const arg of args) {
    const named = /^(managed-deep-agents|agent-server)=(.+)$/.exec(arg);
    const file = named ? named[2]! : arg;
    let id = named?.[1] as SpecId | undefined;
    if (!id) {
      const spec = await load(file);
      if (!IDS.includes(spec.id as SpecId)) throw new CliError(`--spec ${file}: cannot tell which API it describes; name it, e.g. --spec agent-server=${file}`);
      id = spec.id as SpecId;
    }
    files[id] = file;
  }
  try {
    return { files, set: await loadSpecSet(files) };
  } catch (error) {
    if (error instanceof SpecError) throw new CliError(error.message);
    throw error;
  }
}

async function load(file: string) {
  try {
    return await loadSpec(file);
  } catch (error) {
    if (error instanceof SpecError) throw new CliError(error.message);
    throw error;
  }
}

/** The reference's known deviations are waived only when the target is that embedded reference. */
export function resolveWaivers(config: RunConfig, reference: "js" | "python" | undefined): { files: string[]; waivers: Waiver[] } {
  const own = reference ? referenceWaivers(reference) : [];
  const files = [...own, ...config.waivers];
  try {
    const scoped = (scope: Waiver["scope"]) => (w: Waiver): Waiver => ({ ...w, scope });
    return { files, waivers: [...own.flatMap(loadWaivers).map(scoped("reference")), ...config.waivers.flatMap(loadWaivers).map(scoped("user")), ...config.inlineWaivers.map(scoped("user"))] };
  } catch (error) {
    if (error instanceof WaiverError) throw new CliError(error.message);
    throw error;
  }
}
