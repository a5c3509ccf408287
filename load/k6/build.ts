/**
 * Builds load/k6/bin/k6: k6 (version pinned in ext/go.mod, with go.sum) plus the in-repo `k6/x/sse` extension,
 * from the Go module proxy. This is what `xk6 build --with <extension>` does, done by hand: the proxy this
 * project can reach refuses the xk6 tool and the xk6-sse module, while k6 and its dependencies are served.
 *
 *   node --import tsx load/k6/build.ts
 *
 * Prints one line: where the binary is and how long it took, or why it could not be built.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
export const K6_BINARY = here("./bin/k6");
const EXT_DIR = here("./ext");
/** Oldest Go the pinned k6 compiles with (k6's own go.mod). */
const MIN_GO = "1.25";

export interface BuildResult {
  ok: boolean;
  path: string;
  seconds: number;
  /** The one line to print. */
  message: string;
  /** `k6 version` output when the build worked. */
  version?: string;
}

const lastLine = (s: string) => s.trim().split("\n").filter(Boolean).at(-1) ?? "";

function buildK6(): BuildResult {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const fail = (message: string): BuildResult => ({ ok: false, path: K6_BINARY, seconds: seconds(), message });
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  if (go.error || go.status !== 0) return fail(`k6 build skipped: Go is not installed (need Go >= ${MIN_GO} on PATH)`);
  mkdirSync(here("./bin"), { recursive: true });
  // GOTOOLCHAIN=local: an old Go fails with a clear message instead of trying to download a newer one.
  const build = spawnSync("go", ["build", "-trimpath", "-o", K6_BINARY, "./cmd/k6"], {
    cwd: EXT_DIR,
    encoding: "utf8",
    env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly", CGO_ENABLED: "0" },
    timeout: 20 * 60_000,
  });
  if (build.error || build.status !== 0) {
    const why = build.error ? build.error.message : lastLine(build.stderr);
    return fail(`k6 build failed after ${seconds()} s (${go.stdout.trim()}): ${why}`);
  }
  const version = spawnSync(K6_BINARY, ["version"], { encoding: "utf8" }).stdout.trim();
  return { ok: true, path: K6_BINARY, seconds: seconds(), version, message: `built ${K6_BINARY} in ${seconds()} s: ${version.split("\n")[0]} + k6/x/sse (${go.stdout.trim()})` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = buildK6();
  console.log(result.message);
  process.exitCode = result.ok ? 0 : 1;
}
