/**
 * A small hostile HTTP server on 127.0.0.1 for the project's tests: one behaviour per server, from never
 * answering to echoing the API key back. Unless told to misbehave there too, it answers the run's first
 * probe (GET of a base URL) like a server that is there, so the behaviour reaches the units behind it;
 * stream behaviours answer every other request plausibly and misbehave only on run streams.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export const BEHAVIOURS = [
  "hang",
  "stall-body",
  "stall-stream",
  "reset",
  "huge-body",
  "huge-headers",
  "endless-stream",
  "endless-line",
  "invalid-utf8",
  "wrong-content-type",
  "error-500",
  "empty-200",
  "echo",
  "redirect",
  "trickle",
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/** Behaviours that only touch run streams. */
const STREAM_ONLY = new Set<Behaviour>(["stall-stream", "endless-stream", "endless-line", "invalid-utf8"]);

export interface Hostile {
  url: string;
  /** Requests this server received, and requests that reached the host it redirects to. */
  requests(): number;
  redirected(): number;
  stop(): Promise<void>;
}

const MiB = 1024 * 1024;
const isProbe = (req: IncomingMessage) => req.method === "GET" && /^\/(v1\/deepagents)?\/?$/.test(req.url ?? "");
const isStream = (req: IncomingMessage) => /\/stream(\?|$)/.test(req.url ?? "") || /text\/event-stream/.test(String(req.headers.accept));

/** A body that has every id field the suite looks for. */
function plausible(extra: Record<string, unknown> = {}): string {
  const id = randomUUID();
  return JSON.stringify({ id, thread_id: id, assistant_id: id, run_id: id, graph_id: "agent", name: "hostile", status: "idle", values: { messages: [] }, metadata: {}, ...extra });
}

const events = (...list: [string, string][]) => list.map(([e, d]) => `event: ${e}\ndata: ${d}\n\n`).join("");

/** Resolves when the response can take more, or is gone. */
const drained = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => (res.off("drain", done), res.off("close", done), resolve());
    res.on("drain", done).on("close", done);
  });

/** Writes chunks until the client goes away, respecting backpressure. */
async function flood(res: ServerResponse, chunk: Buffer, until = Infinity): Promise<void> {
  let sent = 0;
  while (!res.destroyed && sent < until) {
    sent += chunk.length;
    if (!res.write(chunk)) await drained(res);
  }
  if (!res.destroyed) res.end();
}

export async function startHostile(behaviour: Behaviour, o: { probe?: boolean } = {}): Promise<Hostile> {
  let received = 0;
  let redirected = 0;
  const timers = new Set<NodeJS.Timeout>();
  // The host a redirect points at: another loopback address, counting what reaches it.
  const elsewhere = createServer((req, res) => {
    redirected++;
    res.writeHead(200, { "content-type": "application/json" }).end(plausible());
  });
  await new Promise<void>((r) => elsewhere.listen(0, "127.0.0.2", r));
  const elsewherePort = (elsewhere.address() as { port: number }).port;

  const server: Server = createServer((req, res) => {
    received++;
    req.resume();
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    const json = (status: number, body: string, headers: Record<string, string> = {}) => res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
    if (isProbe(req) && !o.probe) return json(200, "{}");
    const stream = isStream(req);
    if (STREAM_ONLY.has(behaviour) && !stream) return req.method === "DELETE" ? res.writeHead(204).end() : json(req.url?.endsWith("/agents") ? 201 : 200, plausible());
    const sse = () => res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
    switch (behaviour) {
      case "hang":
        return; // never a byte
      case "stall-body":
        res.writeHead(200, { "content-type": "application/json" });
        return void res.write('{"id":"');
      case "stall-stream":
        sse();
        return void res.write(events(["metadata", JSON.stringify({ run_id: randomUUID(), attempt: 1 })]));
      case "reset":
        return void req.socket.resetAndDestroy();
      case "huge-body":
        res.writeHead(200, { "content-type": "application/json" });
        return void flood(res, Buffer.alloc(MiB, "a"), 50 * MiB);
      case "huge-headers":
        return json(200, plausible(), { "x-padding": "a".repeat(MiB) });
      case "endless-stream": {
        sse();
        res.write(events(["metadata", JSON.stringify({ run_id: randomUUID(), attempt: 1 })]));
        return void flood(res, Buffer.from(events(["values", JSON.stringify({ messages: [] })]).repeat(1000)));
      }
      case "endless-line":
        sse();
        res.write("data: ");
        return void flood(res, Buffer.alloc(64 * 1024, "a"));
      case "invalid-utf8":
        sse();
        res.write(events(["metadata", JSON.stringify({ run_id: randomUUID(), attempt: 1 })]));
        res.write(Buffer.concat([Buffer.from('event: values\ndata: {"messages":["'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"]}\n\n')]));
        return void res.end();
      case "wrong-content-type":
        return void res.writeHead(200, { "content-type": "text/html" }).end(plausible());
      case "error-500":
        return json(500, JSON.stringify({ detail: "internal error" }));
      case "empty-200":
        return json(200, "{}");
      case "echo": {
        // A careless server: whatever it was sent, key included, comes back in headers, bodies and events.
        const echo = JSON.stringify(req.headers);
        if (stream) {
          res.writeHead(200, { "content-type": "text/event-stream", "x-echo": echo });
          return void res.end(events(["metadata", JSON.stringify({ run_id: randomUUID(), echo: req.headers })], ["error", JSON.stringify({ error: "Unauthorized", message: `bad key ${echo}` })]));
        }
        return json(req.method === "POST" ? 201 : 200, plausible({ detail: `you sent ${echo}` }), { "x-echo": echo });
      }
      case "redirect":
        return void res.writeHead(307, { location: `http://127.0.0.2:${elsewherePort}${req.url}` }).end();
      case "trickle": {
        // Always a little more, never the end: only a deadline on the whole exchange stops it.
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        const timer = setInterval(() => (res.destroyed ? (clearInterval(timer), timers.delete(timer)) : res.write("0,")), 100);
        return void timers.add(timer);
      }
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => received,
    redirected: () => redirected,
    async stop() {
      for (const t of timers) clearInterval(t);
      for (const s of [server, elsewhere]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
