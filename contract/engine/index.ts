/**
 * The contract engine for one worker: fixtures and the unknown-route fingerprint per API, made once; a
 * context per test; cleanup of everything the suite created.
 */
import type { SpecId } from "../../core/finding.ts";
import type { Target } from "../../core/target.ts";
import type { Recorder } from "../../runner/record.ts";
import type { Oracle } from "../../runner/scenario-context.ts";
import type { SpecSet } from "../../runner/specs.ts";
import type { EngineContext } from "./context.ts";
import { agentServerFixtures, managedFixtures, type Fixtures } from "./fixtures.ts";
import { unroutedFingerprint, type Fingerprint } from "./implemented.ts";
import { Resources, type Endpoint } from "./resources.ts";

export interface EngineSettings {
  target: Target;
  specs: SpecSet;
  oracle: Oracle;
  seed: number;
  examples: number;
  tag: string;
}

interface ApiState {
  endpoint: Endpoint;
  fixtures: Fixtures;
  unrouted: Fingerprint;
}

export interface Engine {
  /** The APIs this target serves that have a document, with the reason for any that could not be prepared. */
  apis: SpecId[];
  problems: Partial<Record<SpecId, string>>;
  context(spec: SpecId, rec: Recorder): EngineContext;
  unrouted(spec: SpecId): Fingerprint;
  resources: Resources;
  cleanup(): Promise<{ deleted: number; failed: number }>;
}

export async function startEngine(s: EngineSettings): Promise<Engine> {
  const endpoints: Partial<Record<SpecId, Endpoint>> = {};
  if (s.target.managedUrl && s.specs["managed-deep-agents"]) endpoints["managed-deep-agents"] = { baseUrl: s.target.managedUrl, auth: { "x-api-key": s.target.apiKey ?? "" } };
  if (s.target.agentServerUrl && s.specs["agent-server"]) endpoints["agent-server"] = { baseUrl: s.target.agentServerUrl, auth: {} };
  const resources = new Resources(endpoints);
  const state: Partial<Record<SpecId, ApiState>> = {};
  const problems: Partial<Record<SpecId, string>> = {};
  for (const [spec, endpoint] of Object.entries(endpoints) as [SpecId, Endpoint][]) {
    try {
      const fixtures = spec === "managed-deep-agents" ? await managedFixtures(s.target, resources, s.tag) : await agentServerFixtures(s.target, resources, s.tag);
      state[spec] = { endpoint, fixtures, unrouted: await unroutedFingerprint(endpoint.baseUrl, endpoint.auth) };
    } catch (error) {
      problems[spec] = `could not prepare the ${spec} fixtures: ${(error as Error).message}`;
    }
  }
  return {
    apis: Object.keys(state) as SpecId[],
    problems,
    resources,
    context(spec, rec) {
      const st = state[spec]!;
      return { spec, target: s.target, model: s.specs[spec]!, baseUrl: st.endpoint.baseUrl, auth: st.endpoint.auth, rec, oracle: s.oracle, fixtures: st.fixtures, resources, examples: s.examples, seed: s.seed, tag: s.tag };
    },
    unrouted: (spec) => state[spec]!.unrouted,
    cleanup: () => resources.cleanup(),
  };
}
