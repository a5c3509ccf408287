/**
 * k6 script: streamed runs on the Agent Server or the Managed API, timed with the same definitions as the
 * Node driver (load/metrics): send → headers, first event, first token event (streams/grammar/tokens.ts decides, the same
 * module the driver uses), every inter-token gap, TPOT, E2E. Thread creation is untimed setup.
 *
 * Settings come from the environment (k6 run -e NAME=value):
 *   BASE_URL (required; loopback only unless its host is in ALLOW_HOSTS), API=agent-server|managed,
 *   ASSISTANT_ID (Agent Server, default "agent"), AGENT_ID + API_KEY (Managed), MODE=messages-tuple|messages,
 *   TOKENS / DELAY_MS / FIRST_TOKEN_DELAY_MS (the scripted model's knobs),
 *   EXECUTOR=closed (VUS, ITERATIONS, MAX_DURATION) | open (RATE per second, DURATION, MAX_VUS),
 *   SUMMARY_FILE (also write the JSON summary there).
 * Every scenario is bounded: closed = iterations and max duration, open = duration.
 */
import http from "k6/http";
import { Counter, Trend } from "k6/metrics";
import type { Options, Scenario } from "k6/options";
import sse from "k6/x/sse";
import { tokenClassifier, type TokenMode } from "../../../streams/grammar/tokens.ts";

const env = (name: string, fallback: string): string => __ENV[name] || fallback;
const num = (name: string, fallback: number): number => {
  const v = Number(env(name, String(fallback)));
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
};

const BASE_URL = env("BASE_URL", "").replace(/\/+$/, "");
const API = env("API", "agent-server");
const MODE = env("MODE", "messages-tuple") as TokenMode;
const API_KEY = env("API_KEY", "");

function checkTarget(): void {
  const m = /^https?:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(BASE_URL);
  if (!m || !m[1]) throw new Error("BASE_URL must be an http(s) URL");
  const host = m[1].replace(/^\[|\]$/g, "").toLowerCase();
  const allowed = ["127.0.0.1", "localhost", "::1", ...env("ALLOW_HOSTS", "").split(",").filter(Boolean)];
  if (!allowed.includes(host)) throw new Error(`refusing to send load to ${host}: only loopback unless listed in ALLOW_HOSTS`);
  if (API !== "agent-server" && API !== "managed") throw new Error("API must be agent-server or managed");
  if (MODE !== "messages-tuple" && MODE !== "messages") throw new Error("MODE must be messages-tuple or messages");
}
checkTarget();

function scenario(): Scenario {
  if (env("EXECUTOR", "closed") === "open") {
    return { executor: "constant-arrival-rate", rate: num("RATE", 10), timeUnit: "1s", duration: env("DURATION", "10s"), preAllocatedVUs: num("MAX_VUS", 50), maxVUs: num("MAX_VUS", 50) };
  }
  return { executor: "shared-iterations", vus: num("VUS", 2), iterations: num("ITERATIONS", 10), maxDuration: env("MAX_DURATION", "60s") };
}

export const options: Options = {
  scenarios: { streams: scenario() },
  summaryTrendStats: ["min", "med", "avg", "p(90)", "p(95)", "p(99)", "p(99.9)", "max", "count"],
};

const trend = (name: string) => new Trend(name, true);
const metrics = {
  timeToHeaders: trend("agentwire_time_to_headers"),
  timeToFirstEvent: trend("agentwire_time_to_first_event"),
  ttft: trend("agentwire_ttft"),
  itl: trend("agentwire_itl"),
  tpot: trend("agentwire_tpot"),
  e2e: trend("agentwire_e2e"),
  ok: new Counter("agentwire_runs_ok"),
  tokens: new Counter("agentwire_tokens"),
};
const ERROR_KINDS = ["setup", "connect", "http", "error-event", "stream-broken"] as const;
type ErrorKind = (typeof ERROR_KINDS)[number];
const errors = Object.fromEntries(ERROR_KINDS.map((k) => [k, new Counter(`agentwire_errors_${k.replace("-", "_")}`)])) as Record<ErrorKind, Counter>;

// The extension's monotonic µs clock; Date.now() (ms) on a k6 built with the upstream xk6-sse instead.
const now: () => number = sse.now ?? (() => Date.now());

const authHeaders = (): Record<string, string> => (API === "managed" ? { "x-api-key": API_KEY } : {});

function configurable(): Record<string, number> {
  const c: Record<string, number> = {};
  if (__ENV.TOKENS) c.fake_tokens = num("TOKENS", 0);
  if (__ENV.DELAY_MS) c.fake_delay_ms = num("DELAY_MS", 0);
  if (__ENV.FIRST_TOKEN_DELAY_MS) c.fake_first_token_delay_ms = num("FIRST_TOKEN_DELAY_MS", 0);
  return c;
}

function createThread(): string | undefined {
  const body = API === "managed" ? { agent_id: env("AGENT_ID", "") } : {};
  const res = http.post(`${BASE_URL}/threads`, JSON.stringify(body), { headers: { ...authHeaders(), "content-type": "application/json" }, tags: { name: "create thread" } });
  if (res.status < 200 || res.status > 299) return undefined;
  const json = res.json() as { thread_id?: string; id?: string } | null;
  return json?.thread_id ?? json?.id;
}

function runBody(): string {
  const body: Record<string, unknown> = {
    input: { messages: [{ role: "user", content: env("MESSAGE", "hello") }] },
    stream_mode: [MODE],
  };
  if (API === "managed") body.agent_id = env("AGENT_ID", "");
  else body.assistant_id = env("ASSISTANT_ID", "agent");
  const c = configurable();
  if (Object.keys(c).length) body.config = { configurable: c };
  return JSON.stringify(body);
}

export default function (): void {
  const threadId = createThread();
  if (!threadId) {
    errors.setup.add(1);
    return;
  }
  const isToken = tokenClassifier(MODE);
  let headersAt: number | undefined;
  let firstEventAt: number | undefined;
  let firstTokenAt: number | undefined;
  let lastTokenAt: number | undefined;
  let tokens = 0;
  let failure: ErrorKind | undefined;
  const sentAt = now();
  const res = sse.open(
    `${BASE_URL}/threads/${threadId}/runs/stream`,
    { method: "POST", headers: { ...authHeaders(), "content-type": "application/json", accept: "text/event-stream" }, body: runBody() },
    (client) => {
      client.on("open", () => {
        headersAt = now();
      });
      client.on("event", (e) => {
        const at = now();
        if (firstEventAt === undefined) firstEventAt = at;
        if (e.name === "error" || e.name.indexOf("error|") === 0) failure = failure ?? "error-event";
        if (!isToken({ event: e.name, data: e.data })) return;
        if (lastTokenAt === undefined) firstTokenAt = at;
        else metrics.itl.add(at - lastTokenAt);
        lastTokenAt = at;
        tokens++;
      });
      client.on("error", () => {
        failure = failure ?? (headersAt === undefined ? "connect" : "stream-broken");
      });
    },
  );
  const endAt = now();
  if (res.status >= 300 || (res.status > 0 && res.status < 200)) failure = "http";
  else if (res.status === 0) failure = failure ?? "connect";
  if (failure) {
    errors[failure].add(1);
    return;
  }
  metrics.ok.add(1);
  metrics.tokens.add(tokens);
  if (headersAt !== undefined) metrics.timeToHeaders.add(headersAt - sentAt);
  if (firstEventAt !== undefined) metrics.timeToFirstEvent.add(firstEventAt - sentAt);
  if (firstTokenAt !== undefined) metrics.ttft.add(firstTokenAt - sentAt);
  if (tokens >= 2 && firstTokenAt !== undefined && lastTokenAt !== undefined) metrics.tpot.add((lastTokenAt - firstTokenAt) / (tokens - 1));
  metrics.e2e.add(endAt - sentAt);
}

interface SummaryMetric {
  type: string;
  values: Record<string, number>;
}

/** A JSON summary with the same metric names as the Node driver's (values in ms; counts exact). */
export function handleSummary(data: { metrics: Record<string, SummaryMetric>; state?: { testRunDurationMs?: number } }): Record<string, string> {
  const trendOf = (name: string) => {
    const v = data.metrics[`agentwire_${name}`]?.values ?? {};
    return { count: v.count ?? 0, min: v.min ?? 0, mean: v.avg ?? 0, p50: v.med ?? 0, p90: v["p(90)"] ?? 0, p95: v["p(95)"] ?? 0, p99: v["p(99)"] ?? 0, p999: v["p(99.9)"] ?? 0, max: v.max ?? 0 };
  };
  const count = (name: string) => data.metrics[name]?.values.count ?? 0;
  const errorCounts: Record<string, number> = {};
  for (const k of ERROR_KINDS) {
    const n = count(`agentwire_errors_${k.replace("-", "_")}`);
    if (n) errorCounts[k] = n;
  }
  const windowS = (data.state?.testRunDurationMs ?? 0) / 1000;
  const ok = count("agentwire_runs_ok");
  const tokens = count("agentwire_tokens");
  const summary = {
    tool: "k6",
    clock: sse.now ? "k6/x/sse now() (monotonic, µs)" : "Date.now() (ms)",
    window_s: windowS,
    runs: { ok, failed: Object.values(errorCounts).reduce((a, b) => a + b, 0) },
    errors: errorCounts,
    output_tokens: tokens,
    output_tokens_per_s: windowS > 0 ? tokens / windowS : 0,
    runs_per_s: windowS > 0 ? ok / windowS : 0,
    latency_ms: {
      time_to_headers: trendOf("time_to_headers"),
      time_to_first_event: trendOf("time_to_first_event"),
      ttft: trendOf("ttft"),
      itl: trendOf("itl"),
      tpot: trendOf("tpot"),
      e2e: trendOf("e2e"),
    },
  };
  const json = JSON.stringify(summary, null, 2);
  const out: Record<string, string> = { stdout: `${json}\n` };
  if (__ENV.SUMMARY_FILE) out[__ENV.SUMMARY_FILE] = json;
  return out;
}
