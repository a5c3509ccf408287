/** The emulator's HTTP layer: a small router, the API-key gate, body reading and JSON answers. */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ApiError } from "./errors.ts";

const BASE = "/v1/deepagents";
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface Call {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  req: IncomingMessage;
  res: ServerResponse;
}

/** A JSON answer (no body: 204), a plain-text answer, or a response the handler already wrote itself. */
export type Reply = { status: number; body?: unknown } | { status: number; text: string } | { streamed: true };

export interface Route {
  method: string;
  /** Path pattern below BASE (or absolute when `open`), with `:name` segments. */
  path: string;
  /** Served without an API key (the reference's own pages). */
  open?: boolean;
  handler(call: Call): Promise<Reply>;
}

interface Compiled extends Route {
  segments: string[];
  literals: number;
}

export function startHttp(routes: Route[], apiKey: string): Server {
  const compiled: Compiled[] = routes
    .map((r) => {
      const segments = (r.open ? r.path : `${BASE}${r.path}`).split("/").slice(1);
      return { ...r, segments, literals: segments.filter((s) => !s.startsWith(":")).length };
    })
    // Literal segments win over parameters: GET /threads/count is not GET /threads/{thread_id}.
    .sort((a, b) => b.literals - a.literals);
  const keyDigest = digest(apiKey);

  return createServer((req, res) => {
    dispatch(req, res, compiled, keyDigest).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const e = error instanceof ApiError ? error : new ApiError(500, "internal_error", `The emulator failed: ${(error as Error)?.message ?? String(error)}`);
      writeJson(res, e.status, e.body());
    });
  });
}

async function dispatch(req: IncomingMessage, res: ServerResponse, routes: Compiled[], keyDigest: Buffer) {
  const url = new URL(req.url ?? "/", "http://emulator");
  const segments = url.pathname.split("/").slice(1);
  const managed = url.pathname === BASE || url.pathname.startsWith(`${BASE}/`);

  if (managed) {
    // The auth layer answers before routing, with flat bodies rather than ErrorResponse.
    const key = req.headers["x-api-key"];
    if (typeof key !== "string" || key === "") return writeJson(res, 401, { error: "Unauthorized" });
    if (!timingSafeEqual(digest(key), keyDigest)) return writeJson(res, 403, { error: "Forbidden" });
  }

  const method = (req.method ?? "GET").toUpperCase();
  const allowed: string[] = [];
  // Allow names the methods of the resource the path resolves to: the most literal pattern that matches
  // (PUT /threads/count is refused with count's methods, not those of /threads/{thread_id}).
  let literals: number | undefined;
  for (const route of routes) {
    const params = match(route.segments, segments);
    if (!params || Boolean(route.open) === managed || (literals !== undefined && route.literals < literals)) continue;
    literals = route.literals;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const body = await readBody(req);
    const reply = await route.handler({ params, query: url.searchParams, headers: req.headers, body, req, res });
    if ("streamed" in reply) return;
    if ("text" in reply) {
      res.writeHead(reply.status, { "content-type": "text/plain; charset=utf-8" }).end(reply.text);
      return;
    }
    return writeJson(res, reply.status, reply.body);
  }
  if (!managed) return void res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
  if (allowed.length) {
    res.setHeader("allow", [...new Set(allowed)].join(", "));
    throw new ApiError(405, "method_not_allowed", `${method} is not supported on this path; use ${[...new Set(allowed)].join(" or ")}`);
  }
  throw new ApiError(404, "not_found", `No operation is served at ${url.pathname}`);
}

function match(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segments[i]!;
    if (p.startsWith(":")) {
      if (!s) return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(s);
      } catch {
        params[p.slice(1)] = s;
      }
    } else if (p !== s) return undefined;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "payload_too_large", `Send a request body of at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

const digest = (s: string) => createHash("sha256").update(s).digest();
