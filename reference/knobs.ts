/**
 * How a client sets the pace of the references' scripted model: per run in `config.configurable`, or per
 * Managed agent in its model id. Exported with every started reference, so the suite never hard-codes it.
 */
import type { ModelKnobs } from "../core/target.ts";

export const SCRIPTED_MODEL_KNOBS: ModelKnobs = {
  configurable: { tokens: "fake_tokens", delayMs: "fake_delay_ms", firstTokenDelayMs: "fake_first_token_delay_ms" },
  managedModelId: "scripted:tokens={tokens},delay_ms={delayMs},first_token_delay_ms={firstTokenDelayMs}",
};
