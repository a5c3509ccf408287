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
  interrupt_config?: Record<string, boolean>;
}

/** `deep_hitl` (approval before tools) when any tool of the agent or its subagents requires an interrupt. */
export function graphFor(tools: ToolsLike | undefined, subagents: { tools?: ToolsLike }[]): "deep" | "deep_hitl" {
  const all = [tools, ...subagents.map((s) => s.tools)];
  return all.some((t) => Object.values(t?.interrupt_config ?? {}).some((v) => v === true)) ? "deep_hitl" : "deep";
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
