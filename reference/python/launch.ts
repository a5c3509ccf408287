/**
 * Starts the Python Agent Server (PyPI `langgraph-api`, the implementation hosted deployments run) in
 * memory on a free port of 127.0.0.1, serving reference/python/graphs from a fresh temporary folder.
 * Its packages live in a project-local virtual environment that ensurePythonEnv() builds on first use.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "../../core/poll.ts";
import type { Upstream } from "../upstream/launch.ts";
import { alive, ensureExtra, ensureVenv } from "./venv.ts";

export type { Upstream };

export interface PythonUpstreamOptions {
  /** Runs the server executes at once (`--n-jobs-per-worker`); without it, runs queue one at a time. */
  workers?: number;
  /** Give up when /ok does not answer within this many milliseconds (after the install). */
  readyTimeoutMs?: number;
  /** Progress lines (installing, starting). */
  log?: (line: string) => void;
}

const here = dirname(fileURLToPath(import.meta.url));
const VENV = join(here, "..", "..", ".venv-reference");
const REQUIREMENTS = join(here, "requirements.txt");

/** Builds `.venv-reference/` when it is missing or requirements.txt changed; returns its `langgraph` executable. */
export async function ensurePythonEnv(log: (line: string) => void = () => {}): Promise<string> {
  const langgraph = join(VENV, "bin", "langgraph");
  await ensureVenv({ dir: VENV, requirements: REQUIREMENTS, what: "the Python reference", expects: langgraph }, log);
  return langgraph;
}

/**
 * The reference environment plus the published Managed API client (client-requirements.txt), which only
 * the project's own tests use; returns the environment's python.
 */
export async function ensurePythonClient(log: (line: string) => void = () => {}): Promise<string> {
  await ensurePythonEnv(log);
  await ensureExtra(VENV, join(here, "client-requirements.txt"), "the Managed API's Python client", log);
  return join(VENV, "bin", "python");
}

export async function startPythonUpstream(options: PythonUpstreamOptions = {}): Promise<Upstream> {
  const log = options.log ?? (() => {});
  const langgraph = await ensurePythonEnv(log);
  // `langgraph dev` quietly moves to another port when the one asked for is taken: try again then.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    log(`Starting the Python Agent Server on 127.0.0.1:${port}`);
    const server = await launch(langgraph, port, options);
    if (server !== "port-taken") return server;
    if (attempt === 3) throw new Error("the Python Agent Server could not get a free port in 3 attempts");
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function launch(langgraph: string, port: number, options: PythonUpstreamOptions): Promise<Upstream | "port-taken"> {
  const cwd = mkdtempSync(join(tmpdir(), "agentwire-python-"));
  cpSync(join(here, "graphs"), join(cwd, "graphs"), { recursive: true, filter: (src) => basename(src) !== "__pycache__" });
  cpSync(join(here, "langgraph.json"), join(cwd, "langgraph.json"));
  const args = ["dev", "--config", "langgraph.json", "--no-browser", "--host", "127.0.0.1", "--port", String(port), "--no-reload"];
  args.push("--n-jobs-per-worker", String(options.workers ?? 10));
  // The watchdog leads a process group of its own; it stops the server when our pipe to it closes.
  const child = spawn(join(dirname(langgraph), "python"), [join(here, "watchdog.py"), langgraph, ...args], {
    cwd,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: serverEnv(),
  });
  let output = "";
  const exited = new Promise<void>((r) => {
    child.once("exit", () => r());
    child.once("error", (error) => {
      output += `\n${error.message}`;
      r();
    });
  });
  const stop = () => stopGroup(child, exited, cwd);
  // Read to the end, or a full pipe would block the server's logging.
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const lastLine = () => output.replace(/\x1b\[[0-9;]*m/g, "").trim().split("\n").at(-1) ?? "";
  try {
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
      const announced = /API: http:\/\/127\.0\.0\.1:(\d+)\s/.exec(plain)?.[1];
      if ((announced && announced !== String(port)) || /address already in use/.test(plain)) {
        await stop();
        return "port-taken";
      }
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) throw new Error(`the Python Agent Server exited before it was ready: ${lastLine()}`);
      if (announced && (await answersOk(url))) return { url, pid: child.pid!, stop };
      if (Date.now() > deadline) throw new Error(`the Python Agent Server at ${url} did not answer GET /ok within ${timeoutMs} ms: ${lastLine()}`);
      await sleep(50);
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Offline: no tracing, analytics, version check or license beacon; keys of real deployments stay out.
    LANGSMITH_TRACING: "false",
    LANGCHAIN_TRACING_V2: "false",
    LANGSMITH_API_KEY: "",
    LANGCHAIN_API_KEY: "",
    LANGGRAPH_CLOUD_LICENSE_KEY: "",
    LANGSMITH_CONTROL_PLANE_API_KEY: "",
    LANGGRAPH_CLI_NO_ANALYTICS: "1",
    LANGGRAPH_NO_VERSION_CHECK: "true",
    LOG_LEVEL: "WARNING",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
  };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  return env;
}

async function answersOk(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/ok`)).ok;
  } catch {
    return false; // not listening yet
  }
}

async function stopGroup(child: ChildProcess, exited: Promise<void>, cwd: string): Promise<void> {
  if (child.pid !== undefined) {
    const group = -child.pid;
    signalGroup(group, "SIGTERM");
    const timer = setTimeout(() => signalGroup(group, "SIGKILL"), 5000);
    await exited;
    // The watchdog waits for the server, so the group empties right after it; bounded in case of zombies.
    for (const deadline = Date.now() + 10_000; alive(group) && Date.now() < deadline; ) await sleep(50);
    clearTimeout(timer);
  }
  child.stdin?.destroy();
  rmSync(cwd, { recursive: true, force: true });
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(group, signal);
  } catch {
    // already gone
  }
}
