/** Starts the real Agent Server in a child process on a free port with a fresh working folder. */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "../../core/poll.ts";

export interface Upstream {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface UpstreamOptions {
  /**
   * Concurrent run workers in the server (its CLI default is 10). An idle worker sleeps a random 0–1 s
   * before it looks for a run again, so a new run waits about 1 s ÷ (workers + 1) to be picked up: 40
   * cut the smoke run's conformance phases by 2–4 s of 49 s (measured 2026-12-03); 100 gained nothing more.
   */
  workers?: number;
  /** Give up when /ok does not answer within this many milliseconds. */
  readyTimeoutMs?: number;
  /** Server log level (the server's default, debug, is very chatty). */
  logLevel?: string;
}

const entry = fileURLToPath(new URL("./server.ts", import.meta.url));

export async function startUpstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const cwd = mkdtempSync(join(tmpdir(), "agentwire-upstream-"));
  const child = fork(entry, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    env: {
      ...process.env,
      AGENTWIRE_UPSTREAM_CWD: cwd,
      AGENTWIRE_UPSTREAM_WORKERS: String(options.workers ?? 40),
      LOG_LEVEL: options.logLevel ?? "error",
      LANGSMITH_TRACING: "false",
      LANGCHAIN_TRACING_V2: "false",
      LANGGRAPH_CLI_NO_ANALYTICS: "1",
    },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const stop = () => stopChild(child, cwd);
  try {
    const url = await waitForReady(child, options.readyTimeoutMs ?? 30_000, () => stderr);
    await waitForOk(url, options.readyTimeoutMs ?? 30_000);
    return { url, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForReady(child: ChildProcess, timeoutMs: number, log: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Agent Server did not start within ${timeoutMs} ms`)), timeoutMs);
    child.on("message", (m: { type: string; url?: string; message?: string }) => {
      clearTimeout(timer);
      if (m.type === "ready" && m.url) resolve(m.url);
      else reject(new Error(`Agent Server failed to start: ${m.message ?? "unknown error"}`));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Agent Server exited with code ${code} before it was ready: ${log().trim().split("\n").at(-1) ?? ""}`));
    });
  });
}

async function waitForOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/ok`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`Agent Server at ${url} did not answer GET /ok within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, cwd: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(cwd, { recursive: true, force: true });
}
