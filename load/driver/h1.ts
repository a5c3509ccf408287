/**
 * The load driver's own HTTP/1.1 client for plain-http streams: bytes straight from libuv into one reused
 * buffer (net `onread`), no stream objects between the socket and the SSE parser, so the CPU an event costs
 * is little more than the kernel's read. It does only what a streamed run needs: one request per connection
 * at a time, keep-alive reuse, chunked, length-delimited or close-delimited bodies. Everything a hostile
 * server controls is capped (the response head, a chunk-size line, trailers) and ends the run, never memory.
 * https goes through undici instead (TLS sockets take no `onread`).
 */
import { connect, type Socket } from "node:net";

/** What a run receives; `now` is the one stamp taken for the socket read that carried the bytes. */
export interface H1Sink {
  onStart(abort: () => void): void;
  onHead(status: number, now: number): void;
  onBody(bytes: Buffer, now: number): void;
  onEnd(): void;
  /** The connection failed or broke (before or after the head). */
  onError(message: string): void;
}

export interface H1Request {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** A response head larger than this is not a response this driver will wait for. */
const MAX_HEAD_BYTES = 64 * 1024;
/** A chunk-size line (size and extensions) or one trailer line. */
const MAX_LINE_BYTES = 4096;
const CRLF_CRLF = Buffer.from("\r\n\r\n");

type BodyMode = "chunked" | "length" | "close";
const enum Chunk {
  Size,
  Data,
  DataEnd,
  Trailer,
}

/** Idle keep-alive connections per origin; every socket it made is destroyed by `close()`. */
export class H1Pool {
  private readonly idle = new Map<string, Connection[]>();
  private readonly all = new Set<Connection>();
  /** One buffer for every socket: each read is consumed synchronously before the next one lands. */
  private readonly buffer = Buffer.allocUnsafe(64 * 1024);

  send(req: H1Request, sink: H1Sink): void {
    const key = `${req.url.hostname}:${req.url.port || 80}`;
    let conn: Connection | undefined;
    const idle = this.idle.get(key);
    while (idle?.length && !conn) {
      const c = idle.pop()!;
      if (c.reusable()) conn = c;
    }
    conn ??= this.open(req.url, key);
    conn.request(req, sink);
  }

  close(): void {
    for (const c of this.all) c.destroy();
    this.all.clear();
    this.idle.clear();
  }

  private open(url: URL, key: string): Connection {
    const c = new Connection(this.buffer, url, (done) => {
      if (done.reusable()) {
        const list = this.idle.get(key) ?? [];
        list.push(done);
        this.idle.set(key, list);
      } else this.all.delete(done);
    });
    this.all.add(c);
    return c;
  }
}

class Connection {
  private readonly socket: Socket;
  private sink: H1Sink | undefined;
  private closed = false;
  private keepAlive = false;
  // The response being read.
  private head: Buffer[] = [];
  private headBytes = 0;
  private inBody = false;
  private mode: BodyMode = "close";
  private remaining = 0;
  private chunk = Chunk.Size;
  private line = "";

  constructor(
    buffer: Buffer,
    url: URL,
    private readonly release: (c: Connection) => void,
  ) {
    this.socket = connect({
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: Number(url.port || 80),
      noDelay: true,
      onread: { buffer, callback: (n: number, buf: Uint8Array) => this.read(buf as Buffer, n) },
    });
    this.socket.on("error", (e) => this.fail(describe(e)));
    // A server that half-closes a kept-alive connection is done with it.
    this.socket.on("end", () => (this.keepAlive = false));
    this.socket.on("close", () => {
      this.closed = true;
      if (this.sink && this.inBody && this.mode === "close") this.finish();
      else this.fail("the server closed the connection");
      this.release(this);
    });
  }

  reusable(): boolean {
    return !this.closed && this.keepAlive && this.sink === undefined && !this.socket.destroyed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  request(req: H1Request, sink: H1Sink): void {
    this.sink = sink;
    this.keepAlive = false;
    this.head = [];
    this.headBytes = 0;
    this.inBody = false;
    sink.onStart(() => {
      if (this.sink === sink) {
        this.sink = undefined;
        this.socket.destroy();
      }
    });
    if (this.sink !== sink) return; // aborted at once
    const lines = [`${req.method.toUpperCase()} ${req.url.pathname}${req.url.search} HTTP/1.1`, `host: ${req.url.host}`];
    for (const [name, value] of Object.entries(req.headers)) {
      if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) return this.fail(`header ${JSON.stringify(name)} holds a line break`);
      if (name !== "host" && name !== "content-length" && name !== "connection" && name !== "transfer-encoding") lines.push(`${name}: ${value}`);
    }
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    if (body || req.method.toUpperCase() === "POST") lines.push(`content-length: ${body?.length ?? 0}`);
    this.socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    if (body?.length) this.socket.write(body);
  }

  /** Always true: returning false would pause the socket, and a kept-alive one must keep reading. */
  private read(buf: Buffer, n: number): boolean {
    const sink = this.sink;
    if (sink === undefined) {
      // Bytes on an idle connection: the server is not speaking HTTP/1.1 keep-alive; drop the connection.
      this.keepAlive = false;
      this.socket.destroy();
      return true;
    }
    const now = performance.now();
    let at = 0;
    if (!this.inBody) {
      at = this.readHead(buf, n, now);
      if (at < 0 || !this.inBody || this.sink !== sink) return true;
    }
    this.readBody(buf, at, n, now);
    return true;
  }

  /** Returns where the body starts in `buf`, n when the head is still incomplete, or −1 when the run ended. */
  private readHead(buf: Buffer, n: number, now: number): number {
    let from = 0;
    for (;;) {
      const piece = buf.subarray(from, n);
      const joined = this.head.length ? Buffer.concat([...this.head, piece]) : piece;
      const end = joined.indexOf(CRLF_CRLF);
      if (end === -1) {
        if (joined.length > MAX_HEAD_BYTES) return this.fail(`response head larger than ${MAX_HEAD_BYTES} bytes`), -1;
        this.head = [Buffer.from(joined)]; // a copy: `buf` is reused by the next read
        this.headBytes = joined.length;
        return n;
      }
      const carried = this.headBytes;
      this.head = [];
      this.headBytes = 0;
      const status = this.parseHead(joined.toString("latin1", 0, end));
      if (status < 0) return -1;
      const next = from + end + 4 - carried;
      // An interim (1xx) response is followed by the real one.
      if (status < 200) {
        from = next;
        if (from >= n) return n;
        continue;
      }
      this.inBody = true;
      this.sink!.onHead(status, now);
      if (this.mode === "length" && this.remaining === 0) this.finish();
      return next;
    }
  }

  /** Parses the status line and the framing headers; returns the status, or −1 after failing the run. */
  private parseHead(text: string): number {
    const lines = text.split("\r\n");
    const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? "");
    if (!m) return this.fail("the response does not start with an HTTP/1.x status line"), -1;
    const status = Number(m[2]);
    let chunked = false;
    let length: number | undefined;
    let close = m[1] === "0";
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === "transfer-encoding") chunked = value.split(",").map((s) => s.trim()).at(-1) === "chunked";
      else if (name === "content-length") {
        if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value))) return this.fail(`invalid content-length ${JSON.stringify(value.slice(0, 40))}`), -1;
        length = Number(value);
      } else if (name === "connection") close = value.split(",").some((s) => s.trim() === "close");
    }
    const bodyless = status < 200 || status === 204 || status === 304;
    this.mode = bodyless ? "length" : chunked ? "chunked" : length !== undefined ? "length" : "close";
    this.remaining = bodyless ? 0 : (length ?? 0);
    this.chunk = Chunk.Size;
    this.line = "";
    this.keepAlive = !close && this.mode !== "close";
    return status;
  }

  private readBody(buf: Buffer, at: number, n: number, now: number): void {
    if (this.mode === "close") {
      if (at < n) this.sink!.onBody(buf.subarray(at, n), now);
      return;
    }
    if (this.mode === "length") {
      const take = Math.min(this.remaining, n - at);
      this.remaining -= take;
      if (take > 0) this.sink!.onBody(buf.subarray(at, at + take), now);
      if (this.remaining === 0 && this.sink) this.finish();
      return;
    }
    this.readChunked(buf, at, n, now);
  }

  private readChunked(buf: Buffer, at: number, n: number, now: number): void {
    const sink = this.sink!;
    while (at < n && this.sink === sink) {
      if (this.chunk === Chunk.Data) {
        const take = Math.min(this.remaining, n - at);
        sink.onBody(buf.subarray(at, at + take), now);
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) this.chunk = Chunk.DataEnd;
        continue;
      }
      if (this.chunk === Chunk.DataEnd && this.line === "" && at + 1 < n && buf[at] === 0x0d && buf[at + 1] === 0x0a) {
        at += 2;
        this.chunk = Chunk.Size;
        continue;
      }
      // Common case: a whole chunk-size line in this read, parsed off the bytes (hex digits, then CRLF).
      if (this.chunk === Chunk.Size && this.line === "") {
        let size = 0;
        let k = at;
        for (; k < n && k - at < 12; k++) {
          const d = hexDigit(buf[k]!);
          if (d < 0) break;
          size = size * 16 + d;
        }
        if (k > at && k + 1 < n && buf[k] === 0x0d && buf[k + 1] === 0x0a) {
          at = k + 2;
          this.remaining = size;
          this.chunk = size === 0 ? Chunk.Trailer : Chunk.Data;
          continue;
        }
      }
      // Any other line: a size line split across reads or with extensions, the CRLF after data, a trailer.
      const lf = buf.indexOf(0x0a, at);
      const end = lf === -1 || lf >= n ? n : lf;
      this.line += buf.toString("latin1", at, end);
      at = end === n ? n : end + 1;
      if (this.line.length > MAX_LINE_BYTES) return this.fail(`chunked framing line longer than ${MAX_LINE_BYTES} bytes`);
      if (end === n) return;
      const line = this.line.endsWith("\r") ? this.line.slice(0, -1) : this.line;
      this.line = "";
      if (this.chunk === Chunk.DataEnd) {
        if (line !== "") return this.fail("chunk data not followed by CRLF");
        this.chunk = Chunk.Size;
      } else if (this.chunk === Chunk.Size) {
        const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
        if (!size) return this.fail(`invalid chunk size ${JSON.stringify(line.slice(0, 40))}`);
        this.remaining = parseInt(size[1]!, 16);
        this.chunk = this.remaining === 0 ? Chunk.Trailer : Chunk.Data;
      } else if (line === "") return this.finish();
    }
  }

  private finish(): void {
    const sink = this.sink;
    this.sink = undefined;
    this.inBody = false;
    sink?.onEnd();
    if (!this.keepAlive) this.socket.destroy();
    else this.release(this);
  }

  private fail(message: string): void {
    const sink = this.sink;
    this.sink = undefined;
    this.keepAlive = false;
    this.socket.destroy();
    sink?.onError(message);
  }
}

function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e?.code && !String(e.message).includes(e.code) ? `${e.code}: ${e.message}` : String(e?.message ?? error);
}
