/** What every resource module of the emulator shares. */
import type { AuthSessions } from "./auth-sessions.ts";
import type { McpRegistry } from "./mcp-servers.ts";
import type { ToolCatalog } from "./mcp-tools.ts";
import { invalidBody } from "./errors.ts";
import type { AgentServer } from "./upstream.ts";

export interface Ctx {
  upstream: AgentServer;
  /**
   * This emulator's workspace. Its assistants and threads carry it as `tenant_id` in their upstream
   * metadata, so several emulators can share one Agent Server without seeing each other's resources.
   */
  tenantId: string;
  /** The one identity behind the accepted API key; it owns every agent. */
  userId: string;
  lenient: boolean;
  publicUrl(): string;
  mcp: McpRegistry;
  tools: ToolCatalog;
  sessions: AuthSessions;
}

/** Opaque page cursors: the offset of the next item, base64url-encoded. */
const encodeCursor = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString("base64url");

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  let o: unknown;
  try {
    o = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))?.o;
  } catch {
    o = undefined;
  }
  if (typeof o === "number" && Number.isInteger(o) && o >= 0) return o;
  throw invalidBody("'cursor' must be a next_cursor value returned by a previous page");
}

/** One page of `items` starting at the cursor, with the cursor of the next page or null. */
export function page<T>(items: T[], offset: number, size: number): { items: T[]; next: string | null } {
  const slice = items.slice(offset, offset + size);
  return { items: slice, next: offset + size < items.length ? encodeCursor(offset + size) : null };
}

