/**
 * Everything the suite creates is remembered from the responses that created it and deleted at the end —
 * and nothing else is ever deleted. The table says, per creating operation, how its resource is removed.
 * Threads made implicitly are remembered too: a run on a thread id the suite generated itself may create
 * that thread (if_not_exists "create"), and a batch of stateless runs answers with their threads.
 */
import { removeAll, type Leftover } from "../../core/cleanup.ts";
import type { ApiClient } from "../../core/client.ts";
import { jsonBody, type Exchange, type HttpRequest } from "../../core/exchange.ts";
import type { SpecId } from "../../core/target.ts";

type Removal = { method: "DELETE"; path: string; body?: unknown };

/** What a successful answer made; `field` names the answer's top-level field that holds the new resource's id. */
type Creator = ((response: any, request: HttpRequest) => Removal | Removal[] | undefined) & { field?: string };

const byField = (field: string, collection: string): Creator =>
  Object.assign((r: any) => (typeof r?.[field] === "string" ? { method: "DELETE" as const, path: `${collection}/${r[field]}` } : undefined), { field });

/** A thread id in a request path (the suite only ever puts its own or freshly generated ids there). */
const THREAD_IN_PATH = /\/threads\/([0-9a-fA-F-]{36})(?:[/?]|$)/;

/** Creating operations of each API and the DELETE that undoes them. */
const CREATORS: Record<SpecId, Record<string, Creator>> = {
  "managed-deep-agents": {
    createManagedDeepAgent: byField("id", "/agents"),
    cloneManagedDeepAgent: byField("id", "/agents"),
    createManagedDeepAgentThread: byField("id", "/threads"),
    createManagedDeepAgentThreadAndRun: byField("thread_id", "/threads"),
    createMcpServer: byField("id", "/mcp-servers"),
  },
  "agent-server": {
    create_assistant_assistants_post: byField("assistant_id", "/assistants"),
    create_thread_threads_post: byField("thread_id", "/threads"),
    copy_thread_post_threads__thread_id__copy_post: byField("thread_id", "/threads"),
    // Stateless runs use a temporary thread that is kept when on_completion is "keep".
    run_stateless_runs_post: byField("thread_id", "/threads"),
    run_batch_stateless_runs_post: (r) => (Array.isArray(r) ? r.filter((run) => typeof run?.thread_id === "string").map((run) => ({ method: "DELETE", path: `/threads/${run.thread_id}` })) : undefined),
    create_cron_runs_crons_post: byField("cron_id", "/runs/crons"),
    create_thread_cron_threads__thread_id__runs_crons_post: byField("cron_id", "/runs/crons"),
    put_item: (_r, req) => {
      try {
        const { namespace, key } = JSON.parse(req.body ?? "{}");
        return Array.isArray(namespace) && typeof key === "string" ? { method: "DELETE", path: "/store/items", body: { namespace, key } } : undefined;
      } catch {
        return undefined;
      }
    },
  },
};

/** The top-level field of the operation's answer that holds the id of a resource it made and the suite deletes. */
export const createdIdField = (spec: SpecId, operationId: string): string | undefined => CREATORS[spec][operationId]?.field;

export class Resources {
  private readonly created: { spec: SpecId; removal: Removal }[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly clients: Partial<Record<SpecId, ApiClient>>) {}

  /** Remembers what a successful response of a creating operation made, and any thread its path may have made. */
  noteResponse(spec: SpecId, operationId: string, x: Exchange): void {
    if (x.response.status >= 300) return;
    const creator = CREATORS[spec][operationId];
    const made = creator?.(jsonBody(x.response), x.request);
    for (const removal of [made ?? []].flat()) this.track(spec, removal);
    const thread = x.request.method.toUpperCase() === "DELETE" ? undefined : THREAD_IN_PATH.exec(new URL(x.request.url).pathname)?.[1];
    if (thread) this.track(spec, { method: "DELETE", path: `/threads/${thread}` });
  }

  track(spec: SpecId, removal: Removal): void {
    const key = `${spec} ${removal.path} ${JSON.stringify(removal.body ?? null)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.created.push({ spec, removal });
  }

  get count(): number {
    return this.created.length;
  }

  /** Deletes everything remembered, newest first (threads before the agents they belong to); returns what stays. */
  async cleanup(): Promise<{ deleted: number; left: Leftover[] }> {
    const items = this.created.splice(0).reverse();
    return removeAll((spec) => this.clients[spec], items.map(({ spec, removal }) => ({ spec, ...removal })));
  }
}
