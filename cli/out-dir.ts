/**
 * --out is checked before anything runs: a folder the run can create and write in. Each missing folder is
 * made one at a time (Node's recursive mkdir never returns for some paths under /proc).
 */
import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CliError } from "./exit-codes.ts";

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

export function prepareOutDir(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  let found: Stats | undefined;
  while (!found) {
    try {
      found = statSync(at);
    } catch (error) {
      if (code(error) !== "ENOENT" || dirname(at) === at) throw new CliError(`--out ${dir}: cannot use ${at} (${code(error)})`);
      missing.unshift(at);
      at = dirname(at);
    }
  }
  if (!found.isDirectory()) throw new CliError(`--out ${dir}: ${at} exists and is not a folder`);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      throw new CliError(`--out ${dir}: cannot create ${d} (${code(error)})`);
    }
  }
  const probe = join(resolve(dir), `.agentwire-write-test-${process.pid}`);
  try {
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (error) {
    throw new CliError(`--out ${dir}: cannot write there (${code(error)})`);
  }
}

/** A file the run writes at its end (--record FILE): its folder must exist and be writable, and the file must not be a folder. */
export function checkOutFile(flag: string, file: string): void {
  const at = resolve(file);
  try {
    accessSync(dirname(at), constants.W_OK);
  } catch (error) {
    throw new CliError(`${flag} ${file}: cannot write in ${dirname(at)} (${code(error)})`);
  }
  let isDir = false;
  try {
    isDir = statSync(at).isDirectory();
  } catch {
    // not there yet: it will be created
  }
  if (isDir) throw new CliError(`${flag} ${file}: ${at} is a folder`);
}
