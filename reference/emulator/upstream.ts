/** The emulator's client of the real Agent Server: JSON calls, lookups, and unbuffered run streams. */
import { Agent, request, type Dispatcher } from "undici";
import { upstreamError } from "./errors.ts";

export interface UpstreamReply {
  status: number;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON (the JS server answers errors in plain text). */
  json: any;
}

const JSON_TIMEOUT_MS = 30_000;

export class AgentServer {
  // Streams may be quiet for long stretches; only JSON calls get a deadline.
  private readonly dispatcher = new Agent({ keepAliveTimeout: 10_000, bodyTimeout: 0, headersTimeout: 0 });

  constructor(private readonly base: string) {}

  /** One JSON call; any answer (also 4xx/5xx) is returned, a transport failure becomes a 502. */
  async call(method: string, path: string, body?: unknown): Promise<UpstreamReply> {
    try {
      const res = await request(`${this.base}${path}`, {
        method: method as Dispatcher.HttpMethod,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(JSON_TIMEOUT_MS),
        dispatcher: this.dispatcher,
      });
      return toReply(res.statusCode, await res.body.text());
    } catch (error) {
      throw upstreamError(`The agent runtime could not be reached: ${(error as Error).message}`);
    }
  }

  /** A call that must succeed; any other answer is an upstream failure (502). */
  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const res = await this.call(method, path, body);
    if (res.status >= 300) throw failed(method, path, res);
    return res.json;
  }

  /** GET of one resource; undefined when the Agent Server does not know it. */
  async find(path: string): Promise<any> {
    const res = await this.call("GET", path);
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw failed("GET", path, res);
    return res.json;
  }

  /** Pages through a search endpoint (limit 1000 per page) and returns every match. */
  async searchAll(path: string, body: Record<string, unknown>): Promise<any[]> {
    const out: any[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.ok("POST", path, { ...body, limit: 1000, offset });
      out.push(...page);
      if (page.length < 1000) return out;
    }
  }

  /** Opens a run stream; the caller relays the body and aborts through `signal`. */
  async stream(path: string, body: unknown, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    try {
      return await request(`${this.base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify(body),
        signal,
        dispatcher: this.dispatcher,
      });
    } catch (error) {
      throw upstreamError(`The agent runtime could not be reached: ${(error as Error).message}`);
    }
  }

  /** Drops every connection at once, in-flight calls included (the emulator is stopping). */
  close(): Promise<void> {
    return this.dispatcher.destroy();
  }
}

export function failed(method: string, path: string, res: UpstreamReply) {
  return upstreamError(`The agent runtime answered ${res.status} to ${method} ${path.split("?")[0]}: ${res.text.slice(0, 200)}`);
}

export function toReply(status: number, text: string): UpstreamReply {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, text, json };
}

/** The text of a JS Agent Server validation error (a Zod issue list), as one line. */
export function upstreamIssues(res: UpstreamReply): string {
  const issues: { path?: unknown[]; message?: string }[] = res.json?.error?.issues ?? [];
  if (!issues.length) return res.text.slice(0, 200);
  return issues.map((i) => `${(i.path ?? []).join(".") || "body"}: ${i.message ?? "invalid"}`).join("; ");
}
