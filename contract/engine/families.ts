/**
 * The per-operation check families: valid input must be accepted, invalid input rejected, requests without
 * or with a wrong key refused, unknown ids answered 404. Inputs come from fast-check with a seed derived
 * from the run's; a failure is shrunk to a minimal input and reported with its replay "seed:path".
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { FAKE_CREDENTIAL_PREFIX } from "../../core/reproducer.ts";
import { invalidRequestArbitrary, requestArbitrary } from "../generators/requests.ts";
import { runProperty } from "../generators/replay.ts";
import type { Operation } from "../model/types.ts";
import { derivedSeed, exchange, IN_FLIGHT, type EngineContext } from "./context.ts";
import { hasCoverage, runCoverage } from "./coverage.ts";
import { FAMILIES, type Family } from "./family.ts";
import { answeredLikeUnknownPath, saysNotImplemented, type Fingerprint } from "./implemented.ts";
import { attempt, minimalValid, prepare, type Attempt } from "./prepare.ts";

/** Distinct failures are looked for in up to this many property runs (each stops at its first new failure). */
const MAX_ROUNDS = 3;
/** Bounds generation plus shrinking of one property run. */
const TIME_LIMIT_MS = 60_000;
/** Requests one property run may spend on shrinking a failure (each shrink step is a request to the target). */
const SHRINK_BUDGET = 40;

const idParams = (op: Operation) => op.parameters.filter((p) => p.in === "path" && /(^|_)id$/.test(p.name));

/** The families that apply to an operation (auth only where the document asks for a key, …). */
export function familiesFor(op: Operation): Family[] {
  return FAMILIES.filter((f) =>
    f === "auth" ? op.security.apiKeyHeader !== undefined && !op.security.optional : f === "unknown-ids" ? idParams(op).length > 0 : f === "coverage" ? hasCoverage(op) : true,
  );
}

/**
 * Runs `arb` through `act` as a property: the property fails on a violation of a check not reported yet,
 * fast-check shrinks it (unless every new violation is waived), and the minimal failing request is recorded
 * with its replay seed. Then it looks again (a new derived seed) for failures of other checks. The first
 * inputs are sent a few at a time before the property asks for them.
 */
async function explore<T>(ctx: EngineContext, op: Operation, family: Family, arb: fc.Arbitrary<T>, act: (value: T) => Promise<Attempt>, options: { onAttempt?: (a: Attempt) => void } = {}) {
  const reported = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const seed = derivedSeed(ctx.seed, ctx.spec, op.operationId, family, String(round));
    const ahead = sentAhead(fc.sample(arb, { seed, numRuns: ctx.examples }), act);
    let failing: Attempt | undefined;
    let failingValue: string | undefined;
    let calls = 0;
    const property = async (value: T) => {
      // Past the budget every candidate counts as passing, which ends shrinking at the smallest failure so far.
      if (failing && ++calls > SHRINK_BUDGET) return true;
      // Shrinking starts by trying the failure found again: its answer is the one already had.
      const key = failing && failingValue !== undefined ? JSON.stringify(value) : undefined;
      const a = key !== undefined && key === failingValue ? failing! : await (ahead.take(value) ?? act(value));
      options.onAttempt?.(a);
      if (!a.violations.some((v) => !reported.has(v.check))) return true;
      failing = a;
      failingValue = JSON.stringify(value);
      return false;
    };
    // Found first, then shrunk from where it was found (fast-check gives the same path as in one go), unless
    // every new violation is waived: shrinking a known deviation costs requests, and generating each shrink
    // candidate costs the suite's CPU, for nothing.
    const found = await runProperty(arb, property, { seed, numRuns: ctx.examples, timeLimitMs: TIME_LIMIT_MS, shrink: false });
    const known = failing !== undefined && failing.violations.filter((v) => !reported.has(v.check)).every((v) => ctx.waived({ ...v, spec: ctx.spec, operationId: op.operationId }));
    const outcome = found.ok || known ? found : await runProperty(arb, property, { seed, from: found.failure.path, timeLimitMs: TIME_LIMIT_MS });
    // What was sent ahead and not looked at (the property stopped at a failure) is waited for, never left in flight.
    await ahead.drain();
    if (outcome.ok || !failing) return;
    const fresh = failing.violations.filter((v) => !reported.has(v.check));
    const where = { spec: ctx.spec, operationId: op.operationId, unit: { family, round } };
    ctx.rec.violations(where, fresh, failing.req, { replay: { seed: outcome.failure.seed, path: outcome.failure.path }, status: failing.x.response.status });
    for (const v of fresh) reported.add(v.check);
  }
}

/**
 * The inputs a property run will try first (fast-check draws the same values from the same seed), sent
 * IN_FLIGHT at a time while the property reads their answers in order: the target, not the suite, is what a
 * unit waits on. A value the property asks for that was not sent ahead (a shrink candidate) is sent then.
 */
export function sentAhead<T>(values: T[], act: (value: T) => Promise<Attempt>) {
  const pending = new Map<string, Promise<Attempt>[]>();
  const all: Promise<unknown>[] = [];
  let next = 0;
  let stopped = false;
  const queued = values.map((value) => {
    let start!: () => void;
    const answer = new Promise<void>((resolve) => (start = resolve)).then(() => act(value));
    all.push(answer.catch(() => undefined));
    const key = JSON.stringify(value);
    pending.set(key, [...(pending.get(key) ?? []), answer]);
    return start;
  });
  const worker = async () => {
    while (!stopped && next < queued.length) {
      const i = next++;
      queued[i]!();
      await all[i];
    }
  };
  const workers = Array.from({ length: Math.min(IN_FLIGHT, queued.length) }, worker);
  return {
    take(value: T): Promise<Attempt> | undefined {
      const list = pending.get(JSON.stringify(value));
      return list?.shift();
    },
    async drain() {
      stopped = true;
      await Promise.all(workers);
      // Values never started are never sent.
    },
  };
}

/**
 * The document's own request-body examples, each sent once as valid input (ids swapped for the run's real
 * ones). An example that contradicts its schema is the spec lint's business, not the target's, so it is skipped.
 */
async function documentedExamples(ctx: EngineContext, op: Operation) {
  for (const entry of op.requestBody?.content ?? []) {
    if (!entry.schema || !/json/i.test(entry.mediaType)) continue;
    for (const ex of entry.examples) {
      if (!ctx.model.validator.matches(entry.schema, ex.value)) continue;
      const g = { ...minimalValid(ctx, op, "positive", "example", ex.name), body: { mediaType: entry.mediaType, value: ex.value } };
      const a = await attempt(ctx, op, g, { kind: "valid" }, false);
      ctx.rec.violations({ spec: ctx.spec, operationId: op.operationId, unit: { family: "positive" } }, a.violations, a.req, { replay: { example: ex.name }, status: a.x.response.status });
    }
  }
}

/** operation_implemented, decided from the answers of the positive family (see ./implemented.ts). */
function judgeImplemented(ctx: EngineContext, op: Operation, answers: Attempt[], unrouted: Fingerprint) {
  const where = { spec: ctx.spec, operationId: op.operationId, unit: { family: "positive" } };
  const sample = answers[0];
  if (!sample) return;
  const report = (why: string) => {
    ctx.rec.notImplemented(where);
    ctx.rec.violations(where, [{ check: "operation_implemented", message: `every valid request got ${sample.x.response.status}, ${why}: the operation is not implemented` }], sample.req, { status: sample.x.response.status });
  };
  if (answers.every((a) => saysNotImplemented(a.x))) return report("which says it is not implemented");
  if (!answers.every((a) => answeredLikeUnknownPath(a.x, unrouted))) return;
  if (ctx.fixtures.addresses(op)) return report("the target's answer to a path it does not have");
  ctx.rec.skip({ unit: `${ctx.spec} › ${op.operationId} › operation_implemented`, spec: ctx.spec, operationId: op.operationId, reason: "every request named a made-up id (the suite has no such resource to address), and a missing resource reads like a missing route here", cause: "not-applicable" });
}

/** Runs one family on one operation, recording into ctx.rec; returns why it was not run, if it was not. */
export async function runFamily(ctx: EngineContext, op: Operation, family: Family, unrouted: Fingerprint): Promise<string | undefined> {
  const where = { spec: ctx.spec, operationId: op.operationId, unit: { family } };
  // Even a request that should be refused is not sent where a broken server could start a paid run with it.
  const skip = ctx.fixtures.skip(op, family);
  if (skip) return skip;
  switch (family) {
    case "positive": {
      await documentedExamples(ctx, op);
      const answers: Attempt[] = [];
      const arb = requestArbitrary(op, ctx.model.validator, { fixed: ctx.fixtures.fixed(op) });
      await explore(ctx, op, family, arb, (g) => attempt(ctx, op, g, { kind: "valid" }, false), { onAttempt: (a) => answers.push(a) });
      judgeImplemented(ctx, op, answers, unrouted);
      return undefined;
    }
    case "negative": {
      const arb = invalidRequestArbitrary(op, ctx.model.validator, { fixed: ctx.fixtures.fixed(op) });
      if (!arb) return "the document allows any input to this operation";
      // Invalid input goes ahead like valid input: a join of an ended run the JS server answers after its own
      // 500 ms (100 of them took 51 s one at a time, 14 s ahead); cancels likewise (34 s, 12.5 s ahead).
      await explore(ctx, op, family, arb, (g) => attempt(ctx, op, g, { kind: "invalid", what: g.mutation.description }, true));
      return undefined;
    }
    case "coverage":
      return runCoverage(ctx, op);
    case "auth": {
      const header = op.security.apiKeyHeader!.toLowerCase();
      const gen = minimalValid(ctx, op, family);
      for (const [intent, key] of [[{ kind: "no-auth" }, undefined], [{ kind: "bad-auth" }, `${FAKE_CREDENTIAL_PREFIX}${randomUUID()}`]] as const) {
        const prepared = await prepare(ctx, op, gen, false);
        const { [header]: _key, ...rest } = prepared.headers;
        const req = { ...prepared, headers: key === undefined ? rest : { ...rest, [header]: key } };
        const { x, violations } = await exchange(ctx, op.operationId, req, intent);
        ctx.rec.violations(where, violations, req, { status: x.response.status });
      }
      return undefined;
    }
    case "unknown-ids": {
      for (const p of idParams(op)) {
        const req = await prepare(ctx, op, minimalValid(ctx, op, family, p.name), false, { [p.name]: randomUUID() });
        const { x, violations } = await exchange(ctx, op.operationId, req, { kind: "unknown-id", parameter: p.name });
        ctx.rec.violations(where, violations, req, { status: x.response.status });
      }
      return undefined;
    }
  }
}
