/**
 * OAuth authorization sessions, simulated: a new session is PENDING until its verification URL (a page of
 * the reference itself) is visited, which completes it with a token. Tokens are remembered per provider and
 * scopes so that strategy REUSE can answer at once.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Route } from "./server.ts";
import { authSessionNotFound } from "./errors.ts";
import { CreateAuthSessionRequest } from "./schemas.ts";
import { int, parseBody, queryParam } from "./validate.ts";

type Status = "PENDING" | "COMPLETED";

interface Session {
  id: string;
  provider_id: string;
  scopes: string[];
  status: Status;
  token?: string;
}

export class AuthSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly waiters = new Map<string, Set<() => void>>();

  create(provider_id: string, scopes: string[]): Session {
    const s: Session = { id: randomUUID(), provider_id, scopes, status: "PENDING" };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** A completed token of this provider covering every requested scope. */
  reusable(provider_id: string, scopes: string[]): Session | undefined {
    return [...this.sessions.values()].find((s) => s.status === "COMPLETED" && s.provider_id === provider_id && scopes.every((x) => s.scopes.includes(x)));
  }

  complete(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.status === "PENDING") {
      s.status = "COMPLETED";
      s.token = `mda_tok_${randomBytes(16).toString("hex")}`;
      this.wake(id);
    }
    return s;
  }

  /** Resolves when the session leaves PENDING or after `ms`, whichever comes first. */
  wait(id: string, ms: number): Promise<void> {
    if (this.sessions.get(id)?.status !== "PENDING") return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  /** Releases every long-poll (at shutdown). */
  close(): void {
    for (const id of this.waiters.keys()) this.wake(id);
  }

  private wake(id: string) {
    for (const done of [...(this.waiters.get(id) ?? [])]) done();
    this.waiters.delete(id);
  }
}

export function authSessionRoutes(ctx: { sessions: AuthSessions; lenient: boolean; publicUrl(): string }): Route[] {
  return [
    {
      method: "POST",
      path: "/auth-sessions",
      async handler(call) {
        const body = parseBody(call.body, CreateAuthSessionRequest, { lenient: ctx.lenient });
        const scopes: string[] = body.scopes;
        const reused = body.strategy === "REUSE" ? ctx.sessions.reusable(body.provider_id, scopes) : undefined;
        // A reused token needs no session: 200 without an id.
        if (reused) return { status: 200, body: { provider_id: body.provider_id, status: "COMPLETED", token: reused.token } };
        const s = ctx.sessions.create(body.provider_id, scopes);
        const verification_url = `${ctx.publicUrl()}/__reference/auth-sessions/${s.id}/verify`;
        return { status: 201, body: { id: s.id, provider_id: s.provider_id, status: s.status, verification_url } };
      },
    },
    {
      method: "GET",
      path: "/auth-sessions/:session_id",
      async handler(call) {
        const waitSeconds: number = queryParam(call.query, "wait_seconds", int(1, 25)) ?? 1;
        const id = call.params.session_id!;
        if (!ctx.sessions.get(id)) throw authSessionNotFound();
        await ctx.sessions.wait(id, waitSeconds * 1000);
        return { status: 200, body: { id, status: ctx.sessions.get(id)!.status } };
      },
    },
    {
      method: "GET",
      path: "/__reference/auth-sessions/:session_id/verify",
      open: true,
      async handler(call) {
        const s = ctx.sessions.complete(call.params.session_id!);
        if (!s) return { status: 404, text: "Unknown authorization session." };
        return { status: 200, text: `Authorization for ${s.provider_id} is complete. You can close this page.` };
      },
    },
  ];
}
