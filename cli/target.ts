/** Resolves where a run sends traffic: the embedded reference (started here) or the user's deployment. */
import { request } from "undici";
import type { Target } from "../core/target.ts";
import { registerSecret } from "../core/redact.ts";
import { startReference, UnknownFaultError } from "../reference/index.ts";
import type { RunConfig } from "./args.ts";
import { CliError, EXIT } from "./exit-codes.ts";

export interface ResolvedTarget {
  target: Target;
  faults: string[];
  stop(): Promise<void>;
}

/** With neither URL given, the run tests the embedded reference. */
export const isEmbedded = (config: RunConfig) => config.managedUrl === undefined && config.agentServerUrl === undefined;

export async function resolveTarget(config: RunConfig, log: (line: string) => void): Promise<ResolvedTarget> {
  if (isEmbedded(config)) {
    const started = performance.now();
    let ref;
    try {
      ref = await startReference({ faults: config.faults });
    } catch (error) {
      if (error instanceof UnknownFaultError) throw new CliError(error.message);
      throw error;
    }
    registerSecret(ref.apiKey);
    log(`embedded reference ready in ${((performance.now() - started) / 1000).toFixed(1)} s${ref.faults.length ? ` (faults: ${ref.faults.join(", ")})` : ""}`);
    return {
      target: { managedUrl: ref.managedUrl, agentServerUrl: ref.agentServerUrl, apiKey: ref.apiKey, agentId: config.agentId, mcpUrl: ref.mcpUrl, embedded: true },
      faults: ref.faults,
      stop: () => ref.stop(),
    };
  }
  return {
    target: { managedUrl: config.managedUrl, agentServerUrl: config.agentServerUrl, apiKey: config.apiKey, agentId: config.agentId, embedded: false },
    faults: [],
    stop: async () => undefined,
  };
}

/** Any HTTP answer proves the host is there; a refused or silent connection is exit 3. */
export async function assertReachable(target: Target): Promise<void> {
  for (const url of [target.managedUrl, target.agentServerUrl]) {
    if (!url) continue;
    try {
      const res = await request(url, { method: "GET", signal: AbortSignal.timeout(10_000) });
      await res.body.dump();
    } catch (error) {
      const e = error as { code?: string; name?: string; message?: string };
      const why = e.name === "TimeoutError" ? "no answer within 10 s" : (e.code ?? e.message ?? "connection failed");
      throw new CliError(`target unreachable: ${url} (${why})`, EXIT.unreachable);
    }
  }
}
