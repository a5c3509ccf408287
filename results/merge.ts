/**
 * Merges the summaries of one run split with --shard into the summary of the whole run. Shards must share
 * the schema version, seed, profile and documents; an operation one shard skipped takes the verdict of the
 * shard that ran it.
 */
import { verdictOf, type Gate, type OperationResult, type StreamResult, type Summary } from "./summary.ts";
import { mergeTimeReports } from "./timing.ts";

export class MergeError extends Error {}

const OPERATION_RANK: OperationResult["verdict"][] = ["skipped", "passed", "waived", "not-judged", "not-implemented", "failed"];
const STREAM_RANK: StreamResult["verdict"][] = ["skipped", "passed", "waived", "failed"];
const worst = <T>(rank: T[], a: T, b: T) => (rank.indexOf(b) > rank.indexOf(a) ? b : a);

export function mergeSummaries(parts: Summary[]): Summary {
  if (parts.length === 0) throw new MergeError("nothing to merge");
  const first = parts[0]!;
  for (const [i, p] of parts.entries()) {
    const where = `summary ${i + 1}`;
    if (p.schemaVersion !== first.schemaVersion) throw new MergeError(`${where} has schemaVersion ${p.schemaVersion}, the first has ${first.schemaVersion}`);
    if (p.seed !== first.seed || p.profile !== first.profile) throw new MergeError(`${where} ran seed ${p.seed} profile ${p.profile}, the first seed ${first.seed} profile ${first.profile}: shards of one run share both`);
    const ops = (s: Summary) => s.operations.map((o) => `${o.spec} ${o.operationId}`).sort().join("\n");
    if (ops(p) !== ops(first)) throw new MergeError(`${where} covers other operations than the first: shards of one run test the same documents`);
  }

  const operations = first.operations.map((op) => {
    const same = parts.map((p) => p.operations.find((o) => o.spec === op.spec && o.operationId === op.operationId)!);
    return { ...op, requests: same.reduce((n, o) => n + o.requests, 0), verdict: same.map((o) => o.verdict).reduce((a, b) => worst(OPERATION_RANK, a, b)) };
  });

  const streams = new Map<string, StreamResult>();
  for (const s of parts.flatMap((p) => p.streams)) {
    const key = `${s.spec} ${s.operationId} ${s.streamMode} ${s.check}`;
    const seen = streams.get(key);
    streams.set(key, seen ? { ...seen, verdict: worst(STREAM_RANK, seen.verdict, s.verdict) } : s);
  }

  const findings = parts.flatMap((p) => p.findings);
  const notJudged = parts.flatMap((p) => p.notJudged ?? []);
  // Each shard that ran the load phase gated it; the merged run keeps every gate, named by its shard.
  const gates: Gate[] = parts.flatMap((p, i) => p.gates.map((g) => (parts.length > 1 ? { ...g, name: `${g.name} (shard ${i + 1})` } : g)));
  const phases = first.phases.map((ph) => {
    const same = parts.map((p) => p.phases.find((x) => x.name === ph.name)).filter((x) => x !== undefined);
    const notes = [...new Set(same.map((x) => x.note).filter(Boolean))];
    return { name: ph.name, ran: same.some((x) => x.ran), durationMs: Math.max(...same.map((x) => x.durationMs)), ...(notes.length ? { note: notes.join("; ") } : {}) };
  });
  const started = Math.min(...parts.map((p) => Date.parse(p.startedAt)));
  const ended = Math.max(...parts.map((p) => Date.parse(p.startedAt) + p.durationMs));
  const merged: Omit<Summary, "verdict"> = {
    ...first,
    interrupted: parts.some((p) => p.interrupted),
    startedAt: new Date(started).toISOString(),
    durationMs: ended - started,
    phases,
    operations,
    findings,
    streams: [...streams.values()],
    notJudged,
    ...(parts.some((p) => p.units) ? { units: parts.flatMap((p) => p.units ?? []) } : {}),
    ...(parts.find((p) => p.unusable) ? { unusable: parts.find((p) => p.unusable)!.unusable } : {}),
    leftovers: parts.flatMap((p) => p.leftovers ?? []),
    load: parts.find((p) => p.load)?.load ?? null,
    gates,
    // Expired in any shard; stale only when no shard used it.
    waivers: {
      expired: [...new Map(parts.flatMap((p) => p.waivers?.expired ?? []).map((w) => [w.id, w])).values()],
      stale: (first.waivers?.stale ?? []).filter((w) => parts.every((p) => p.waivers?.stale.some((x) => x.id === w.id))),
    },
    time: mergeTimeReports(parts.map((p) => p.time)),
  };
  return { ...merged, verdict: verdictOf(merged) };
}
