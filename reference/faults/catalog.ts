/**
 * The named faults of the reference target. Each breaks exactly one documented rule, so that every check of
 * the suite can be shown to fail on a target that breaks its rule (and to pass on the healthy reference).
 * Most live in the front proxy as rewrites of real traffic; a few need an emulator option.
 */
import { randomUUID } from "node:crypto";
import type { BufferedResponse, EventOutput, Fault, FaultHooks, ProxiedRequest, ProxyEvent } from "./types.ts";
import { sleep } from "../../core/poll.ts";

const M = "/v1/deepagents";
const ID = "[^/]+";
const on = (method: string, pattern: string) => {
  const re = new RegExp(`^${pattern}$`);
  return (r: ProxiedRequest) => r.method === method && re.test(r.path);
};
const any =
  (...tests: ((r: ProxiedRequest) => boolean)[]) =>
  (r: ProxiedRequest) =>
    tests.some((t) => t(r));

const STREAMS = any(
  on("POST", `${M}/threads/${ID}/runs/stream`),
  on("POST", `/threads/${ID}/runs/stream`),
  on("POST", "/runs/stream"),
  on("GET", `/threads/${ID}/runs/${ID}/stream`),
  on("GET", `/runs/${ID}/stream`),
);
const GET_RUN = on("GET", `/threads/${ID}/runs/${ID}`);
const AGENT_RESPONSES = any(
  on("GET", `${M}/agents/${ID}`),
  on("POST", `${M}/agents`),
  on("PATCH", `${M}/agents/${ID}`),
  on("POST", `${M}/agents/${ID}/clone`),
);

const readJson = (b: Buffer): any => {
  try {
    return JSON.parse(b.toString("utf8"));
  } catch {
    return undefined;
  }
};
const jsonResponse = (status: number, value: unknown, headers: Record<string, string> = {}): BufferedResponse => ({
  status,
  headers: { ...headers, "content-type": "application/json" },
  body: Buffer.from(JSON.stringify(value)),
});
const errorBody = (status: number, code: string, detail: string) => ({ type: `https://docs.langchain.com/errors/${code}`, code, detail, status });
const mapJson = (res: BufferedResponse, f: (v: any) => unknown): BufferedResponse => {
  const v = readJson(res.body);
  return v === undefined ? res : { ...res, body: Buffer.from(JSON.stringify(f(v))) };
};
const pass = (events: ProxyEvent[]): EventOutput => ({ events });

/** Rewrites complete lines of a byte stream (lines may arrive split across chunks). */
function lineRewriter(rewrite: (line: string) => string): FaultHooks["stream"] {
  return () => {
    let pending = "";
    const flush = (text: string) => [Buffer.from(text.split("\n").map(rewrite).join("\n"))];
    return {
      kind: "bytes",
      chunk(b) {
        const text = pending + b.toString("utf8");
        const cut = text.lastIndexOf("\n") + 1;
        pending = text.slice(cut);
        return cut ? flush(text.slice(0, cut)) : [];
      },
      end: () => (pending ? flush(pending) : []),
    };
  };
}

export const FAULTS: Fault[] = [
  // ── Managed Deep Agents API: status codes, bodies, auth ─────────────────────────────────────────────
  {
    name: "server-error",
    apis: ["managed"],
    rule: "A valid request never gets a 5xx (GET /agents answers 500).",
    caughtBy: ["not_a_server_error"],
    hooks: () => ({ match: on("GET", `${M}/agents`), request: () => jsonResponse(500, errorBody(500, "internal_error", "injected server error")) }),
  },
  {
    name: "undocumented-status",
    apis: ["managed"],
    rule: "Status codes are the documented ones (POST /agents answers 200 where 201 is documented).",
    caughtBy: ["status_code_documented"],
    hooks: () => ({ match: on("POST", `${M}/agents`), response: (res) => (res.status === 201 ? { ...res, status: 200 } : res) }),
  },
  {
    name: "wrong-content-type",
    apis: ["managed"],
    rule: "Responses carry the documented media type (GET /agents/{agent_id} says text/plain for JSON).",
    caughtBy: ["content_type_documented"],
    hooks: () => ({ match: on("GET", `${M}/agents/${ID}`), response: (res) => ({ ...res, headers: { ...res.headers, "content-type": "text/plain; charset=utf-8" } }) }),
  },
  {
    name: "wrong-field-type",
    apis: ["managed"],
    rule: "Agent.created_at is a date-time string (sent as epoch milliseconds).",
    caughtBy: ["response_schema"],
    hooks: () => ({
      match: AGENT_RESPONSES,
      response: (res) => (res.status < 300 ? mapJson(res, (a) => ({ ...a, created_at: Date.parse(a.created_at) })) : res),
    }),
  },
  {
    name: "error-body-shape",
    apis: ["managed"],
    rule: "Error bodies are ErrorResponse {type, code, detail, status: integer} (status sent as text).",
    caughtBy: ["response_schema"],
    hooks: () => ({
      match: (r) => r.path.startsWith(`${M}/`),
      response: (res) => (res.status >= 400 && res.status !== 401 && res.status !== 403 ? mapJson(res, (e) => ({ ...e, status: `${e.status} error` })) : res),
    }),
  },
  {
    name: "auth-not-enforced",
    apis: ["managed"],
    rule: "Every operation requires X-Api-Key (requests without it are served).",
    caughtBy: ["auth_enforced"],
    hooks: (ctx) => ({
      match: (r) => r.path.startsWith(`${M}/`),
      request: (r) => (r.headers["x-api-key"] ? r : { ...r, headers: { ...r.headers, "x-api-key": ctx.apiKey } }),
    }),
  },
  {
    name: "wrong-auth-error",
    apis: ["managed"],
    rule: 'An unknown key gets 403 {"error":"Forbidden"} (answered 401 Unauthorized instead).',
    caughtBy: ["auth_enforced"],
    hooks: (ctx) => ({
      match: (r) => r.path.startsWith(`${M}/`),
      request: (r) => (r.headers["x-api-key"] && r.headers["x-api-key"] !== ctx.apiKey ? jsonResponse(401, { error: "Unauthorized" }) : r),
    }),
  },
  {
    name: "accepts-invalid-input",
    apis: ["managed"],
    rule: "Bodies with missing required fields or wrong types are rejected with 400 (accepted instead).",
    caughtBy: ["negative_data_rejected"],
    emulator: { lenientValidation: true },
  },
  {
    name: "threads-accept-missing-agent-id",
    apis: ["managed"],
    rule: "POST /threads requires a body with agent_id (one without either is answered 201, bound to the last agent seen).",
    caughtBy: ["negative_data_rejected"],
    hooks: () => {
      let lastAgent: string | undefined;
      return {
        match: any(on("POST", `${M}/threads`), on("POST", `${M}/agents`)),
        request: (r) => {
          if (r.path !== `${M}/threads`) return r;
          const body = r.body.length ? readJson(r.body) : {};
          if (typeof body?.agent_id === "string") lastAgent = body.agent_id;
          // Only a body left out, or an object without agent_id: anything else is still judged by the emulator.
          if (!lastAgent || typeof body !== "object" || body === null || Array.isArray(body) || "agent_id" in body) return r;
          return { ...r, headers: { ...r.headers, "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ ...body, agent_id: lastAgent })) };
        },
        response: (res, req) => {
          if (req.path === `${M}/agents` && res.status === 201) lastAgent = readJson(res.body)?.id ?? lastAgent;
          return res;
        },
      };
    },
  },
  {
    name: "rejects-valid-input",
    apis: ["managed"],
    rule: "Documented optional fields are accepted (POST /agents rejects `permissions`).",
    caughtBy: ["positive_data_accepted"],
    hooks: () => ({
      match: on("POST", `${M}/agents`),
      request: (r) =>
        readJson(r.body)?.permissions !== undefined ? jsonResponse(400, errorBody(400, "invalid_request_body", "permissions is not supported")) : r,
    }),
  },
  {
    name: "unknown-id-500",
    apis: ["managed"],
    rule: "An unknown agent id gets 404 agent_not_found (answered 500).",
    caughtBy: ["unknown_id_not_found"],
    hooks: () => ({
      match: on("GET", `${M}/agents/${ID}`),
      response: (res) => (res.status === 404 ? jsonResponse(500, errorBody(500, "internal_error", "agent lookup failed")) : res),
    }),
  },
  {
    name: "resurrect-after-delete",
    apis: ["managed"],
    rule: "A deleted agent is gone: GET after DELETE answers 404 (the old agent is served).",
    caughtBy: ["use_after_delete"],
    hooks: () => {
      const seen = new Map<string, BufferedResponse>();
      const deleted = new Set<string>();
      return {
        match: any(on("GET", `${M}/agents/${ID}`), on("DELETE", `${M}/agents/${ID}`)),
        response: (res, req) => {
          if (req.method === "DELETE" && res.status === 204) deleted.add(req.path);
          else if (res.status === 200) seen.set(req.path, res);
          else if (res.status === 404 && deleted.has(req.path) && seen.has(req.path)) return seen.get(req.path)!;
          return res;
        },
      };
    },
  },
  {
    name: "missing-route",
    apis: ["managed"],
    rule: "Every documented operation is implemented (POST /threads/bulk-modify is served as an unknown path).",
    caughtBy: ["operation_implemented"],
    // Sent on to a path the emulator does not serve, so the answer is exactly its answer to any unknown path.
    hooks: () => ({ match: on("POST", `${M}/threads/bulk-modify`), request: (r) => ({ ...r, path: `${M}/__unrouted__` }) }),
  },
  {
    name: "undocumented-method-served",
    apis: ["managed"],
    rule: "Only documented methods are operations (DELETE /agents, which the document does not list, answers 204).",
    caughtBy: ["undocumented_method_refused"],
    hooks: () => ({ match: on("DELETE", `${M}/agents`), request: () => ({ status: 204, headers: {}, body: Buffer.alloc(0) }) }),
  },
  {
    name: "allow-lists-other-path",
    apis: ["managed"],
    rule: "A 405's Allow names the methods of its own path (on /threads/count, /threads/search, /threads/runs and /threads/bulk-modify it also names those of /threads/{thread_id}).",
    caughtBy: ["allow_header_on_405"],
    hooks: () => ({
      match: any(...["count", "search", "runs", "bulk-modify"].flatMap((p) => ["GET", "PUT", "POST", "PATCH", "DELETE"].map((m) => on(m, `${M}/threads/${p}`)))),
      response: (res) => (res.status === 405 ? { ...res, headers: { ...res.headers, allow: [...new Set([...(res.headers.allow ?? "").split(", ").filter(Boolean), "GET", "PATCH", "DELETE"])].join(", ") } } : res),
    }),
  },
  {
    name: "busy-thread-status-swapped",
    apis: ["managed"],
    rule: "A request a busy thread forbids is refused with 409 where the operation documents it, else with a documented 4xx (a second run and its stream answer 409, which they do not document; thread-and-run and resolve-interrupt answer 400, not their documented 409).",
    caughtBy: ["busy_thread_conflict"],
    hooks: () => ({
      match: any(on("POST", `${M}/threads/${ID}/runs`), on("POST", `${M}/threads/${ID}/runs/stream`), on("POST", `${M}/threads/runs`), on("POST", `${M}/threads/${ID}/resolve-interrupt`)),
      response: (res) => {
        const e = readJson(res.body);
        const busy = e?.code === "thread_busy" || e?.code === "thread_not_interrupted";
        if (!busy || (res.status !== 400 && res.status !== 409)) return res;
        const status = res.status === 400 ? 409 : 400;
        return jsonResponse(status, { ...e, status });
      },
    }),
  },
  {
    name: "thread-unknown-agent-404",
    apis: ["managed"],
    rule: "Creating a thread documents no 404: a thread for an agent that does not exist is refused with a documented status (answered 404 agent_not_found).",
    caughtBy: ["status_code_documented"],
    hooks: () => ({
      match: on("POST", `${M}/threads`),
      response: (res) => (res.status === 400 && readJson(res.body)?.code === "agent_not_found" ? mapJson({ ...res, status: 404 }, (e) => ({ ...e, status: 404 })) : res),
    }),
  },
  {
    name: "bulk-echoes-bad-ids",
    apis: ["managed"],
    rule: "A bulk-update result's id is a UUID (an entry that is none is echoed as the result's id).",
    caughtBy: ["response_schema"],
    hooks: () => ({
      match: on("POST", `${M}/threads/bulk-modify`),
      response: (res, req) => {
        const ids: unknown = readJson(req.body)?.thread_ids;
        if (res.status !== 200 || !Array.isArray(ids)) return res;
        return mapJson(res, (v) => ({ ...v, results: (v.results ?? []).map((r: Record<string, unknown>, i: number) => ({ id: ids[i], ...r })) }));
      },
    }),
  },
  {
    name: "echo-secrets",
    apis: ["managed"],
    rule: "Stored MCP server header values are never returned in clear (they are echoed).",
    caughtBy: ["secret_headers_not_echoed"],
    hooks: () => {
      const clear = new Map<string, string>();
      return {
        match: (r) => r.path.startsWith(`${M}/mcp-servers`),
        request: (r) => {
          for (const h of readJson(r.body)?.headers ?? []) if (h?.key && typeof h.value === "string") clear.set(h.key, h.value);
          return r;
        },
        response: (res) => {
          const reveal = (s: any) => (s && Array.isArray(s.headers) ? { ...s, headers: s.headers.map((h: any) => ({ ...h, value: clear.get(h.key) ?? h.value })) } : s);
          return res.status < 300 ? mapJson(res, (v) => (Array.isArray(v) ? v.map(reveal) : reveal(v))) : res;
        },
      };
    },
  },
  {
    name: "oauth-provider-for-headers",
    apis: ["managed"],
    rule: "A per-user OAuth provider is only for servers in per-user dynamic client mode (one is registered for a static-header server).",
    caughtBy: ["oauth_provider_per_user_only"],
    hooks: () => ({
      match: on("POST", `${M}/mcp-servers/${ID}/oauth-provider`),
      response: (res) => (res.status === 400 ? jsonResponse(200, { oauth_provider_id: randomUUID() }) : res),
    }),
  },
  {
    name: "attention-count-off",
    apis: ["managed"],
    rule: "attention_count counts the threads needing the user, as requires_attention lists them (it answers one more).",
    caughtBy: ["count_matches_list"],
    hooks: () => ({
      match: on("GET", `${M}/threads/count`),
      response: (res) => (res.status === 200 ? mapJson(res, (c) => ({ ...c, attention_count: Number(c?.attention_count) + 1 })) : res),
    }),
  },
  {
    name: "auth-session-stuck",
    apis: ["managed"],
    rule: "An auth session becomes COMPLETED once its verification URL is visited (it stays PENDING).",
    caughtBy: ["auth_session_completes"],
    hooks: () => ({
      match: on("GET", `/__reference/auth-sessions/${ID}/verify`),
      request: () => ({ status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: Buffer.from("verified") }),
    }),
  },
  {
    name: "accepts-any-stream-mode",
    apis: ["managed"],
    rule: "The Managed run stream accepts only values, updates and messages-tuple (others are accepted).",
    caughtBy: ["managed_stream_modes_restricted"],
    hooks: () => ({
      match: on("POST", `${M}/threads/${ID}/runs/stream`),
      request: (r) => {
        const body = readJson(r.body);
        if (!Array.isArray(body?.stream_mode)) return r;
        const allowed = body.stream_mode.filter((m: unknown) => m === "values" || m === "updates" || m === "messages-tuple");
        return { ...r, body: Buffer.from(JSON.stringify({ ...body, stream_mode: allowed.length ? allowed : ["values"] })) };
      },
    }),
  },
  {
    name: "accepts-assistant-id",
    apis: ["managed"],
    rule: "The Managed run stream rejects `assistant_id` (it is silently used as agent_id).",
    caughtBy: ["managed_assistant_id_rejected"],
    hooks: () => ({
      match: on("POST", `${M}/threads/${ID}/runs/stream`),
      request: (r) => {
        const body = readJson(r.body);
        if (!body || body.assistant_id === undefined) return r;
        const { assistant_id, ...rest } = body;
        return { ...r, body: Buffer.from(JSON.stringify({ agent_id: assistant_id, ...rest })) };
      },
    }),
  },
  {
    name: "resolve-interrupt-noop",
    apis: ["managed"],
    rule: "resolve-interrupt resumes the interrupted thread (it answers 204 and does nothing).",
    caughtBy: ["managed_resolve_interrupt"],
    hooks: () => ({ match: on("POST", `${M}/threads/${ID}/resolve-interrupt`), request: () => ({ status: 204, headers: {}, body: Buffer.alloc(0) }) }),
  },
  {
    name: "approval-wrong-tool",
    apis: ["managed"],
    rule: "interrupt_config asks approval before exactly the tools it names (a named MCP tool is taken for write_todos, so approval is asked before write_todos instead).",
    caughtBy: ["managed_approval_configured_tools"],
    hooks: () => ({
      match: any(on("POST", `${M}/agents`), on("PATCH", `${M}/agents/${ID}`)),
      request: (r) => {
        const body = readJson(r.body);
        const config = body?.tools?.interrupt_config;
        if (!config || typeof config !== "object" || Array.isArray(config)) return r;
        const swapped = Object.fromEntries(Object.entries(config).map(([k, v]) => (v === true && k.includes("::") ? ["write_todos", true] : [k, v])));
        return { ...r, body: Buffer.from(JSON.stringify({ ...body, tools: { ...body.tools, interrupt_config: swapped } })) };
      },
    }),
  },

  {
    name: "read-after-create-404",
    apis: ["managed"],
    rule: "A created agent can be read at once (the first GET after creation answers 404).",
    caughtBy: ["resource_available_after_create"],
    hooks: () => {
      const fresh = new Set<string>();
      return {
        match: any(on("POST", `${M}/agents`), on("GET", `${M}/agents/${ID}`)),
        response: (res, req) => {
          if (req.method === "POST" && res.status === 201) {
            const id = readJson(res.body)?.id;
            if (typeof id === "string") fresh.add(`${M}/agents/${id}`);
            return res;
          }
          if (req.method === "GET" && fresh.delete(req.path)) return jsonResponse(404, errorBody(404, "agent_not_found", "agent not found"));
          return res;
        },
      };
    },
  },
  {
    name: "list-omits-new",
    apis: ["managed"],
    rule: "Listing agents includes every agent (the newest one is left out).",
    caughtBy: ["listed_after_create"],
    hooks: () => ({
      match: on("GET", `${M}/agents`),
      response: (res) =>
        res.status === 200
          ? mapJson(res, (page) => {
              const items = Array.isArray(page?.items) ? [...page.items] : [];
              const newest = items.reduce((a: any, b: any) => (!a || String(b.created_at) > String(a.created_at) ? b : a), undefined);
              return { ...page, items: items.filter((i: any) => i !== newest) };
            })
          : res,
    }),
  },
  {
    name: "update-not-persisted",
    apis: ["managed"],
    rule: "An agent update is stored (PATCH answers with the old agent and changes nothing).",
    caughtBy: ["update_persisted"],
    hooks: () => ({
      match: on("PATCH", `${M}/agents/${ID}`),
      request: (r) => ({ ...r, method: "GET", body: Buffer.alloc(0) }),
    }),
  },
  {
    name: "clone-after-update-500",
    apis: ["managed"],
    rule: "A valid request never gets a 5xx: cloning an agent that was updated answers 500 (a state only a sequence of calls reaches).",
    caughtBy: ["not_a_server_error"],
    hooks: () => {
      const updated = new Set<string>();
      return {
        match: any(on("PATCH", `${M}/agents/${ID}`), on("POST", `${M}/agents/${ID}/clone`)),
        request: (r) => (r.method === "POST" && updated.has(r.path.replace(/\/clone$/, "")) ? jsonResponse(500, errorBody(500, "internal_error", "unreachable state when cloning an updated agent")) : r),
        response: (res, req) => {
          if (req.method === "PATCH" && res.status === 200) updated.add(req.path);
          return res;
        },
      };
    },
  },
  {
    name: "mcp-tools-empty",
    apis: ["managed"],
    rule: "Listing MCP tools returns the tools the server offers (an empty list is returned).",
    caughtBy: ["mcp_tools_listed"],
    hooks: () => ({ match: on("GET", `${M}/mcp/tools`), response: (res) => (res.status === 200 ? mapJson(res, (v) => ({ ...v, tools: [] })) : res) }),
  },
  {
    name: "reuse-ignored",
    apis: ["managed"],
    rule: "strategy REUSE returns the completed token (a new PENDING session is started instead).",
    caughtBy: ["auth_session_reuse"],
    hooks: () => ({
      match: on("POST", `${M}/auth-sessions`),
      request: (r) => {
        const body = readJson(r.body);
        return body?.strategy === "REUSE" ? { ...r, body: Buffer.from(JSON.stringify({ ...body, strategy: "CREATE" })) } : r;
      },
    }),
  },

  // ── Streams of both APIs ────────────────────────────────────────────────────────────────────────────
  {
    name: "buffered-stream",
    apis: ["managed", "agent-server"],
    rule: "Run streams are delivered as they happen (all events are held back until the run ends).",
    caughtBy: ["delivered_incrementally"],
    hooks: () => ({
      match: STREAMS,
      stream: () => {
        const held: Buffer[] = [];
        return { kind: "bytes", chunk: (b) => (held.push(b), []), end: () => held };
      },
    }),
  },
  {
    name: "wrong-event-name",
    apis: ["managed", "agent-server"],
    rule: "messages-tuple events are named `messages` and updates events `updates` (sent as `messages-tuple`, `update`).",
    caughtBy: ["event_names"],
    hooks: () => ({
      match: STREAMS,
      stream: () => ({
        kind: "events",
        event: (e) => pass([{ ...e, event: e.event === "messages" ? "messages-tuple" : e.event === "updates" ? "update" : e.event }]),
      }),
    }),
  },
  {
    name: "mode-events-renamed",
    apis: ["managed", "agent-server"],
    rule: "Each stream mode's events carry that mode's event name (every one gets a trailing underscore).",
    caughtBy: ["event_names"],
    hooks: () => ({
      match: STREAMS,
      stream: () => ({ kind: "events", event: (e) => pass([e.event === "metadata" || e.event === "error" ? e : { ...e, event: `${e.event}_` }]) }),
    }),
  },
  {
    name: "messages-not-tuple",
    apis: ["managed", "agent-server"],
    rule: "A `messages` event carries [chunk, metadata] (only the chunk is sent).",
    caughtBy: ["event_payloads"],
    hooks: () => ({
      match: STREAMS,
      stream: () => ({
        kind: "events",
        event: (e) => {
          const v = e.event === "messages" ? readJson(Buffer.from(e.data)) : undefined;
          return pass([Array.isArray(v) ? { ...e, data: JSON.stringify(v[0]) } : e]);
        },
      }),
    }),
  },
  {
    name: "slow-reads",
    apis: ["managed", "agent-server"],
    rule: "Reading a thread answers promptly (every GET /threads/{thread_id} is held back 1.5 s), so the JSON endpoints' gate and a response-time limit break.",
    caughtBy: ["load_json_slo", "response_time"],
    hooks: () => ({ match: any(on("GET", `${M}/threads/(?!count$)${ID}`), on("GET", `/threads/${ID}`)), delayMs: 1500 }),
  },
  {
    name: "slow-first-token",
    apis: ["managed", "agent-server"],
    rule: "The first token arrives promptly (it is held back 3 s), so the default TTFT SLO breaks.",
    caughtBy: ["load_ttft_slo"],
    hooks: () => ({
      match: STREAMS,
      stream: () => {
        let first = true;
        return {
          kind: "events",
          event: async (e) => {
            if (first && (e.event === "messages" || e.event.startsWith("messages/partial"))) {
              first = false;
              await sleep(3000);
            }
            return pass([e]);
          },
        };
      },
    }),
  },
  {
    name: "no-metadata-event",
    apis: ["managed", "agent-server"],
    rule: "Every run stream starts with a `metadata` event {run_id, attempt} (it is dropped).",
    caughtBy: ["metadata_first"],
    hooks: () => ({ match: STREAMS, stream: () => ({ kind: "events", event: (e) => pass(e.event === "metadata" ? [] : [e]) }) }),
  },
  {
    name: "broken-framing",
    apis: ["managed", "agent-server"],
    rule: "Event-stream lines are `field: value` (the event field is written without its colon).",
    caughtBy: ["sse_framing"],
    hooks: () => ({ match: STREAMS, stream: lineRewriter((line) => (line.startsWith("event: ") ? `event ${line.slice(7)}` : line)) }),
  },
  {
    name: "stream-content-type",
    apis: ["managed", "agent-server"],
    rule: "Run streams are served as text/event-stream (labelled application/json).",
    caughtBy: ["stream_content_type"],
    hooks: () => ({
      match: STREAMS,
      stream: () => ({ kind: "events", event: (e) => pass([e]), headers: (h) => ({ ...h, "content-type": "application/json" }) }),
    }),
  },
  {
    name: "ids-rewritten",
    apis: ["agent-server"],
    rule: "An event's id identifies it: resuming after it gives the events that followed it (ids are rewritten, counting down).",
    caughtBy: ["resume_after_id_exact"],
    hooks: () => ({
      match: STREAMS,
      stream: () => ({ kind: "events", event: (e) => pass([e.id === undefined ? e : { ...e, id: String(100_000 - Number(e.id)) }]) }),
    }),
  },
  {
    name: "truncated-stream",
    apis: ["managed", "agent-server"],
    rule: "A run stream ends with the run's last event (it is cut after the third event).",
    caughtBy: ["stream_complete"],
    hooks: () => ({
      match: STREAMS,
      stream: () => {
        let n = 0;
        return { kind: "events", event: (e) => ({ events: [e], close: ++n >= 3 }) };
      },
    }),
  },
  {
    name: "endless-stream",
    apis: ["managed", "agent-server"],
    rule: "A run stream closes when the run is over (it stays open, sending keep-alive comments).",
    caughtBy: ["stream_terminates"],
    hooks: () => ({ match: STREAMS, stream: () => ({ kind: "events", event: (e) => pass([e]), holdOpen: true }) }),
  },
  {
    name: "error-event-shape",
    apis: ["managed", "agent-server"],
    rule: "An `error` event carries {error, message} (sent as {detail}).",
    caughtBy: ["event_payloads"],
    hooks: () => ({
      match: STREAMS,
      stream: () => ({
        kind: "events",
        event: (e) => pass([e.event === "error" ? { ...e, data: JSON.stringify({ detail: readJson(Buffer.from(e.data))?.message ?? e.data }) } : e]),
      }),
    }),
  },
  {
    name: "unrequested-mode",
    apis: ["managed", "agent-server"],
    rule: "Only the requested stream modes appear (a `debug` event is added).",
    caughtBy: ["event_names"],
    hooks: () => ({
      match: STREAMS,
      stream: () => ({
        kind: "events",
        event: (e) =>
          pass(e.event === "metadata" ? [e, { event: "debug", data: JSON.stringify({ type: "checkpoint", step: 0, timestamp: new Date().toISOString(), payload: {} }) }] : [e]),
      }),
    }),
  },

  {
    name: "error-event-dropped",
    apis: ["managed", "agent-server"],
    rule: "A run that fails ends its stream with an `error` event (it is dropped).",
    caughtBy: ["error_event"],
    hooks: () => ({ match: STREAMS, stream: () => ({ kind: "events", event: (e) => pass(e.event === "error" ? [] : [e]) }) }),
  },
  {
    name: "ids-dropped",
    apis: ["agent-server"],
    rule: "Events of a resumable run stream carry ids, so a client can resume (they are left out).",
    caughtBy: ["ids_present"],
    hooks: () => ({ match: STREAMS, stream: () => ({ kind: "events", event: ({ id: _id, ...e }) => pass([e]) }) }),
  },

  // ── Agent Server API: runs, threads, resume ─────────────────────────────────────────────────────────
  {
    name: "missing-required-field",
    apis: ["agent-server"],
    rule: "A Run has every required field (run_id is left out of GET /threads/{thread_id}/runs/{run_id}).",
    caughtBy: ["response_schema"],
    hooks: () => ({
      match: GET_RUN,
      response: (res) =>
        res.status === 200
          ? mapJson(res, ({ run_id, ...rest }) => {
              void run_id;
              return rest;
            })
          : res,
    }),
  },
  {
    name: "run-status-out-of-enum",
    apis: ["agent-server"],
    rule: "Run.status is one of its documented values (`success` is reported as `completed`).",
    caughtBy: ["response_schema"],
    hooks: () => ({
      match: any(GET_RUN, on("GET", `/threads/${ID}/runs`)),
      response: (res) => {
        const fix = (r: any) => (r?.status === "success" ? { ...r, status: "completed" } : r);
        return res.status === 200 ? mapJson(res, (v) => (Array.isArray(v) ? v.map(fix) : fix(v))) : res;
      },
    }),
  },
  {
    name: "run-status-regresses",
    apis: ["agent-server"],
    rule: "A run's status only moves forward (a finished run is reported as running again).",
    caughtBy: ["run_status_forward_only"],
    hooks: () => {
      const finished = new Set<string>();
      return {
        match: GET_RUN,
        response: (res, req) =>
          res.status !== 200
            ? res
            : mapJson(res, (r) => {
                if (["success", "error", "interrupted", "timeout"].includes(r.status)) {
                  if (finished.has(req.path)) return { ...r, status: "running" };
                  finished.add(req.path);
                }
                return r;
              }),
      };
    },
  },
  {
    name: "thread-stays-busy",
    apis: ["agent-server"],
    rule: "A thread goes back to idle after its run (it stays busy).",
    caughtBy: ["thread_status_lifecycle", "multitask_load_thread_consistent"],
    hooks: () => ({
      match: on("GET", `/threads/${ID}`),
      response: (res) => (res.status === 200 ? mapJson(res, (t) => (t.status === "idle" && t.values ? { ...t, status: "busy" } : t)) : res),
    }),
  },
  {
    name: "resume-ignored",
    apis: ["agent-server"],
    rule: "A run with command.resume resumes the interrupted thread (the command is dropped, so the graph stops at the same interrupt again).",
    caughtBy: ["resume_after_interrupt"],
    hooks: () => ({
      match: any(on("POST", `/threads/${ID}/runs`), on("POST", `/threads/${ID}/runs/stream`), on("POST", `/threads/${ID}/runs/wait`)),
      request: (r) => {
        const body = readJson(r.body);
        if (body?.command?.resume === undefined) return r;
        const { command: _dropped, ...rest } = body;
        return { ...r, body: Buffer.from(JSON.stringify(rest)) };
      },
    }),
  },
  {
    name: "multitask-swapped",
    apis: ["agent-server"],
    rule: "Each multitask_strategy does what it documents (reject, interrupt and rollback are run as enqueue; enqueue and no strategy as interrupt).",
    caughtBy: ["multitask_default", "multitask_enqueue", "multitask_interrupt", "multitask_reject", "multitask_rollback", "multitask_load_outcome"],
    hooks: () => ({
      match: any(on("POST", `/threads/${ID}/runs`), on("POST", `/threads/${ID}/runs/stream`), on("POST", `/threads/${ID}/runs/wait`)),
      request: (r) => {
        const body = readJson(r.body);
        if (!body) return r;
        const swapped = body.multitask_strategy === undefined || body.multitask_strategy === "enqueue" ? "interrupt" : "enqueue";
        return { ...r, body: Buffer.from(JSON.stringify({ ...body, multitask_strategy: swapped })) };
      },
    }),
  },
  {
    name: "enqueue-drops-run",
    apis: ["agent-server"],
    rule: "Every enqueued run runs (every second enqueued run on a thread is answered with a run that never exists).",
    caughtBy: ["multitask_load_no_lost_runs"],
    hooks: () => {
      const seen = new Map<string, number>();
      return {
        match: on("POST", `/threads/${ID}/runs`),
        request: (r) => {
          const body = readJson(r.body);
          if (body?.multitask_strategy !== "enqueue") return r;
          const threadId = r.path.split("/")[2]!;
          const n = (seen.get(threadId) ?? 0) + 1;
          seen.set(threadId, n);
          if (n % 2 === 1) return r;
          const now = new Date().toISOString();
          return jsonResponse(200, { run_id: randomUUID(), thread_id: threadId, assistant_id: body.assistant_id, status: "pending", created_at: now, updated_at: now, metadata: {}, kwargs: {}, multitask_strategy: "enqueue" });
        },
      };
    },
  },
  {
    name: "run-listed-twice",
    apis: ["agent-server"],
    rule: "A thread's run list holds each run once (its newest run is listed twice).",
    caughtBy: ["multitask_load_no_duplicate_runs"],
    hooks: () => ({
      match: on("GET", `/threads/${ID}/runs`),
      response: (res) => (res.status === 200 ? mapJson(res, (runs) => (Array.isArray(runs) && runs.length ? [runs[0], ...runs] : runs)) : res),
    }),
  },
  {
    name: "runs-overlap",
    apis: ["agent-server"],
    rule: "A thread runs one run at a time (while one runs, its queued runs are listed as running too).",
    caughtBy: ["multitask_load_one_run_at_a_time"],
    hooks: () => ({
      match: on("GET", `/threads/${ID}/runs`),
      response: (res) =>
        res.status === 200
          ? mapJson(res, (runs) => (Array.isArray(runs) && runs.some((r) => r?.status === "running") ? runs.map((r) => (r?.status === "pending" ? { ...r, status: "running" } : r)) : runs))
          : res,
    }),
  },
  {
    name: "cancel-ignored",
    apis: ["agent-server"],
    rule: "Cancelling a run interrupts it (cancel answers 202 and the run goes on).",
    caughtBy: ["cancel_interrupts_run"],
    hooks: () => ({ match: on("POST", `/threads/${ID}/runs/${ID}/cancel`), request: () => ({ status: 202, headers: {}, body: Buffer.alloc(0) }) }),
  },
  {
    name: "on-disconnect-swapped",
    apis: ["agent-server"],
    rule: "on_disconnect decides the run's fate when the client leaves (cancel and continue are swapped).",
    caughtBy: ["on_disconnect_cancel", "on_disconnect_continue"],
    hooks: () => ({
      match: STREAMS,
      request: (r) => {
        const body = readJson(r.body);
        if (!body || (body.on_disconnect !== "cancel" && body.on_disconnect !== "continue")) return r;
        return { ...r, body: Buffer.from(JSON.stringify({ ...body, on_disconnect: body.on_disconnect === "cancel" ? "continue" : "cancel" })) };
      },
    }),
  },
  {
    name: "drop-event-on-resume",
    apis: ["agent-server"],
    rule: "Resuming with Last-Event-ID gives every event after it (the first one is dropped).",
    caughtBy: ["resume_after_id_exact", "resume_replay_equals_original"],
    hooks: () => ({
      match: (r) => STREAMS(r) && r.method === "GET" && r.headers["last-event-id"] !== undefined,
      stream: () => {
        let dropped = false;
        return { kind: "events", event: (e) => pass(dropped ? [e] : ((dropped = true), [])) };
      },
    }),
  },
  {
    name: "wrong-content-location",
    apis: ["agent-server"],
    rule: "Content-Location of a created run is that run's URL (it names a run that does not exist).",
    caughtBy: ["content_location_resolves"],
    hooks: () => {
      const elsewhere = (h: Record<string, string>) =>
        h["content-location"] ? { ...h, "content-location": h["content-location"].replace(/[^/]+$/, randomUUID()) } : h;
      return {
        match: any(on("POST", `/threads/${ID}/runs`), on("POST", `/threads/${ID}/runs/stream`), on("POST", `/threads/${ID}/runs/wait`)),
        response: (res) => ({ ...res, headers: elsewhere(res.headers) }),
        stream: () => ({ kind: "events", event: (e) => pass([e]), headers: elsewhere }),
      };
    },
  },
  {
    name: "page-overlaps",
    apis: ["agent-server"],
    rule: "Paging with limit/offset gives each item once (every page after the first starts one item early).",
    caughtBy: ["pagination_consistent"],
    hooks: () => ({
      match: any(on("POST", "/threads/search"), on("POST", "/assistants/search")),
      request: (r) => {
        const body = readJson(r.body);
        return typeof body?.offset === "number" && body.offset > 0 ? { ...r, body: Buffer.from(JSON.stringify({ ...body, offset: body.offset - 1 })) } : r;
      },
    }),
  },
  {
    name: "count-off-by-one",
    apis: ["agent-server"],
    rule: "A count equals the number of matching items (POST /threads/count answers one more).",
    caughtBy: ["count_matches_list"],
    hooks: () => ({ match: on("POST", "/threads/count"), response: (res) => (res.status === 200 ? mapJson(res, (n) => (typeof n === "number" ? n + 1 : n)) : res) }),
  },
  {
    name: "missing-content-location",
    apis: ["agent-server"],
    rule: "Creating a run answers with a Content-Location header where a document requires one (it is left out; the shipped documents describe it without requiring it).",
    caughtBy: ["response_headers_documented"],
    stricterDocument: "Content-Location marked `required: true` on the run-creating answers",
    hooks: () => ({
      match: any(on("POST", `/threads/${ID}/runs`), on("POST", `/threads/${ID}/runs/stream`), on("POST", `/threads/${ID}/runs/wait`)),
      response: (res) => stripHeader(res, "content-location"),
      stream: () => ({ kind: "events", event: (e) => pass([e]), headers: (h) => withoutKey(h, "content-location") }),
    }),
  },
];

function withoutKey(h: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _dropped, ...rest } = h;
  return rest;
}
const stripHeader = (res: BufferedResponse, key: string): BufferedResponse => ({ ...res, headers: withoutKey(res.headers, key) });

export const FAULT_NAMES = FAULTS.map((f) => f.name);

export function findFault(name: string): Fault | undefined {
  return FAULTS.find((f) => f.name === name);
}
