/** Resolves where a run sends traffic: the embedded reference (started here) or the user's deployment. */
import { ApiClient } from "../core/client.ts";
import { limits } from "../core/limits.ts";
import { registerSecret } from "../core/redact.ts";
import type { SpecId, Target } from "../core/target.ts";
import { startReference, UnknownFaultError, type Reference, type ReferenceServer } from "../reference/index.ts";
import type { RunConfig } from "./args.ts";
import { CliError, EXIT } from "./exit-codes.ts";

export interface ResolvedTarget {
  target: Target;
  faults: string[];
  stop(): Promise<void>;
}

/** With neither URL given, the run tests the embedded reference. */
export const isEmbedded = (config: RunConfig) => config.managedUrl === undefined && config.agentServerUrl === undefined;

export async function resolveTarget(config: RunConfig, server: ReferenceServer, keyHeaders: Partial<Record<SpecId, string>>, log: (line: string) => void): Promise<ResolvedTarget> {
  if (isEmbedded(config)) {
    const started = performance.now();
    let ref;
    try {
      ref = await startReference({ server, faults: config.faults, log });
    } catch (error) {
      if (error instanceof UnknownFaultError) throw new CliError(error.message);
      throw error;
    }
    registerSecret(ref.apiKey);
    log(`embedded reference ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${server === "python" ? "Python" : "JS"} Agent Server${ref.faults.length ? `; faults: ${ref.faults.join(", ")}` : ""})`);
    const own = referenceTarget(ref);
    return {
      target: { ...own, agentId: config.agentId, keyHeaders, graphs: { ...own.graphs, ...config.graphs } },
      faults: ref.faults,
      stop: () => ref.stop(),
    };
  }
  return {
    target: { managedUrl: config.managedUrl, agentServerUrl: config.agentServerUrl, apiKey: config.apiKey, agentServerKey: config.agentServerKey, agentId: config.agentId, keyHeaders, graphs: config.graphs, embedded: false },
    faults: [],
    stop: async () => undefined,
  };
}

/** The target an embedded reference offers: both APIs, its key, its MCP server and its model knobs. */
export function referenceTarget(ref: Reference): Target {
  return { managedUrl: ref.managedUrl, agentServerUrl: ref.agentServerUrl, apiKey: ref.apiKey, mcpUrl: ref.mcpUrl, embedded: true, knobs: ref.knobs, graphs: ref.graphs, reference: ref.server };
}

/** Any complete HTTP answer proves the host is there; none (refused, silent, over a cap) is exit 3. */
export async function assertReachable(target: Target): Promise<void> {
  for (const url of [target.managedUrl, target.agentServerUrl]) {
    if (!url) continue;
    try {
      await new ApiClient({ baseUrl: url, timeoutMs: limits().probeTimeoutMs }).call("GET", "");
    } catch (error) {
      throw new CliError(`target unreachable: ${url}: ${(error as Error).message}`, EXIT.unreachable);
    }
  }
}
