/**
 * Schemathesis, the peer of the benchmark: installed pinned (requirements.txt beside this file) into its
 * own project-local virtual environment, `.venv-peers/`, apart from the Python reference's, and run on one
 * document against one target with a wall-time cap. It lives only here: nothing of the product uses it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readSync } from "node:fs";
import { dirname, join, resolve as absolute } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { fileURLToPath } from "node:url";
import { harEntries, schemathesisFindings, schemathesisInternalErrors, unfinishedPhase, type PeerFinding } from "./findings.ts";
import { readDocument } from "./scope.ts";
import { ensureVenv, VenvError } from "../../../reference/python/venv.ts";

const here = dirname(fileURLToPath(import.meta.url));
const VENV = join(here, "..", "..", "..", ".venv-peers");
const REQUIREMENTS = join(here, "requirements.txt");

/** The pinned version (from requirements.txt). */
export const schemathesisVersion = () => /^schemathesis==(\S+)/m.exec(readFileSync(REQUIREMENTS, "utf8"))?.[1] ?? "unknown";

export class PeerSetupError extends Error {}

/** Builds `.venv-peers/` when it is missing or requirements.txt changed; returns the `schemathesis` executable. */
export async function ensureSchemathesis(log: (line: string) => void): Promise<string> {
  const exe = join(VENV, "bin", "schemathesis");
  try {
    await ensureVenv({ dir: VENV, requirements: REQUIREMENTS, what: "Schemathesis", expects: exe }, log);
  } catch (error) {
    throw error instanceof VenvError ? new PeerSetupError(error.message) : error;
  }
  return exe;
}

export interface SchemathesisRun {
  document: string;
  baseUrl: string;
  apiKey: string;
  maxExamples: number;
  workers: number;
  seed: number;
  /** Wall-time cap: SIGINT, then SIGKILL a few seconds later. */
  capMs: number;
  /** The stateful phase's own cap, from its start (it is the phase that stalls, and the last). */
  statefulCapMs: number;
  /** Where its reports and console output go. */
  dir: string;
}

export interface SchemathesisResult {
  wallMs: number;
  requests: number;
  exit: number | null;
  /** Stopped at the wall-time cap. */
  capped: boolean;
  /** The phase it was in when it was stopped (those after it did not run). */
  cappedIn?: string;
  findings: PeerFinding[];
  /** Its own internal errors: test cases it could not finish, not findings. */
  internalErrors: number;
  /** Why nothing could be read (a crash before its first event). */
  error?: string;
}

export const PHASES = "examples,coverage,fuzzing,stateful";

/**
 * After the interrupt at a cap, what it gets before it is killed. Its stateful phase stalls now and then
 * on the Agent Server: a step creates a run through `POST …/runs/wait` with a large `after_seconds` (the
 * document sets no bound), and the server waits for that run, which starts days later or never, writing a
 * keep-alive newline every second, so the read never meets its timeout and the interrupt waits for it.
 * Nothing is lost by not waiting: its findings are read from the event log it writes as it goes.
 */
const GRACE_MS = 5000;

/** Tells `onStart` of each phase the event log says has started, reading the log as it grows. */
function watchPhases(file: string, onStart: (phase: string) => void): () => void {
  const decoder = new StringDecoder("utf8");
  const buffer = Buffer.alloc(64 * 1024);
  let offset = 0;
  let pending = "";
  const timer = setInterval(() => {
    if (!existsSync(file)) return;
    const fd = openSync(file, "r");
    try {
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, offset)) > 0; offset += n) pending += decoder.write(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{"PhaseStarted"')) continue;
      const name = (JSON.parse(line) as { PhaseStarted: { phase?: { name?: string } } }).PhaseStarted.phase?.name;
      if (name) onStart(name);
    }
  }, 1000);
  return () => clearInterval(timer);
}

export function schemathesisArgs(o: SchemathesisRun): string[] {
  return [
    "run", o.document, "--url", o.baseUrl, "-H", `X-Api-Key: ${o.apiKey}`,
    "--phases", PHASES, "--checks", "all", "--max-examples", String(o.maxExamples), "--seed", String(o.seed),
    "--workers", String(o.workers),
    // Above the documents' longest documented wait (a 25 s long poll), so it is not a network error.
    "--request-timeout", "30",
    // No example database: each run starts from its seed alone, never from failures an earlier run (on
    // another target, with another fault) stored.
    "--generation-database", "none",
    "--report", "ndjson,har", "--report-ndjson-path", join(o.dir, "events.ndjson"), "--report-har-path", join(o.dir, "exchanges.har"),
    "--no-color",
  ];
}

export async function runSchemathesis(exe: string, o: SchemathesisRun): Promise<SchemathesisResult> {
  mkdirSync(o.dir, { recursive: true });
  const out = openSync(join(o.dir, "console.txt"), "w");
  const started = performance.now();
  let capped = false;
  const exit = await new Promise<number | null>((resolve) => {
    // Run from its own folder: it records every failing case for `st replay` under ./.schemathesis/, which
    // belongs with the run's reports, not in the project.
    const child = spawn(exe, schemathesisArgs({ ...o, document: absolute(o.document), dir: absolute(o.dir) }), { cwd: o.dir, stdio: ["ignore", out, out] });
    const timers: NodeJS.Timeout[] = [];
    const interrupt = () => {
      if (capped) return;
      capped = true;
      child.kill("SIGINT");
      timers.push(setTimeout(() => child.kill("SIGKILL"), GRACE_MS));
    };
    timers.push(setTimeout(interrupt, o.capMs));
    const unwatch = watchPhases(join(o.dir, "events.ndjson"), (phase) => {
      if (phase === "stateful") timers.push(setTimeout(interrupt, o.statefulCapMs));
    });
    child.on("error", () => resolve(null));
    child.on("exit", (code) => {
      unwatch();
      timers.forEach(clearTimeout);
      resolve(code);
    });
  });
  closeSync(out);
  const wallMs = Math.round(performance.now() - started);
  const read = (name: string) => (existsSync(join(o.dir, name)) ? readFileSync(join(o.dir, name), "utf8") : "");
  const log = read("events.ndjson");
  const requests = harEntries(read("exchanges.har") || "{}");
  const stopped = { wallMs, requests, exit, capped, ...(capped ? { cappedIn: unfinishedPhase(log) } : {}) };
  if (!log.trim()) {
    const tail = read("console.txt").trim().split("\n").at(-1)?.trim() ?? "";
    return { ...stopped, findings: [], internalErrors: 0, error: `no event log; its last line: ${tail}` };
  }
  return { ...stopped, findings: schemathesisFindings(log, readDocument(o.document).operations), internalErrors: schemathesisInternalErrors(log) };
}
