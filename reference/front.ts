/**
 * The reference's public face: one port serving the Managed Deep Agents API (forwarded to the emulator) and
 * the Agent Server API (forwarded to the real server). It is a streaming pass-through — bytes go out as
 * they come in — except where an active fault rewrites the traffic.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { mediaType } from "../core/exchange.ts";
import { flattenHeaders } from "../core/http.ts";
import { sleep } from "../core/poll.ts";
import { frame, Reframer } from "./reframe.ts";
import type { BufferedResponse, EventOutput, FaultHooks, ProxiedRequest, ProxyEvent, StreamTransform } from "./faults/types.ts";

export interface FrontOptions {
  port: number;
  emulatorUrl: string;
  upstreamUrl: string;
  hooks: FaultHooks[];
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "host", "content-length"]);
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export async function startFront(o: FrontOptions): Promise<{ url: string; stop(): Promise<void> }> {
  // Long runs may be silent for a while; the clients' own deadlines bound them, not the proxy.
  const dispatcher = new Agent({ bodyTimeout: 0, headersTimeout: 0 });
  const open = new Set<() => void>();
  const server = createServer((req, res) => {
    handle(req, res, o, dispatcher, open).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
        res.end(`reference front: ${(error as Error).message}`);
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      for (const close of open) close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.close();
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, o: FrontOptions, dispatcher: Agent, open: Set<() => void>) {
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, { "content-type": "text/plain; charset=utf-8" }).end("request body too large");
    return;
  }
  const url = new URL(req.url ?? "/", "http://front");
  const managed = url.pathname.startsWith("/v1/deepagents") || url.pathname.startsWith("/__reference/");
  let pr: ProxiedRequest = {
    api: managed ? "managed" : "agent-server",
    method: (req.method ?? "GET").toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: flattenHeaders(req.headers),
    body,
  };
  const active = o.hooks.filter((h) => h.match(pr));
  for (const h of active) if (h.delayMs) await sleep(h.delayMs);
  for (const h of active) {
    const out = h.request?.(pr);
    if (out && "status" in out) return send(res, applyResponseHooks(out, pr, active));
    if (out) pr = out;
  }

  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const target = `${managed ? o.emulatorUrl : o.upstreamUrl}${pr.path}${url.search}`;
  // Each request goes on a connection of its own: a kept-alive one the server is closing just then (uvicorn
  // drops idle ones after 5 s, and a busy machine fires timers late) resets the next request on it, and the
  // front could only answer 502, a finding about plumbing. A loopback connect costs a fraction of a millisecond.
  const upstream = await request(target, {
    method: pr.method as "GET",
    headers: Object.fromEntries(Object.entries(pr.headers).filter(([k]) => !HOP_BY_HOP.has(k))),
    body: pr.method === "GET" || pr.method === "HEAD" ? undefined : pr.body,
    signal: abort.signal,
    dispatcher,
    reset: true,
  });
  const headers = flattenHeaders(upstream.headers);

  if (mediaType(headers["content-type"]) === "text/event-stream") {
    const transforms = active.flatMap((h) => (h.stream ? [h.stream(pr)] : []));
    return relayStream(res, upstream.statusCode, headers, upstream.body, transforms, abort, open);
  }
  if (active.some((h) => h.response)) {
    const chunks: Buffer[] = [];
    for await (const c of upstream.body) chunks.push(c as Buffer);
    return send(res, applyResponseHooks({ status: upstream.statusCode, headers, body: Buffer.concat(chunks) }, pr, active));
  }
  res.writeHead(upstream.statusCode, passHeaders(headers, true));
  for await (const c of upstream.body) res.write(c);
  res.end();
}

function applyResponseHooks(res: BufferedResponse, req: ProxiedRequest, hooks: FaultHooks[]): BufferedResponse {
  return hooks.reduce((r, h) => (h.response ? h.response(r, req) : r), res);
}

function send(res: ServerResponse, r: BufferedResponse) {
  res.writeHead(r.status, { ...passHeaders(r.headers, false), "content-length": String(r.body.length) });
  res.end(r.body);
}

function passHeaders(h: Record<string, string>, keepLength: boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter(([k]) => !HOP_BY_HOP.has(k) || (keepLength && k === "content-length")));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Relays an event stream chunk by chunk; event-level faults re-frame it, byte-level ones rewrite bytes. */
async function relayStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: AsyncIterable<Buffer>,
  transforms: StreamTransform[],
  abort: AbortController,
  open: Set<() => void>,
) {
  const outHeaders = transforms.reduce((h, t) => (t.headers ? t.headers(h) : h), passHeaders(headers, false));
  res.socket?.setNoDelay(true);
  res.writeHead(status, outHeaders);
  res.flushHeaders();

  const eventTransforms = transforms.filter((t) => t.kind === "events");
  const byteTransforms = transforms.filter((t) => t.kind === "bytes");
  const write = (b: Buffer) => {
    for (const t of byteTransforms) if (t.kind === "bytes") b = Buffer.concat(t.chunk(b));
    if (b.length) res.write(b);
  };
  const parser = eventTransforms.length ? new Reframer() : undefined;
  let closed = false;
  try {
    for await (const chunk of body) {
      if (!parser) {
        write(chunk);
        continue;
      }
      for (const e of parser.feed(chunk)) {
        const out = await runEventTransforms(e, eventTransforms);
        for (const x of out.events) write(Buffer.from(frame(x)));
        if (out.close) {
          closed = true;
          break;
        }
      }
      if (closed) {
        abort.abort();
        break;
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  }
  for (const t of byteTransforms) if (t.kind === "bytes") for (const b of t.end()) res.write(b);
  if (!closed && transforms.some((t) => t.holdOpen)) return holdOpen(res, open);
  res.end();
}

async function runEventTransforms(e: ProxyEvent, transforms: StreamTransform[]): Promise<EventOutput> {
  let events = [e];
  let close = false;
  for (const t of transforms) {
    if (t.kind !== "events") continue;
    const next: ProxyEvent[] = [];
    for (const x of events) {
      const out = await t.event(x);
      next.push(...out.events);
      close ||= out.close === true;
    }
    events = next;
  }
  return { events, close };
}

/** Keeps a finished stream open with a comment every second, until the client or the reference stops. */
function holdOpen(res: ServerResponse, open: Set<() => void>) {
  const timer = setInterval(() => res.write(": keep-alive\n\n"), 1000);
  const close = () => {
    clearInterval(timer);
    open.delete(close);
    res.end();
  };
  open.add(close);
  res.on("close", close);
}
