/**
 * Every bound the suite puts on a target, in one table: how long a request, a stream or a cleanup may take,
 * and how much a response may send. A target that reaches a bound gets a finding or a "not judged", never
 * a pass and never unbounded memory. The project's tests shorten them with AGENTWIRE_LIMITS
 * ("streamDeadlineMs=3000,streamIdleMs=1000"); every process of a run reads the same variable.
 */

export const DEFAULT_LIMITS = {
  /** One request, from send to the end of its body. */
  requestTimeoutMs: 30_000,
  /** A request that prepares a unit (creates an agent, a thread, waits for a run). */
  setupTimeoutMs: 60_000,
  /** The first request of a run, which tells whether the target answers at all. */
  probeTimeoutMs: 10_000,
  /** A non-stream response body. */
  maxBodyBytes: 8 * 1024 * 1024,
  /** A whole event stream, from send. */
  streamDeadlineMs: 60_000,
  /** A stream with no byte for this long has stalled. */
  streamIdleMs: 30_000,
  maxEvents: 100_000,
  /** One line of an event stream (an endless line is cut here, not buffered). */
  maxLineBytes: 1024 * 1024,
  /** One event: all its lines together. */
  maxEventBytes: 4 * 1024 * 1024,
  /** Everything one stream may send. */
  maxStreamBytes: 64 * 1024 * 1024,
  /** All of one process's deletes of what it created, together (each delete has requestTimeoutMs too). */
  cleanupBudgetMs: 20_000,
  /** After this many requests in a row without a usable answer, the suite stops sending to that target. */
  breakerThreshold: 5,
  /** A request answered 429 Too Many Requests is sent again at most this many times, as Retry-After says. */
  rateLimitRetries: 3,
  /** A Retry-After longer than this is not waited for: the 429 stands. */
  rateLimitMaxWaitMs: 30_000,
  /** All of one process's waits for rate limits, together: a target that always answers 429 cannot stall a run. */
  rateLimitBudgetMs: 120_000,
};

export type Limits = typeof DEFAULT_LIMITS;

export const LIMITS_ENV = "AGENTWIRE_LIMITS";

/** The defaults with the overrides of AGENTWIRE_LIMITS; a malformed override is an Error naming it. */
export function parseLimits(text: string | undefined): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const item of (text ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [key, value] = item.split("=");
    if (!key || !Object.hasOwn(DEFAULT_LIMITS, key)) throw new Error(`${LIMITS_ENV}: unknown bound "${key}" (known: ${Object.keys(DEFAULT_LIMITS).join(", ")})`);
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${LIMITS_ENV}: ${key} must be a positive integer, got "${value}"`);
    limits[key as keyof Limits] = n;
  }
  return limits;
}

let current: Limits | undefined;

/** The bounds of this process (read once). */
export function limits(): Limits {
  current ??= parseLimits(process.env[LIMITS_ENV]);
  return current;
}
