/**
 * How an agent's settings drive the reference runtime: the graph (with or without human approval) and the
 * scripted model's knobs in the assistant's config.configurable.
 */

/** `scripted:tokens=N,delay_ms=D,first_token_delay_ms=F` (each part optional) → the scripted model's keys. */
export function scriptedSettings(modelId: string | undefined): Record<string, number> {
  const m = /^scripted(?::(.*))?$/.exec(modelId ?? "");
  if (!m) return {}; // any other model id runs with the scripted model's defaults
  const keys: Record<string, string> = { tokens: "fake_tokens", delay_ms: "fake_delay_ms", first_token_delay_ms: "fake_first_token_delay_ms" };
  const out: Record<string, number> = {};
  for (const part of (m[1] ?? "").split(",")) {
    const [name, value] = part.split("=").map((s) => s.trim());
    const key = keys[name ?? ""];
    if (key && value !== undefined && /^\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

/** The caller's `configurable`, with the typed runtime fields winning on collisions. */
export function configurableFor(o: { configurable: Record<string, unknown>; modelId?: string; timezone: string }): Record<string, unknown> {
  return { ...o.configurable, ...scriptedSettings(o.modelId), user_timezone: o.timezone };
}

interface ToolsLike {
  tools?: { name?: string }[];
  interrupt_config?: Record<string, boolean>;
}

/**
 * The tool an interrupt_config key names: `{mcp_server_url}::{tool_name}` with any further `::` parts
 * ignored, or a bare tool name (as the document's ToolsConfig describes the key).
 */
export const toolOfKey = (key: string): string => {
  const parts = key.split("::");
  return parts.length > 1 ? parts[1]! : key;
};

/** The tool the reference runtime offers from the local MCP server; an agent that lists it calls it. */
export const REFERENCE_MCP_TOOL = "echo";

/**
 * The reference graph of an agent, so that approval is asked before exactly the tools its interrupt_config
 * (its own, or a subagent's) sets to true: `deep_hitl` when that names write_todos (the deep agent's own
 * tool, which it always calls), `deep_echo_hitl` when it names the reference MCP tool and the agent lists
 * that tool (the agent then calls it, and stops before it only), else `deep` (no tool it calls needs approval).
 */
export function graphFor(tools: ToolsLike | undefined, subagents: { tools?: ToolsLike }[]): "deep" | "deep_hitl" | "deep_echo_hitl" {
  const all = [tools, ...subagents.map((s) => s.tools)];
  const approved = new Set(all.flatMap((t) => Object.entries(t?.interrupt_config ?? {}).filter(([, v]) => v === true).map(([k]) => toolOfKey(k))));
  if (approved.has("write_todos")) return "deep_hitl";
  const listed = all.some((t) => t?.tools?.some((x) => x?.name === REFERENCE_MCP_TOOL));
  return approved.has(REFERENCE_MCP_TOOL) && listed ? "deep_echo_hitl" : "deep";
}

/** The IANA zone of X-User-Timezone or user_timezone; unknown or absent values fall back to UTC (documented). */
export function timezone(value: unknown): string {
  if (typeof value !== "string" || !value) return "UTC";
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}
