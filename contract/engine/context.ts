/** What the contract engine works with for one API: its document, its client, the checks, and bookkeeping. */
import type { ApiClient } from "../../core/client.ts";
import type { Exchange, HttpRequest } from "../../core/exchange.ts";
import type { SpecId, Target } from "../../core/target.ts";
import type { Violation } from "../../results/finding.ts";
import type { Recorder } from "../../results/recorder.ts";
import type { Waivable } from "../../results/waivers.ts";
import type { Intent } from "../checks/types.ts";
import type { ApiModel, Oracle } from "../oracle.ts";
import type { Fixtures } from "./fixtures.ts";
import type { Resources } from "./resources.ts";
import type { WalkBounds } from "./walk-bounds.ts";


export interface EngineContext {
  spec: SpecId;
  target: Target;
  model: ApiModel;
  /** The API's client: base URL, credentials, deadlines. */
  client: ApiClient;
  rec: Recorder;
  oracle: Oracle;
  fixtures: Fixtures;
  resources: Resources;
  /** Examples per property run. */
  examples: number;
  /** Seed of the whole run; each operation and family derives its own from it. */
  seed: number;
  tag: string;
  /** True when a waiver in force waives a finding like this one. */
  waived(f: Waivable): boolean;
  /** How many random walks, of how many steps at most (./walks.ts). */
  walks?: WalkBounds;
}

/** Requests of one unit in flight at once: runs of a quick model take most of a unit's time, waiting on the target. */
export const IN_FLIGHT = 4;

/** How long the body of an event stream is read by the contract checks (the stream checks read whole streams). */
const STREAM_WINDOW_MS = 1500;

/** Sends a request for an operation, counts it, and returns the exchange with the checks' verdict. */
export async function exchange(ctx: EngineContext, operationId: string, req: HttpRequest, intent: Intent): Promise<{ x: Exchange; violations: Violation[] }> {
  ctx.rec.request({ spec: ctx.spec, operationId });
  const streaming = ctx.model.byId.get(operationId)?.streaming === true;
  const x = await ctx.client.send(req, streaming ? { bodyWindowMs: STREAM_WINDOW_MS } : {});
  ctx.resources.noteResponse(ctx.spec, operationId, x);
  return { x, violations: ctx.oracle(ctx.spec, operationId, x, intent) };
}

/** A stable per-test seed: the same run seed gives every operation and family the same inputs. */
export function derivedSeed(seed: number, ...parts: string[]): number {
  let h = seed >>> 0;
  for (const ch of parts.join("|")) h = (Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0) ^ (h >>> 13);
  return h & 0x7fffffff;
}
