/**
 * The contract engine for one worker: a client, fixtures and the unknown-route fingerprint per API, made
 * once; a context per test; cleanup of everything the suite created.
 */
import type { Leftover } from "../../core/cleanup.ts";
import { clientFor, type ApiClient } from "../../core/client.ts";
import { TransportError } from "../../core/http.ts";
import { SetupError } from "../../core/setup.ts";
import type { SpecId, Target } from "../../core/target.ts";
import type { Recorder } from "../../results/recorder.ts";
import type { Waivable } from "../../results/waivers.ts";
import type { Oracle, SpecSet } from "../oracle.ts";
import type { EngineContext } from "./context.ts";
import { agentServerFixtures, managedFixtures, type Fixtures } from "./fixtures.ts";
import { unroutedFingerprint, type Fingerprint } from "./implemented.ts";
import { Resources } from "./resources.ts";
import type { WalkBounds } from "./walk-bounds.ts";

export interface EngineSettings {
  target: Target;
  specs: SpecSet;
  oracle: Oracle;
  seed: number;
  examples: number;
  tag: string;
  walks?: WalkBounds;
  signal?: AbortSignal;
  /** True when a waiver in force waives a finding like this one (its failures are then not shrunk). */
  waived?: (f: Waivable) => boolean;
}

interface ApiState {
  fixtures: Fixtures;
  unrouted: Fingerprint;
}

export interface Engine {
  /** The APIs this target serves that have a document, with what failed for any that could not be prepared. */
  apis: SpecId[];
  problems: Partial<Record<SpecId, SetupError>>;
  context(spec: SpecId, rec: Recorder): EngineContext;
  unrouted(spec: SpecId): Fingerprint;
  resources: Resources;
  cleanup(): Promise<{ deleted: number; left: Leftover[] }>;
}

export async function startEngine(s: EngineSettings): Promise<Engine> {
  const clients: Partial<Record<SpecId, ApiClient>> = {};
  for (const spec of Object.keys(s.specs) as SpecId[]) {
    const client = clientFor(s.target, spec, { signal: s.signal });
    if (client) clients[spec] = client;
  }
  const resources = new Resources(clients);
  const state: Partial<Record<SpecId, ApiState>> = {};
  const problems: Partial<Record<SpecId, SetupError>> = {};
  for (const [spec, client] of Object.entries(clients) as [SpecId, ApiClient][]) {
    try {
      const fixtures = spec === "managed-deep-agents" ? await managedFixtures(s.target, client, resources, s.tag) : await agentServerFixtures(s.target, client, resources, s.tag);
      state[spec] = { fixtures, unrouted: await unroutedFingerprint(client) };
    } catch (error) {
      problems[spec] = asSetupError(error);
    }
  }
  return {
    apis: Object.keys(state) as SpecId[],
    problems,
    resources,
    context(spec, rec) {
      const st = state[spec]!;
      return { spec, target: s.target, model: s.specs[spec]!, client: clients[spec]!, rec, oracle: s.oracle, fixtures: st.fixtures, resources, examples: s.examples, seed: s.seed, tag: s.tag, waived: s.waived ?? (() => false), ...(s.walks ? { walks: s.walks } : {}) };
    },
    unrouted: (spec) => state[spec]!.unrouted,
    cleanup: () => resources.cleanup(),
  };
}

/** A failure while preparing fixtures, as the evidence the fixture_setup check reports. */
function asSetupError(error: unknown): SetupError {
  if (error instanceof SetupError) return error;
  // The unknown-route probe is the one fixture request not sent through setupCall.
  if (error instanceof TransportError) return new SetupError(error.message, "(unknown route)", error.request, undefined, error.kind);
  throw error;
}
