/**
 * The end-of-run check: what this run left on the target. Deletes its cleanups could not do are tried once
 * more, and everything still carrying the run's tag (threads, assistants and agents, also those a run made
 * implicitly) is found, deleted and looked for again; what is still there is reported.
 */
import { removeAll, type Leftover, type Removal } from "../core/cleanup.ts";
import { clientFor, type ApiClient } from "../core/client.ts";
import { jsonBody } from "../core/exchange.ts";
import type { SpecId, Target } from "../core/target.ts";

/** The tag a run puts on everything it creates (metadata, names), and how to find it in a request it sent. */
export const runTag = (seed: number, pid: number) => `agentwire-${seed}-${pid}`;
export const RUN_TAG = /agentwire-\d+-\d+/;

interface Search {
  spec: SpecId;
  /** Lists what carries the tag, as removals. */
  find(client: ApiClient, tag: string): Promise<Removal[]>;
}

const items = (body: unknown): Record<string, unknown>[] => {
  const list = Array.isArray(body) ? body : Object.values((body ?? {}) as object).find(Array.isArray);
  return (list ?? []).filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null);
};

const ids = (body: unknown, field: string) => items(body).map((x) => x[field]).filter((x): x is string => typeof x === "string");

async function answered(client: ApiClient, method: string, path: string, body?: unknown): Promise<unknown> {
  const x = await client.with({ signal: undefined }).call(method, path, body);
  return x.response.status < 300 ? jsonBody(x.response) : undefined;
}

const SEARCHES: Search[] = [
  {
    spec: "agent-server",
    async find(client, tag) {
      const metadata = { agentwire: tag };
      const threads = ids(await answered(client, "POST", "/threads/search", { metadata, limit: 100 }), "thread_id");
      const assistants = ids(await answered(client, "POST", "/assistants/search", { metadata, limit: 100 }), "assistant_id");
      return [...threads.map((t) => `/threads/${t}`), ...assistants.map((a) => `/assistants/${a}`)].map((path) => ({ spec: "agent-server", method: "DELETE", path }));
    },
  },
  {
    spec: "managed-deep-agents",
    async find(client, tag) {
      const threads = ids(await answered(client, "POST", "/threads/search", { metadata: { agentwire: tag }, limit: 100 }), "thread_id");
      // The suite names every agent it makes after the run's tag.
      const agents = items(await answered(client, "GET", `/agents?name=${encodeURIComponent(tag)}&page_size=100`)).filter((a) => String(a.name ?? "").includes(tag));
      return [...threads.map((t) => `/threads/${t}`), ...agents.map((a) => `/agents/${String(a.id)}`)].map((path) => ({ spec: "managed-deep-agents", method: "DELETE", path }));
    },
  },
];

/** What is still on the target; nothing is sent to a target found unusable (`unusable` says why). */
export async function leftoversOf(target: Target, tag: string, reported: Leftover[], unusable: string | undefined): Promise<Leftover[]> {
  if (unusable) return reported.map((l) => ({ ...l, reason: `${l.reason}; not checked again: the target is unusable` }));
  const clientOf = (spec: SpecId) => clientFor(target, spec);
  const retried = await removeAll(clientOf, reported.map(({ reason: _r, ...removal }) => removal));
  const search = async () => {
    const found: Removal[] = [];
    for (const s of SEARCHES) {
      const client = clientOf(s.spec);
      if (client) found.push(...(await s.find(client, tag).catch(() => [])));
    }
    return found;
  };
  const removed = await removeAll(clientOf, await search());
  const failed = new Map(removed.left.map((l) => [`${l.spec} ${l.path}`, l.reason]));
  const still = (await search()).map((r) => ({ ...r, reason: failed.get(`${r.spec} ${r.path}`) ?? "still listed after it was deleted" }));
  const key = (l: Leftover) => `${l.spec} ${l.path} ${JSON.stringify(l.body ?? null)}`;
  return [...new Map([...retried.left, ...still].map((l) => [key(l), l])).values()];
}
