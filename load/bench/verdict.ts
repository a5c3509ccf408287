/**
 * Time to verdict, as a user meets it: `npm start` (the default run: smoke profile, every phase, the
 * embedded JS reference) and a full-profile conformance run of both documents, each timed from the
 * command's start to its exit, with the phases' wall times from its summary.json.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Summary } from "../../results/summary.ts";

export interface TimedRun {
  wallMs: number;
  exit: number | null;
  verdict: string;
  requests: number;
  /** Each phase's wall time (contract and streams run together, so they share one). */
  phasesMs: Record<string, number>;
  /** Of the units' summed time, the share spent waiting on the target. */
  targetShare: number | null;
  /** 1-minute load average before and after: a busy machine is said, not hidden. */
  loadAverage: [number, number];
  /** What the run found: a benchmark run that does not pass must say why. */
  openFindings: string[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One `agentwire run` with these arguments, timed; its reports go to a temporary folder removed after. */
export function timedRun(args: string[]): TimedRun {
  const dir = mkdtempSync(join(tmpdir(), "agentwire-bench-"));
  try {
    const before = loadavg()[0]!;
    const started = performance.now();
    const r = spawnSync(process.execPath, ["bin/agentwire.mjs", "run", ...args, "--out", dir], { stdio: ["ignore", "ignore", "inherit"] });
    const wallMs = Math.round(performance.now() - started);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Summary;
    return {
      wallMs,
      exit: r.status,
      verdict: summary.verdict,
      requests: summary.operations.reduce((n, o) => n + o.requests, 0),
      phasesMs: Object.fromEntries(summary.phases.filter((p) => p.ran).map((p) => [p.name, p.durationMs])),
      targetShare: summary.time?.targetShare ?? null,
      loadAverage: [before, loadavg()[0]!],
      openFindings: summary.findings.filter((f) => !f.waived).map((f) => `${f.spec} ${f.operationId} ${f.check}: ${f.message}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TimedRuns {
  args: string[];
  runs: TimedRun[];
  median: { wallMs: number; requests: number; reqPerS: number };
}

/** The same run `repeats` times, with medians. */
export function timedRuns(what: string, args: string[], repeats: number, log: (line: string) => void): TimedRuns {
  const runs: TimedRun[] = [];
  for (let i = 0; i < repeats; i++) {
    const r = timedRun(args);
    runs.push(r);
    const phases = Object.entries(r.phasesMs).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(", ");
    log(`  ${what} ${i + 1}: ${(r.wallMs / 1000).toFixed(1)} s (${phases}), ${r.requests} requests, ${r.verdict}, exit ${r.exit}, load average ${r.loadAverage.map((l) => l.toFixed(1)).join(" → ")}${r.openFindings.length ? `, ${r.openFindings.length} open findings (in bench.json)` : ""}`);
  }
  return {
    args,
    runs,
    median: { wallMs: median(runs.map((r) => r.wallMs)), requests: median(runs.map((r) => r.requests)), reqPerS: median(runs.map((r) => Math.round((r.requests / r.wallMs) * 1000))) },
  };
}
