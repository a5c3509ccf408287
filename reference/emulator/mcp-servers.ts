/**
 * MCP servers: workspace-level registrations kept in emulator memory. Stored header values are secrets and
 * are never answered back: every header comes out as {key, value: "<redacted>"}.
 */
import { randomUUID } from "node:crypto";
import type { Call, Route } from "./server.ts";
import { conflict, invalidBody, mcpServerNotFound, unprocessable } from "./errors.ts";
import { CreateMcpServerRequest, RegisterMcpOAuthProviderRequest, UpdateMcpServerRequest } from "./schemas.ts";
import { isUuid, parseBody } from "./validate.ts";

const REDACTED = "<redacted>";

interface Header {
  key: string;
  value: string;
}

export interface McpServerRecord {
  id: string;
  name: string;
  url: string;
  headers: Header[];
  auth_type: "headers" | "oauth";
  oauth_provider_id: string | null;
  oauth_mode?: string;
  vendor_id: string | null;
  external_system_id: string | null;
  created_at: string;
  updated_at: string;
  /** The per-user OAuth provider registered for this server, once requested. */
  provider?: string;
}

/** Two spellings of one server URL match when they differ only by a trailing slash. */
const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

export class McpRegistry {
  private readonly servers = new Map<string, McpServerRecord>();

  list(): McpServerRecord[] {
    return [...this.servers.values()];
  }
  get(id: string): McpServerRecord | undefined {
    return this.servers.get(id);
  }
  byUrl(url: string): McpServerRecord | undefined {
    return this.list().find((s) => sameUrl(s.url, url));
  }
  put(s: McpServerRecord): void {
    this.servers.set(s.id, s);
  }
  delete(id: string): McpServerRecord | undefined {
    const s = this.servers.get(id);
    this.servers.delete(id);
    return s;
  }
}

/** What the MCP server routes use of the emulator. */
interface McpDeps {
  mcp: McpRegistry;
  /** The tool listings cached per URL, dropped when a server's URL changes. */
  tools: { invalidate(url: string): void };
  lenient: boolean;
  tenantId: string;
}

const now = () => new Date().toISOString();

export function mcpServerRoutes(ctx: McpDeps): Route[] {
  const load = (call: Call) => {
    const id = call.params.mcp_server_id!;
    if (!isUuid(id)) throw invalidBody("'mcp_server_id' must be a UUID");
    const s = ctx.mcp.get(id);
    if (!s) throw mcpServerNotFound();
    return s;
  };
  const view = (s: McpServerRecord) => ({
    id: s.id,
    tenant_id: ctx.tenantId,
    name: s.name,
    url: s.url,
    headers: s.headers.map((h) => ({ key: h.key, value: REDACTED })),
    auth_type: s.auth_type,
    oauth_provider_id: s.oauth_provider_id,
    // Unset OAuth mode is left out: the documented enum has no empty value.
    ...(s.oauth_mode !== undefined ? { oauth_mode: s.oauth_mode } : {}),
    created_at: s.created_at,
    updated_at: s.updated_at,
    mcp_vendor_id: null,
    vendor_id: s.vendor_id,
    external_system_id: s.external_system_id,
  });

  return [
    {
      method: "POST",
      path: "/mcp-servers",
      async handler(call) {
        const body = parseBody(call.body, CreateMcpServerRequest, { lenient: ctx.lenient });
        checkUrl(body.url);
        if (ctx.mcp.list().some((s) => s.name === body.name)) throw conflict("mcp_server_already_exists", `Choose another name: an MCP server named '${body.name}' is already registered`);
        checkUrlFree(ctx, body.url);
        const stamp = now();
        const server: McpServerRecord = {
          id: randomUUID(),
          name: body.name,
          url: body.url,
          headers: body.headers ?? [],
          auth_type: body.auth_type ?? (body.oauth_mode ? "oauth" : "headers"),
          oauth_provider_id: body.oauth_provider_id ?? null,
          oauth_mode: body.oauth_mode,
          vendor_id: body.vendor_id ?? null,
          external_system_id: body.external_system_id ?? null,
          created_at: stamp,
          updated_at: stamp,
        };
        checkAuth(server);
        ctx.mcp.put(server);
        return { status: 201, body: view(server) };
      },
    },
    { method: "GET", path: "/mcp-servers", handler: async () => ({ status: 200, body: ctx.mcp.list().map(view) }) },
    { method: "GET", path: "/mcp-servers/:mcp_server_id", handler: async (call) => ({ status: 200, body: view(load(call)) }) },
    {
      method: "PATCH",
      path: "/mcp-servers/:mcp_server_id",
      async handler(call) {
        const body = parseBody(call.body, UpdateMcpServerRequest, { lenient: ctx.lenient });
        const current = load(call);
        if (body.url !== undefined) {
          checkUrl(body.url);
          checkUrlFree(ctx, body.url, current.id);
        }
        // Passing headers replaces the whole stored array (no partial diffs).
        const next: McpServerRecord = {
          ...current,
          url: body.url ?? current.url,
          headers: body.headers ?? current.headers,
          auth_type: body.auth_type ?? current.auth_type,
          oauth_provider_id: body.oauth_provider_id !== undefined ? body.oauth_provider_id : current.oauth_provider_id,
          oauth_mode: body.oauth_mode ?? current.oauth_mode,
          updated_at: now(),
        };
        checkAuth(next);
        ctx.mcp.put(next);
        ctx.tools.invalidate(current.url);
        ctx.tools.invalidate(next.url);
        return { status: 200, body: view(next) };
      },
    },
    {
      method: "DELETE",
      path: "/mcp-servers/:mcp_server_id",
      async handler(call) {
        const id = call.params.mcp_server_id!;
        if (!isUuid(id)) throw invalidBody("'mcp_server_id' must be a UUID");
        const gone = ctx.mcp.delete(id); // idempotent: an unknown id is already deleted
        if (gone) ctx.tools.invalidate(gone.url);
        return { status: 204 };
      },
    },
    {
      method: "POST",
      path: "/mcp-servers/:mcp_server_id/oauth-provider",
      async handler(call) {
        const server = load(call);
        parseBody(call.body, RegisterMcpOAuthProviderRequest, { lenient: ctx.lenient, optional: true });
        // Only a server in per-user dynamic client mode gets one (idempotent: one per server); the emulator
        // does no OAuth discovery.
        if (server.oauth_mode !== "per_user_dynamic_client") {
          throw invalidBody("Register a per-user OAuth provider only for an MCP server with oauth_mode 'per_user_dynamic_client'");
        }
        server.provider ??= randomUUID();
        return { status: 200, body: { oauth_provider_id: server.provider } };
      },
    },
  ];
}

function checkUrl(url: string) {
  if (!URL.canParse(url) || new URL(url).protocol !== "https:") throw invalidBody(`'url' must be an https URL: '${url}' is not`);
}

// URLs are unique per workspace: tools are looked up by URL (GET /mcp/tools?url=, agents' tool specs).
function checkUrlFree(ctx: Pick<McpDeps, "mcp">, url: string, self?: string) {
  const other = ctx.mcp.byUrl(url);
  if (other && other.id !== self) throw conflict("mcp_server_url_taken", `The MCP server '${other.name}' is already registered with this URL`);
}

function checkAuth(s: McpServerRecord) {
  if (s.oauth_mode !== undefined && s.auth_type !== "oauth") throw unprocessable("invalid_auth_config", "Set auth_type to 'oauth' to use oauth_mode");
  const keys = s.headers.map((h) => h.key.toLowerCase());
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup !== undefined) throw unprocessable("duplicate_header", `Send each header once: '${dup}' appears more than once`);
}
