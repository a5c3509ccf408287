/** Starts the Managed emulator (over the real Agent Server and the local MCP server) for the emulator tests. */
import { randomBytes } from "node:crypto";
import { createParser } from "eventsource-parser";
import { request } from "undici";
import { jsonRequest, send } from "../../core/http.ts";
import { jsonBody } from "../../core/exchange.ts";
import { startManagedEmulator } from "../../reference/emulator/index.ts";
import { startMcpServer, type LocalMcpServer } from "../../reference/mcp/index.ts";
import { startUpstream } from "../../reference/upstream/launch.ts";

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export interface StreamedEvent {
  event: string;
  data: string;
  /** performance.now() when the chunk completing the event arrived. */
  at: number;
}

export interface Env {
  base: string;
  url: string;
  key: string;
  mcp?: LocalMcpServer;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** A raw-body call (for malformed JSON). */
  raw(method: string, path: string, body: string): Promise<Reply>;
  /** Reads a run stream to its end (or aborts it after `abortAfter` events). */
  stream(path: string, body: unknown, abortAfter?: number): Promise<{ status: number; headers: Record<string, string>; events: StreamedEvent[]; text: string }>;
}

export interface StartedEnv extends Env {
  /** The Agent Server behind the emulator (for white-box checks and for sharing it with a second emulator). */
  upstreamUrl: string;
  stop(): Promise<void>;
}

/**
 * One emulator per test file (stop it in after()). `upstream: false` points it at a closed port instead of a
 * real Agent Server (for operations that never reach it), a URL shares a running one; `mcp: false` skips the
 * MCP server.
 */
export async function startEnv(o: { upstream?: boolean | string; mcp?: boolean; lenient?: boolean } = {}): Promise<StartedEnv> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const upstream = o.upstream === undefined || o.upstream === true ? await startUpstream({ workers: 6 }) : undefined;
    if (upstream) stops.push(() => upstream.stop());
    const upstreamUrl = upstream?.url ?? (typeof o.upstream === "string" ? o.upstream : "http://127.0.0.1:9");
    const mcp = o.mcp === false ? undefined : await startMcpServer();
    if (mcp) stops.push(() => mcp.stop());
    const key = `test-${randomBytes(8).toString("hex")}`;
    let publicUrl = "";
    const emulator = await startManagedEmulator({
      upstreamUrl,
      apiKey: key,
      publicUrl: () => publicUrl,
      mcpCa: mcp?.ca,
      lenientValidation: o.lenient,
    });
    stops.push(() => emulator.stop());
    publicUrl = emulator.url;
    return { ...envFor(emulator.url, key, mcp), upstreamUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function envFor(url: string, key: string, mcp?: LocalMcpServer): Env {
  const base = `${url}/v1/deepagents`;
  const auth = { "x-api-key": key };
  const reply = (e: Awaited<ReturnType<typeof send>>): Reply => ({ status: e.response.status, headers: e.response.headers, text: e.response.body, json: jsonBody(e.response) });
  return {
    base,
    url,
    key,
    mcp,
    call: async (method, path, body, headers = auth) => reply(await send(jsonRequest(method, `${base}${path}`, body, headers))),
    raw: async (method, path, body) => reply(await send({ method, url: `${base}${path}`, headers: { ...auth, "content-type": "application/json" }, body })),
    async stream(path, body, abortAfter) {
      const abort = new AbortController();
      const res = await request(`${base}${path}`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify(body),
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(30_000)]),
      });
      const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
      const events: StreamedEvent[] = [];
      let text = "";
      let at = 0;
      const parser = createParser({ onEvent: (e) => events.push({ event: e.event ?? "message", data: e.data, at }) });
      try {
        for await (const chunk of res.body) {
          at = performance.now();
          const s = (chunk as Buffer).toString("utf8");
          text += s;
          parser.feed(s);
          if (abortAfter !== undefined && events.length >= abortAfter) abort.abort();
        }
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      }
      return { status: res.statusCode, headers, events, text };
    },
  };
}

export const user = (content: string) => ({ messages: [{ role: "user", content }] });

/** Re-reads until `done` accepts the value or `timeoutMs` passes; returns the last value either way. */
export async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await read();
  while (!done(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}
