/**
 * Starts the Python Agent Server (PyPI `langgraph-api`, the implementation hosted deployments run) in
 * memory on a free port of 127.0.0.1, serving reference/python/graphs from a fresh temporary folder.
 * Its packages live in a project-local virtual environment that ensurePythonEnv() builds on first use.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sleep } from "../../core/poll.ts";
import type { Upstream } from "../upstream/launch.ts";

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
const MARKER = join(VENV, ".requirements.sha256");
const LOCK = `${VENV}.lock`;
const run = promisify(execFile);

/** Builds `.venv-reference/` when it is missing or requirements.txt changed; returns its `langgraph` executable. */
export async function ensurePythonEnv(log: (line: string) => void = () => {}): Promise<string> {
  const langgraph = join(VENV, "bin", "langgraph");
  const wanted = createHash("sha256").update(readFileSync(REQUIREMENTS)).digest("hex");
  const current = () => (existsSync(MARKER) && existsSync(langgraph) ? readFileSync(MARKER, "utf8") : "");
  if (current() === wanted) return langgraph;
  await withLock(log, async () => {
    if (current() === wanted) return; // another process built it while we waited
    const started = Date.now();
    log(`Creating the Python reference environment in ${VENV} (takes a minute or two the first time)`);
    await step("python3 (3.11 or newer) is needed for the Python reference", "python3", ["-c", "import sys; sys.exit(sys.version_info < (3, 11))"]);
    rmSync(VENV, { recursive: true, force: true }); // from scratch, so no package of an older pin stays
    await step("python3 could not create a virtual environment (is the venv module installed?)", "python3", ["-m", "venv", VENV]);
    log("Installing reference/python/requirements.txt with pip");
    const pip = [join(VENV, "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", "-r", REQUIREMENTS]] as const;
    await step("pip could not install reference/python/requirements.txt", ...pip);
    writeFileSync(MARKER, wanted);
    log(`Python reference environment ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  return langgraph;
}

const CLIENT_REQUIREMENTS = join(here, "client-requirements.txt");
const CLIENT_MARKER = join(VENV, ".client-requirements.sha256");

/**
 * The reference environment plus the published Managed API client (client-requirements.txt), which only
 * the project's own tests use; returns the environment's python.
 */
export async function ensurePythonClient(log: (line: string) => void = () => {}): Promise<string> {
  await ensurePythonEnv(log);
  const python = join(VENV, "bin", "python");
  const wanted = createHash("sha256").update(readFileSync(CLIENT_REQUIREMENTS)).digest("hex");
  const current = () => (existsSync(CLIENT_MARKER) ? readFileSync(CLIENT_MARKER, "utf8") : "");
  if (current() === wanted) return python;
  await withLock(log, async () => {
    if (current() === wanted) return;
    log("Installing reference/python/client-requirements.txt with pip");
    await step("pip could not install reference/python/client-requirements.txt", python, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", "-r", CLIENT_REQUIREMENTS]);
    writeFileSync(CLIENT_MARKER, wanted);
  });
  return python;
}

async function step(failure: string, file: string, args: readonly string[]): Promise<void> {
  try {
    await run(file, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    const detail = e.code === "ENOENT" ? `${file} not found on PATH` : (e.stderr ?? "").trim().split("\n").at(-1) || e.message;
    throw new Error(`${failure}: ${detail}`);
  }
}

// Two processes building the same environment at once would break it: the lock folder names its owner.
async function withLock(log: (line: string) => void, body: () => Promise<void>): Promise<void> {
  const owner = join(LOCK, "pid");
  for (let waited = false; ; ) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = existsSync(owner) ? Number(readFileSync(owner, "utf8")) : 0;
      if (pid && !alive(pid)) rmSync(LOCK, { recursive: true, force: true });
      else if (!waited) log(`Waiting for another process (pid ${pid || "?"}) to build ${VENV}`);
      waited = true;
      await sleep(500);
    }
  }
  try {
    writeFileSync(owner, String(process.pid));
    await body();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
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
