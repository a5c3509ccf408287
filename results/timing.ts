/**
 * Where a run's time went: each unit's wall time and the part of it spent waiting on the target (a request
 * or stream of the suite's open), summed per phase, with the slowest units named. A unit that mostly waits
 * is bound by the target; one that does not is the suite's own cost.
 */
import { targetWaitMs } from "../core/target-time.ts";

export type TimedPhase = "contract" | "streams";

export interface UnitTiming {
  /** The unit's title, or what the time was spent on (e.g. a worker's fixtures). */
  unit: string;
  phase: TimedPhase;
  ms: number;
  targetMs: number;
}

export interface TimeReport {
  /** Per phase: units timed, their summed time, and the part of it spent waiting on the target. */
  phases: { name: TimedPhase; units: number; ms: number; targetMs: number }[];
  /** The units that took longest, slowest first. */
  slowest: UnitTiming[];
  /** Every unit's time (and each worker's fixtures), slowest first; absent in summaries written before it existed. */
  units?: UnitTiming[];
  /** Of all unit time, the share spent waiting on the target (0 to 1). */
  targetShare: number;
}

const SLOWEST = 15;

export function timeReport(timings: UnitTiming[]): TimeReport {
  const phases = (["contract", "streams"] as const).flatMap((name) => {
    const mine = timings.filter((t) => t.phase === name);
    return mine.length ? [{ name, units: mine.length, ms: sum(mine, "ms"), targetMs: sum(mine, "targetMs") }] : [];
  });
  const total = sum(timings, "ms");
  const units = [...timings].sort((a, b) => b.ms - a.ms);
  return {
    phases,
    slowest: units.slice(0, SLOWEST),
    units,
    targetShare: total > 0 ? Math.round((sum(timings, "targetMs") / total) * 1000) / 1000 : 0,
  };
}

const sum = (xs: UnitTiming[], key: "ms" | "targetMs") => Math.round(xs.reduce((a, x) => a + x[key], 0));

/** Starts timing a unit of this process; the returned function reads its time so far. */
export function stopwatch(): (unit: string, phase: TimedPhase) => UnitTiming {
  const startedAt = performance.now();
  const waitedAtStart = targetWaitMs();
  return (unit, phase) => ({ unit, phase, ms: Math.round(performance.now() - startedAt), targetMs: Math.round(targetWaitMs() - waitedAtStart) });
}

/** The time reports of shards of one run as one: phases summed, the slowest of all, the share re-weighed. */
export function mergeTimeReports(reports: (TimeReport | undefined)[]): TimeReport {
  const present = reports.filter((r) => r !== undefined);
  const phases = (["contract", "streams"] as const).flatMap((name) => {
    const same = present.flatMap((r) => r.phases.filter((p) => p.name === name));
    return same.length ? [{ name, units: same.reduce((a, p) => a + p.units, 0), ms: same.reduce((a, p) => a + p.ms, 0), targetMs: same.reduce((a, p) => a + p.targetMs, 0) }] : [];
  });
  const ms = phases.reduce((a, p) => a + p.ms, 0);
  return {
    phases,
    slowest: present.flatMap((r) => r.slowest).sort((a, b) => b.ms - a.ms).slice(0, SLOWEST),
    ...(present.some((r) => r.units) ? { units: present.flatMap((r) => r.units ?? []).sort((a, b) => b.ms - a.ms) } : {}),
    targetShare: ms > 0 ? Math.round((phases.reduce((a, p) => a + p.targetMs, 0) / ms) * 1000) / 1000 : 0,
  };
}
