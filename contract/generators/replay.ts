/**
 * Reproducible property runs: every run has a printed integer seed, and a failure is reported with the
 * fast-check path of its shrunk counterexample, so "seed:path" replays exactly that input.
 */
import fc from "fast-check";

export interface PropertyFailure {
  seed: number;
  path: string;
  counterexample: unknown;
  /** Runs made before the failure was found. */
  numRuns: number;
  /** The predicate's error message (or "returned false"). */
  error: string;
  /** "seed:path", for --seed or a Finding's `seed`. */
  replay: string;
}

export type PropertyOutcome = { ok: true; seed: number; numRuns: number } | { ok: false; seed: number; numRuns: number; failure: PropertyFailure };

export interface PropertyOptions {
  /** Integer seed; a fresh one is drawn when absent. */
  seed?: number;
  numRuns?: number;
  /** A "seed" or "seed:path" string from an earlier failure; overrides `seed`. */
  replay?: string;
  /** Shrink the counterexample (default true). Without it, the first failing input is reported. */
  shrink?: boolean;
  /** A path of `seed` where a failure was found (with shrink: false): start there and shrink it. */
  from?: string;
  /** Stop generating and shrinking after this long; a failure found by then is still reported. */
  timeLimitMs?: number;
}

/** A user-facing problem with a seed or replay string; the message is one line. */
export class ReplayError extends Error {
  override name = "ReplayError";
}

/** A fresh seed: a non-negative 31-bit integer, easy to print and pass back. */
const newSeed = (): number => Math.floor(Math.random() * 0x7fffffff);

export const formatReplay = (seed: number, path?: string): string => (path ? `${seed}:${path}` : String(seed));

/** Parses "1234" or "1234:44:0:1". */
export function parseReplay(text: string): { seed: number; path?: string } {
  const m = /^\s*(-?\d+)(?::(\d+(?::\d+)*))?\s*$/.exec(text);
  if (!m) throw new ReplayError(`invalid seed "${text}": expected an integer, optionally followed by a path like 1234:44:0:1`);
  const seed = Number(m[1]);
  if (!Number.isSafeInteger(seed) || Math.abs(seed) > 0x7fffffff) throw new ReplayError(`invalid seed "${text}": the seed must be a 32-bit integer`);
  return { seed, ...(m[2] ? { path: m[2] } : {}) };
}

/** Runs `predicate` on generated values; it fails by throwing or returning false. */
export async function runProperty<T>(
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => boolean | void | Promise<boolean | void>,
  options: PropertyOptions = {},
): Promise<PropertyOutcome> {
  const replay = options.replay === undefined ? undefined : parseReplay(options.replay);
  const seed = replay?.seed ?? options.seed ?? newSeed();
  const property = fc.asyncProperty(arbitrary, async (value) => (await predicate(value)) !== false);
  const details = await fc.check(property, {
    seed,
    numRuns: options.numRuns ?? 100,
    ...(options.timeLimitMs ? { interruptAfterTimeLimit: options.timeLimitMs } : {}),
    ...(replay?.path ? { path: replay.path, endOnFailure: true } : options.from ? { path: options.from } : options.shrink === false ? { endOnFailure: true } : {}),
  });
  if (!details.failed || details.counterexample === null || details.counterexamplePath === null) {
    if (details.failed) throw new ReplayError(`property could not run: ${details.interrupted ? "interrupted" : "too many skipped inputs"}`);
    return { ok: true, seed, numRuns: details.numRuns };
  }
  // A replay of seed:path reports the same path back, so it can be printed again as is.
  const path = replay?.path ?? details.counterexamplePath;
  return {
    ok: false,
    seed,
    numRuns: details.numRuns,
    failure: {
      seed,
      path,
      counterexample: details.counterexample[0],
      numRuns: details.numRuns,
      error: errorText(details.errorInstance),
      replay: formatReplay(seed, path),
    },
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0]!;
  return error === undefined || error === null ? "returned false" : String(error);
}
