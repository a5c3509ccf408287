/**
 * Everything the suite creates is remembered from the responses that created it and deleted at the end —
 * and nothing else is ever deleted. The table says, per creating operation, how its resource is removed.
 */
import type { ApiClient } from "../../core/client.ts";
import { jsonBody, type Exchange, type HttpRequest } from "../../core/exchange.ts";
import type { SpecId } from "../../core/target.ts";

interface Removal {
  method: "DELETE";
  path: string;
  body?: unknown;
}

type Creator = (response: any, request: HttpRequest) => Removal | undefined;

const byField = (field: string, collection: string): Creator => (r) => (typeof r?.[field] === "string" ? { method: "DELETE", path: `${collection}/${r[field]}` } : undefined);

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

export class Resources {
  private readonly created: { spec: SpecId; removal: Removal }[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly clients: Partial<Record<SpecId, ApiClient>>) {}

  /** Remembers what a successful response of a creating operation made. */
  noteResponse(spec: SpecId, operationId: string, x: Exchange): void {
    if (x.response.status >= 300) return;
    const creator = CREATORS[spec][operationId];
    const removal = creator?.(jsonBody(x.response), x.request);
    if (removal) this.track(spec, removal);
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

  /** Deletes everything remembered, newest first (threads before the agents they belong to). */
  async cleanup(): Promise<{ deleted: number; failed: number }> {
    let deleted = 0;
    let failed = 0;
    const items = this.created.splice(0).reverse();
    for (let i = 0; i < items.length; i += 8) {
      await Promise.all(
        items.slice(i, i + 8).map(async ({ spec, removal }) => {
          const client = this.clients[spec];
          if (!client) return;
          try {
            // An interrupted run still removes what it made: cleanup has its own deadline, not the run's signal.
            const x = await client.with({ signal: undefined }).call("DELETE", removal.path, removal.body, { timeoutMs: 15_000 });
            if (x.response.status < 300 || x.response.status === 404) deleted++;
            else failed++;
          } catch {
            failed++;
          }
        }),
      );
    }
    return { deleted, failed };
  }
}
