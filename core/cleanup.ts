/**
 * Deleting what the suite made, within a budget of its own rather than the run's abort signal: an
 * interrupted run still removes what it made, and a stalled target cannot keep the run alive. What could
 * not be deleted is returned, so the run can say what it left on the target.
 */
import type { ApiClient } from "./client.ts";
import { limits } from "./limits.ts";
import type { SpecId } from "./target.ts";

/** How one resource the suite made is removed. */
export interface Removal {
  spec: SpecId;
  method: "DELETE";
  path: string;
  body?: unknown;
}

/** A resource still on the target after its cleanup, and why. */
export interface Leftover extends Removal {
  reason: string;
}

const PARALLEL = 8;

/** Deletes every removal (newest first is the caller's order); a 404 counts as gone. */
export async function removeAll(clientOf: (spec: SpecId) => ApiClient | undefined, removals: Removal[], budgetMs = limits().cleanupBudgetMs): Promise<{ deleted: number; left: Leftover[] }> {
  const until = performance.now() + budgetMs;
  let deleted = 0;
  const left: Leftover[] = [];
  const one = async (r: Removal) => {
    const client = clientOf(r.spec);
    const remaining = Math.floor(until - performance.now());
    if (!client) return void left.push({ ...r, reason: `no client for ${r.spec}` });
    if (remaining < 1) return void left.push({ ...r, reason: `not attempted: the cleanup budget of ${budgetMs} ms ran out` });
    try {
      const x = await client.with({ signal: undefined }).call(r.method, r.path, r.body, { timeoutMs: Math.min(remaining, limits().requestTimeoutMs) });
      if (x.response.status < 300 || x.response.status === 404) deleted++;
      else left.push({ ...r, reason: `DELETE answered ${x.response.status}` });
    } catch (error) {
      left.push({ ...r, reason: (error as Error).message });
    }
  };
  for (let i = 0; i < removals.length; i += PARALLEL) await Promise.all(removals.slice(i, i + PARALLEL).map(one));
  return { deleted, left };
}
