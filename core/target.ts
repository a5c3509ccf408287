/** Where the suite sends traffic, and how to reach each API there. */

/** The two APIs the suite knows, by the id of their document. */
export type SpecId = "managed-deep-agents" | "agent-server";
export const SPEC_IDS: readonly SpecId[] = ["managed-deep-agents", "agent-server"];

/** How fast a scripted model answers: `tokens` chunks, `delayMs` apart, the first one `firstTokenDelayMs` later. */
export interface ModelPace {
  tokens: number;
  delayMs: number;
  firstTokenDelayMs?: number;
}

/**
 * How an embedded reference's scripted model is told its pace (data, so it travels to workers as JSON).
 * Only the embedded references understand these knobs, so only they are ever sent them.
 */
export interface ModelKnobs {
  /** The `config.configurable` key for each setting of a run on the Agent Server. */
  configurable: Record<keyof ModelPace, string>;
  /** A Managed agent's model id for a pace, with `{tokens}`, `{delayMs}` and `{firstTokenDelayMs}` filled in. */
  managedModelId: string;
}

/** The run config that gives a run on the Agent Server this pace. */
export function paceConfig(knobs: ModelKnobs, pace: ModelPace): { configurable: Record<string, number> } {
  const configurable: Record<string, number> = {};
  for (const [k, v] of Object.entries(pace)) if (v !== undefined) configurable[knobs.configurable[k as keyof ModelPace]] = v;
  return { configurable };
}

/** The Managed model id that gives an agent this pace. */
export const paceModelId = (knobs: ModelKnobs, pace: ModelPace): string =>
  knobs.managedModelId.replace(/\{(\w+)\}/g, (_, k: string) => String(pace[k as keyof ModelPace] ?? 0));

/**
 * The graphs the stream and load scenarios run, by the role each plays. On an embedded reference they are
 * its own; on any other target only those the user names (`--graph ROLE=ID`) are run: a run is a model
 * call someone pays for.
 */
export const GRAPH_ROLES = {
  agent: "streams model tokens (the reference's also calls a tool for a message starting with \"tool:\")",
  deep: "is the deep agent the load phase runs",
  error: "fails every run",
  interrupt: "stops its run for human input (interrupt)",
  subgraph: "runs a subgraph, so stream_subgraphs yields namespaced events",
} as const;
export type GraphRole = keyof typeof GRAPH_ROLES;
export const isGraphRole = (name: string): name is GraphRole => Object.hasOwn(GRAPH_ROLES, name);

export interface Target {
  /** Base URL of the Managed Deep Agents API, ending in /v1/deepagents. */
  managedUrl?: string;
  /** Base URL of the LangGraph Agent Server API. */
  agentServerUrl?: string;
  /** The API key of the Managed API. */
  apiKey?: string;
  /** The Agent Server's own key, when its deployment requires one. */
  agentServerKey?: string;
  /** Assistant (or graph) ids by role; runs go only to these. */
  graphs?: Partial<Record<GraphRole, string>>;
  /** An existing agent to run streams against; the suite creates its own when absent. */
  agentId?: string;
  /** An https MCP server the target can reach, to list tools from (the reference brings its own). */
  mcpUrl?: string;
  /** Header that carries each API's key, from its document's security scheme. */
  keyHeaders?: Partial<Record<SpecId, string>>;
  /** True when the target is an embedded reference started by this process. */
  embedded: boolean;
  /** The embedded reference's model knobs; absent on every other target. */
  knobs?: ModelKnobs;
  /** Which embedded reference this is ("js" or "python"); absent on every other target. */
  reference?: "js" | "python";
}

/** The keys a target holds, for redaction in every process that writes anything. */
export const targetSecrets = (t: Target): (string | undefined)[] => [t.apiKey, t.agentServerKey];

export interface Endpoint {
  baseUrl: string;
  /** The key and the header that carries it, when the API takes one. */
  auth?: { header: string; value: string };
}

/** The Managed API's documented key header, used when a document names none. */
const DEFAULT_KEY_HEADER = "x-api-key";

/** Base URL and credentials of one API of the target; undefined when the target does not serve it. */
export function endpointOf(target: Target, spec: SpecId): Endpoint | undefined {
  const baseUrl = spec === "managed-deep-agents" ? target.managedUrl : target.agentServerUrl;
  if (!baseUrl) return undefined;
  const key = spec === "managed-deep-agents" ? target.apiKey : target.agentServerKey;
  // Deployments of the Agent Server take the same X-Api-Key header when their document names no scheme.
  const header = target.keyHeaders?.[spec] ?? DEFAULT_KEY_HEADER;
  return { baseUrl, ...(key && header ? { auth: { header: header.toLowerCase(), value: key } } : {}) };
}
