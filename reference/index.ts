/**
 * The embedded reference target: the real Agent Server, a Managed Deep Agents emulator over it, a local
 * MCP server, and the front proxy where named faults break documented rules on purpose.
 */
import { randomBytes } from "node:crypto";
import { startManagedEmulator } from "./emulator/index.ts";
import { findFault, FAULT_NAMES } from "./faults/catalog.ts";
import type { Fault } from "./faults/types.ts";
import { startFront } from "./front.ts";
import { startMcpServer } from "./mcp/index.ts";
import type { GraphRole, ModelKnobs } from "../core/target.ts";
import { startPythonUpstream } from "./python/launch.ts";
import { startUpstream, type Upstream } from "./upstream/launch.ts";
import { SCENARIO_GRAPHS, SCRIPTED_MODEL_KNOBS } from "./knobs.ts";

/** Which Agent Server implementation the reference runs: the JS one (npm) or the Python one (PyPI), which hosted deployments run. */
export type ReferenceServer = "js" | "python";
export const REFERENCE_SERVERS: readonly ReferenceServer[] = ["js", "python"];

export interface ReferenceOptions {
  /** The Agent Server implementation (default js). */
  server?: ReferenceServer;
  /** Progress lines (the Python server's first start installs its packages). */
  log?: (line: string) => void;
  /** Port of the front (0 picks a free one). */
  port?: number;
  /** The accepted X-Api-Key; a random one when absent. */
  apiKey?: string;
  faults?: string[];
  /** Agent Server run workers. */
  workers?: number;
  /** Reuse a running Agent Server (tests share one across many fronts); it is not stopped with this reference. */
  upstream?: Upstream;
}

export interface Reference {
  server: ReferenceServer;
  managedUrl: string;
  agentServerUrl: string;
  apiKey: string;
  /** The reference's own MCP server (https, certificate trusted by the emulator only). */
  mcpUrl: string;
  faults: string[];
  /** How a client sets the scripted model's pace (only the embedded references understand these). */
  knobs: ModelKnobs;
  /** The graph that plays each scenario role. */
  graphs: Record<GraphRole, string>;
  stop(): Promise<void>;
}

export class UnknownFaultError extends Error {}

function resolveFaults(names: string[]): Fault[] {
  return [...new Set(names)].map((name) => {
    const fault = findFault(name);
    if (!fault) throw new UnknownFaultError(`unknown fault "${name}" (known: ${FAULT_NAMES.join(", ")})`);
    return fault;
  });
}

export async function startReference(options: ReferenceOptions = {}): Promise<Reference> {
  const faults = resolveFaults(options.faults ?? []);
  const apiKey = options.apiKey ?? `ref-${randomBytes(12).toString("hex")}`;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const server = options.server ?? "js";
    const start = () => (server === "python" ? startPythonUpstream({ workers: options.workers, log: options.log }) : startUpstream({ workers: options.workers }));
    const [upstream, mcp] = await Promise.all([options.upstream ?? start(), startMcpServer()]);
    if (!options.upstream) stops.push(() => upstream.stop());
    stops.push(() => mcp.stop());
    let frontUrl = "";
    const emulator = await startManagedEmulator({
      upstreamUrl: upstream.url,
      apiKey,
      publicUrl: () => frontUrl,
      mcpCa: mcp.ca,
      lenientValidation: faults.some((f) => f.emulator?.lenientValidation),
    });
    stops.push(() => emulator.stop());
    const front = await startFront({
      port: options.port ?? 0,
      emulatorUrl: emulator.url,
      upstreamUrl: upstream.url,
      hooks: faults.flatMap((f) => (f.hooks ? [f.hooks({ apiKey })] : [])),
    });
    stops.push(() => front.stop());
    frontUrl = front.url;
    return {
      server,
      managedUrl: `${front.url}/v1/deepagents`,
      agentServerUrl: front.url,
      apiKey,
      mcpUrl: mcp.url,
      faults: faults.map((f) => f.name),
      knobs: SCRIPTED_MODEL_KNOBS,
      graphs: SCENARIO_GRAPHS,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
