/** Shared by the model and generator tests: the two bundled specs (loaded once per file) and small synthetic ones. */
import { BUNDLED_SPECS, fromDocument, loadSpec } from "../../../contract/model/load.ts";
import type { LoadedSpec } from "../../../contract/model/types.ts";

const cache = new Map<string, Promise<LoadedSpec>>();
const once = (id: keyof typeof BUNDLED_SPECS) => {
  if (!cache.has(id)) cache.set(id, loadSpec(BUNDLED_SPECS[id]));
  return cache.get(id)!;
};

export const managed = () => once("managed-deep-agents");
export const agentServer = () => once("agent-server");
export const bothSpecs = async () => [await managed(), await agentServer()];

/** A document around the given parts; OpenAPI 3.1 unless told otherwise. */
export function synthetic(parts: Record<string, unknown>, openapi = "3.1.0"): LoadedSpec {
  return fromDocument({ openapi, info: { title: "Synthetic", version: "1" }, paths: {}, ...parts }, "synthetic");
}

/** A document whose components.schemas are the given schemas. */
export const withSchemas = (schemas: Record<string, unknown>, openapi = "3.1.0") => synthetic({ components: { schemas } }, openapi);
