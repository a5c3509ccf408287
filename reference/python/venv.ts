/**
 * Project-local Python virtual environments built from pinned requirements files: made from scratch when
 * missing or when the requirements changed (a hash beside them says which were installed), under a lock so
 * two processes never build one at once. The Python reference and the peers benchmark both use it.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { sleep } from "../../core/poll.ts";

const run = promisify(execFile);

/** A failed step of building an environment, in one line (what was needed, and the tool's last words). */
export class VenvError extends Error {}

export interface Venv {
  /** The environment's folder. */
  dir: string;
  /** Pinned requirements it is built from. */
  requirements: string;
  /** What it is for, in messages ("the Python reference"). */
  what: string;
  /** A file the install must leave (e.g. the tool's executable); its absence means rebuild. */
  expects: string;
}

const hashOf = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const markerOf = (dir: string, requirements: string) => join(dir, `.${basename(requirements, ".txt")}.sha256`);
const pip = (dir: string, requirements: string) => [join(dir, "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", "-r", requirements]] as const;

/** Builds the environment when it is missing or its requirements changed. */
export async function ensureVenv(v: Venv, log: (line: string) => void): Promise<void> {
  const marker = markerOf(v.dir, v.requirements);
  const wanted = hashOf(v.requirements);
  const current = () => (existsSync(marker) && existsSync(v.expects) ? readFileSync(marker, "utf8") : "");
  if (current() === wanted) return;
  await withLock(v.dir, log, async () => {
    if (current() === wanted) return; // another process built it while we waited
    const started = Date.now();
    log(`Creating the environment for ${v.what} in ${v.dir} (a minute or two the first time)`);
    await step(`python3 (3.11 or newer) is needed for ${v.what}`, "python3", ["-c", "import sys; sys.exit(sys.version_info < (3, 11))"]);
    rmSync(v.dir, { recursive: true, force: true }); // from scratch, so no package of an older pin stays
    await step(`python3 could not create a virtual environment for ${v.what} (is the venv module installed?)`, "python3", ["-m", "venv", v.dir]);
    log(`Installing ${basename(v.requirements)} with pip`);
    await step(`pip could not install the packages of ${v.what}`, ...pip(v.dir, v.requirements));
    writeFileSync(marker, wanted);
    log(`Environment for ${v.what} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

/** Installs further pinned requirements into a built environment, once per change of the file. */
export async function ensureExtra(dir: string, requirements: string, what: string, log: (line: string) => void): Promise<void> {
  const marker = markerOf(dir, requirements);
  const wanted = hashOf(requirements);
  const current = () => (existsSync(marker) ? readFileSync(marker, "utf8") : "");
  if (current() === wanted) return;
  await withLock(dir, log, async () => {
    if (current() === wanted) return;
    log(`Installing ${basename(requirements)} with pip`);
    await step(`pip could not install the packages of ${what}`, ...pip(dir, requirements));
    writeFileSync(marker, wanted);
  });
}

async function step(failure: string, file: string, args: readonly string[]): Promise<void> {
  try {
    await run(file, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    const detail = e.code === "ENOENT" ? `${file} not found on PATH` : (e.stderr ?? "").trim().split("\n").at(-1) || e.message;
    throw new VenvError(`${failure}: ${detail}`);
  }
}

// Two processes building the same environment at once would break it: the lock folder names its owner.
async function withLock(dir: string, log: (line: string) => void, body: () => Promise<void>): Promise<void> {
  const lock = `${dir}.lock`;
  const owner = join(lock, "pid");
  for (let waited = false; ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = existsSync(owner) ? Number(readFileSync(owner, "utf8")) : 0;
      if (pid && !alive(pid)) rmSync(lock, { recursive: true, force: true });
      else if (!waited) log(`Waiting for another process (pid ${pid || "?"}) to build ${dir}`);
      waited = true;
      await sleep(500);
    }
  }
  try {
    writeFileSync(owner, String(process.pid));
    await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
