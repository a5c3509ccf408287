/**
 * How a client drives the references: which graph plays each scenario role, and how it sets the pace of the references' scripted model: per run in `config.configurable`, or per
 * Managed agent in its model id. Exported with every started reference, so the suite never hard-codes it.
 */
import type { GraphRole, ModelKnobs } from "../core/target.ts";

export const SCRIPTED_MODEL_KNOBS: ModelKnobs = {
  configurable: { tokens: "fake_tokens", delayMs: "fake_delay_ms", firstTokenDelayMs: "fake_first_token_delay_ms" },
  managedModelId: "scripted:tokens={tokens},delay_ms={delayMs},first_token_delay_ms={firstTokenDelayMs}",
};

/** The reference graph that plays each scenario role (the same ids on the JS and the Python server). */
export const SCENARIO_GRAPHS: Record<GraphRole, string> = { agent: "agent", deep: "deep", error: "error", interrupt: "interrupt", subgraph: "subgraph" };
