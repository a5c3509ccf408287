/**
 * Splits one k6 test over several k6 processes with --execution-segment (each runs its share of VUs and
 * iterations) and merges the results exactly: counts are summed, and latencies are rebuilt from each
 * process's raw points (--out json) into HDR histograms, since percentiles of parts cannot be combined.
 */
import { spawn } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { LatencyHistogram, type LatencySummary } from "../metrics/histogram.ts";

const LATENCY_METRICS = ["time_to_headers", "time_to_first_event", "ttft", "itl", "tpot", "e2e"] as const;

export interface K6Summary {
  tool: "k6";
  window_s: number;
  runs: { ok: number; failed: number };
  errors: Record<string, number>;
  output_tokens: number;
  latency_ms: Record<string, LatencySummary>;
}

export interface SegmentedOptions {
  k6: string;
  script: string;
  /** -e NAME=value pairs for every process. */
  env: Record<string, string>;
  /** Number of processes (segments of equal size). */
  segments: number;
  /** Kill the processes after this long (default 10 min). */
  timeoutMs?: number;
}

export interface SegmentedResult {
  /** The --execution-segment value of each process. */
  segmentArgs: string[];
  /** Each process's own summary (its percentiles are its own). */
  parts: K6Summary[];
  runs: { ok: number; failed: number };
  errors: Record<string, number>;
  output_tokens: number;
  /** Merged from every process's raw points. */
  latency_ms: Record<string, LatencySummary>;
}

/** "0:1/2", "1/2:1" for two; the same sequence for n. */
export function segmentBounds(n: number): string[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`segments must be a positive integer, got ${n}`);
  const at = (i: number) => (i === 0 ? "0" : i === n ? "1" : `${i}/${n}`);
  return Array.from({ length: n }, (_, i) => `${at(i)}:${at(i + 1)}`);
}

export async function runK6Segmented(o: SegmentedOptions): Promise<SegmentedResult> {
  const bounds = segmentBounds(o.segments);
  const sequence = Array.from({ length: o.segments + 1 }, (_, i) => (i === 0 ? "0" : i === o.segments ? "1" : `${i}/${o.segments}`)).join(",");
  const dir = mkdtempSync(join(tmpdir(), "agentwire-k6-"));
  try {
    const parts = await Promise.all(
      bounds.map((segment, i) => {
        const points = join(dir, `points-${i}.json`);
        const summary = join(dir, `summary-${i}.json`);
        const env = Object.entries({ ...o.env, SUMMARY_FILE: summary }).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
        const args = ["run", "-q", "--no-usage-report", "--execution-segment", segment, "--execution-segment-sequence", sequence, "--out", `json=${points}`, ...env, o.script];
        return runK6(o.k6, args, o.timeoutMs ?? 600_000).then(async () => ({
          summary: JSON.parse(readFileSync(summary, "utf8")) as K6Summary,
          histograms: await readPoints(points),
        }));
      }),
    );
    const merged = Object.fromEntries(LATENCY_METRICS.map((m) => [m, LatencyHistogram.create()]));
    const errors: Record<string, number> = {};
    for (const p of parts) {
      for (const m of LATENCY_METRICS) merged[m]!.merge(p.histograms[m]!);
      for (const [k, n] of Object.entries(p.summary.errors)) errors[k] = (errors[k] ?? 0) + n;
    }
    const sum = (f: (s: K6Summary) => number) => parts.reduce((a, p) => a + f(p.summary), 0);
    return {
      segmentArgs: bounds,
      parts: parts.map((p) => p.summary),
      runs: { ok: sum((s) => s.runs.ok), failed: sum((s) => s.runs.failed) },
      errors,
      output_tokens: sum((s) => s.output_tokens),
      latency_ms: Object.fromEntries(LATENCY_METRICS.map((m) => [m, merged[m]!.summary()])),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runK6(k6: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(k6, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`could not start k6 (${k6}): ${e.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`k6 ${args.join(" ").slice(0, 120)}… exited with ${signal ?? code}: ${stderr.trim().split("\n").at(-1) ?? ""}`));
    });
  });
}

/** Reads k6's newline-delimited JSON output, keeping only agentwire trend points, into histograms. */
async function readPoints(file: string): Promise<Record<string, LatencyHistogram>> {
  const h = Object.fromEntries(LATENCY_METRICS.map((m) => [m, LatencyHistogram.create()]));
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes('"Point"') || !line.includes('"agentwire_')) continue;
    const p = JSON.parse(line) as { type: string; metric: string; data: { value: number } };
    const name = p.metric.replace(/^agentwire_/, "");
    if (p.type === "Point" && name in h) h[name]!.recordMs(p.data.value);
  }
  return h;
}
