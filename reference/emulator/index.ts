/**
 * An emulator of the Managed Deep Agents API (`/v1/deepagents`, 28 operations) over the real Agent Server:
 * agents are assistants, threads and runs are upstream threads and runs, MCP servers and auth sessions live
 * in memory. It is the healthy target the conformance suite must pass, and the base the faults break.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { agentRoutes } from "./agents.ts";
import { AuthSessions, authSessionRoutes } from "./auth-sessions.ts";
import type { Ctx } from "./context.ts";
import { McpRegistry, mcpServerRoutes } from "./mcp-servers.ts";
import { mcpToolRoutes, ToolCatalog } from "./mcp-tools.ts";
import { runRoutes } from "./runs.ts";
import { startHttp } from "./server.ts";
import { threadRoutes } from "./threads.ts";
import { AgentServer } from "./upstream.ts";

export interface ManagedEmulatorOptions {
  /** Base URL of the real Agent Server. */
  upstreamUrl: string;
  /** The only accepted X-Api-Key. */
  apiKey: string;
  /** Base URL clients see (no trailing slash); verification URLs of auth sessions point there. */
  publicUrl: () => string;
  /** PEM of the CA to trust when calling https MCP servers (the local one). */
  mcpCa?: string;
  /** Fault hook: coerce or default bodies with missing required fields or wrong types instead of rejecting them. */
  lenientValidation?: boolean;
}

export async function startManagedEmulator(o: ManagedEmulatorOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const ctx: Ctx = {
    upstream: new AgentServer(o.upstreamUrl.replace(/\/+$/, "")),
    tenantId: randomUUID(),
    userId: randomUUID(),
    lenient: o.lenientValidation ?? false,
    publicUrl: o.publicUrl,
    mcp: new McpRegistry(),
    tools: new ToolCatalog(o.mcpCa),
    sessions: new AuthSessions(),
  };
  const routes = [...agentRoutes(ctx), ...threadRoutes(ctx), ...runRoutes(ctx), ...mcpServerRoutes(ctx), ...mcpToolRoutes(ctx), ...authSessionRoutes(ctx)];
  const server = startHttp(routes, o.apiKey);
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      ctx.sessions.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([ctx.upstream.close(), ctx.tools.close()]);
    },
  };
}
