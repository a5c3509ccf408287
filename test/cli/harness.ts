/** Runs the real CLI (`node bin/agentwire.mjs …`) as a child process and inspects what it leaves behind. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The environment without anything that would point the CLI at a real deployment or change its defaults. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ["LANGSMITH_API_KEY", "DEEPAGENTS_BASE_URL", "AGENT_SERVER_URL", "AGENT_SERVER_API_KEY", "AGENT_ID", "AGENTWIRE_FAULTS", "AGENTWIRE_SEED", "AGENTWIRE_DEBUG", "NODE_TEST_CONTEXT", "NODE_OPTIONS"]) delete env[k];
  return { ...env, ...extra };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Cli {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the stream's text once `pattern` appears in it; rejects when the process exits first. */
  waitFor(stream: "stdout" | "stderr", pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<Finished>;
}

/** Starts the CLI; `detached` makes it lead a process group of its own, as a CI job's shell does. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), o: { detached?: boolean } = {}): Cli {
  const child = spawn(process.execPath, ["bin/agentwire.mjs", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: o.detached });
  const out = { stdout: "", stderr: "" };
  const waiters = new Set<() => void>();
  for (const name of ["stdout", "stderr"] as const) {
    child[name]!.on("data", (d: Buffer) => {
      out[name] += d.toString();
      for (const w of waiters) w();
    });
  }
  const exited = new Promise<Finished>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, ...out })));
  return {
    child,
    pid: child.pid!,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    waitFor: (stream, pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(out[stream])) return;
          done();
          resolve(out[stream]);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms; stderr: ${out.stderr.slice(-500)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        void exited.then(() => {
          if (!waiters.has(check)) return;
          done();
          reject(new Error(`exited before ${pattern} appeared on ${stream}; stderr: ${out.stderr.slice(-500)}`));
        });
        waiters.add(check);
        check();
      }),
  };
}

/** Runs the CLI to its end. */
export const runCli = (args: string[], env?: NodeJS.ProcessEnv): Promise<Finished> => startCli(args, env).exited;

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A fresh folder in the system temp folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file below `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// ── Processes, read from /proc ────────────────────────────────────────────────────────────────────────

export interface Proc {
  pid: number;
  /** Start time in clock ticks since boot: tells a process from a later one that reuses its pid. */
  start: string;
  cmdline: string;
}

interface Stat {
  state: string;
  ppid: number;
  start: string;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain anything; the fields after it are space-separated.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0]!, ppid: Number(fields[1]), start: fields[19]! };
  } catch {
    return undefined;
  }
}

const read = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};

/** All live descendants of `root` (children, their children, …). */
export function descendants(root: number): Proc[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s && s.state !== "Z") children.set(s.ppid, [...(children.get(s.ppid) ?? []), Number(name)]);
  }
  const found: Proc[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      const s = stat(c);
      if (!s) continue;
      found.push({ pid: c, start: s.start, cmdline: read(`/proc/${c}/cmdline`).split("\0").join(" ").trim() });
      walk(c);
    }
  };
  walk(root);
  return found;
}

/** A process has ended when it is gone, a zombie (exited, not yet reaped), or its pid now names another. */
export function isAlive(p: Proc): boolean {
  const s = stat(p.pid);
  return s !== undefined && s.state !== "Z" && s.start === p.start;
}

/** The working folder the reference gave its Agent Server (the child's AGENTWIRE_UPSTREAM_CWD). */
export function upstreamDir(p: Proc): string | undefined {
  const line = read(`/proc/${p.pid}/environ`).split("\0").find((l) => l.startsWith("AGENTWIRE_UPSTREAM_CWD="));
  return line?.slice("AGENTWIRE_UPSTREAM_CWD=".length);
}

export const isUpstream = (p: Proc) => p.cmdline.includes("reference/upstream/server.ts");

/** The settings file (it holds the key) a conformance runner process was given. */
export function settingsFileOf(p: Proc): string | undefined {
  const line = read(`/proc/${p.pid}/environ`).split("\0").find((l) => l.startsWith("AGENTWIRE_RUN_SETTINGS_FILE="));
  return line?.slice("AGENTWIRE_RUN_SETTINGS_FILE=".length);
}

/** Polls until `done()` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Last resort for a failed test: kill the CLI, whatever it started, and `known` processes still alive. */
export function killTree(cli: Cli, known: Proc[] = []): void {
  const pids = [...descendants(cli.pid), ...known.filter(isAlive)].map((p) => p.pid);
  for (const pid of [cli.pid, ...pids]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

// ── Output shape ──────────────────────────────────────────────────────────────────────────────────────

export const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");
/** The CLI's own error lines (its banner reads "agentwire 0.1.0 — …", without the colon). */
export const errorLines = (text: string) => lines(text).filter((l) => l.startsWith("agentwire:"));
/** A JavaScript stack frame or Node's "throw er" banner anywhere in the text. */
export const looksLikeStackTrace = (text: string) => /^\s+at .+[:(]\d+|^\s*throw |node:internal/m.test(text);

// ── Memory, read from /proc ───────────────────────────────────────────────────────────────────────────

export interface MemoryPeak {
  /** The largest peak resident set (VmHWM) of any one process of the tree, in MiB. */
  processMiB: number;
  /** The largest memory of the whole tree seen at one poll (the sum of its proportional set sizes, so pages the processes share count once), in MiB. */
  treeMiB: number;
}

const kib = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);

/** Polls the resident memory of `root` and its descendants until stopped. */
export function watchMemory(root: number, everyMs = 100): { stop(): MemoryPeak } {
  const peak = { processMiB: 0, treeMiB: 0 };
  const poll = () => {
    let tree = 0;
    for (const pid of [root, ...descendants(root).map((p) => p.pid)]) {
      const status = read(`/proc/${pid}/status`);
      tree += kib(read(`/proc/${pid}/smaps_rollup`), "Pss");
      peak.processMiB = Math.max(peak.processMiB, kib(status, "VmHWM") / 1024);
    }
    peak.treeMiB = Math.max(peak.treeMiB, tree / 1024);
  };
  poll();
  const timer = setInterval(poll, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
