/**
 * Tool listing of registered MCP servers, through the official MCP SDK client over Streamable HTTP. Https
 * connections trust only the CA the emulator was given; results are cached per server URL.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { Agent, fetch } from "undici";
import type { Route } from "./server.ts";
import { ApiError, mcpServerNotFound } from "./errors.ts";
import type { McpRegistry, McpServerRecord } from "./mcp-servers.ts";

interface ToolDeps {
  mcp: McpRegistry;
  tools: ToolCatalog;
}
import { bool, queryParam, str, uri } from "./validate.ts";

const TIMEOUT_MS = 10_000;

interface McpToolView {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

interface Listing {
  tools: McpToolView[];
  fetched_at: string;
}

export class ToolCatalog {
  private readonly cache = new Map<string, Listing>();
  private readonly dispatcher: Agent;
  private readonly fetch: FetchLike;

  constructor(ca: string | undefined) {
    // With `ca` set, Node trusts that certificate alone (not the system roots).
    this.dispatcher = new Agent({ connect: ca ? { ca } : {}, connectTimeout: TIMEOUT_MS });
    this.fetch = ((url: string | URL, init?: RequestInit) => fetch(url, { ...(init as object), dispatcher: this.dispatcher })) as unknown as FetchLike;
  }

  /** The server's tools, from the cache unless `refresh`; a failed connection is a 502. */
  async list(server: McpServerRecord, refresh: boolean): Promise<Listing & { cached: boolean }> {
    const key = server.url.replace(/\/+$/, "");
    const hit = this.cache.get(key);
    if (hit && !refresh) return { ...hit, cached: true };
    const listing = { tools: await this.fetchTools(server), fetched_at: new Date().toISOString() };
    this.cache.set(key, listing);
    return { ...listing, cached: false };
  }

  invalidate(url: string): void {
    this.cache.delete(url.replace(/\/+$/, ""));
  }

  close(): Promise<void> {
    this.cache.clear();
    return this.dispatcher.destroy();
  }

  private async fetchTools(server: McpServerRecord): Promise<McpToolView[]> {
    const headers = Object.fromEntries(server.headers.map((h) => [h.key, h.value]));
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { fetch: this.fetch, requestInit: { headers } });
    const client = new Client({ name: "agentwire-managed-emulator", version: "1.0.0" });
    const out: McpToolView[] = [];
    try {
      await client.connect(transport, { timeout: TIMEOUT_MS });
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {}, { timeout: TIMEOUT_MS });
        for (const t of page.tools) {
          out.push({ name: t.name, description: t.description, inputSchema: t.inputSchema, ...(t.annotations ? { annotations: t.annotations } : {}) });
        }
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new ApiError(502, "mcp_server_unreachable", `Listing tools of the MCP server '${server.name}' failed: ${(error as Error).message}${cause ? ` (${cause})` : ""}`);
    } finally {
      await client.close().catch(() => undefined);
    }
    return out;
  }
}

/** One line of an agent's health: is the URL registered, and does it answer tools/list? */
export async function probeMcp(ctx: ToolDeps, url: string): Promise<{ url: string; ok: boolean; detail?: string }> {
  const server = ctx.mcp.byUrl(url);
  if (!server) return { url, ok: false, detail: "not registered in this workspace" };
  try {
    await ctx.tools.list(server, false);
    return { url, ok: true };
  } catch (error) {
    return { url, ok: false, detail: (error as Error).message };
  }
}

export function mcpToolRoutes(ctx: ToolDeps): Route[] {
  return [
    {
      method: "GET",
      path: "/mcp/tools",
      async handler(call) {
        const url: string = queryParam(call.query, "url", uri(), true);
        const refresh: boolean = queryParam(call.query, "force_refresh", bool()) ?? false;
        // Accepted for completeness; the emulator has one user and keeps no per-user OAuth tokens.
        queryParam(call.query, "oauth_provider_id", str());
        queryParam(call.query, "ls_user_id", str());
        const server = ctx.mcp.byUrl(url);
        if (!server) throw mcpServerNotFound();
        return { status: 200, body: await ctx.tools.list(server, refresh) };
      },
    },
  ];
}
