// Where Debian's `chromium` is, for the report's browser test and benchmark (driven by Playwright with
// `executablePath`: Playwright's own browser download is never used). Plain JavaScript, like ensure-deps.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM_HINT = "install Debian's chromium package (`apt-get install -y chromium`, as root); `npm test` does it through scripts/ensure-deps.mjs --browser where it can";

/** The Chromium executable: $AGENTWIRE_CHROMIUM, or `chromium` on PATH; undefined when there is none. */
export function findChromium() {
  const named = process.env.AGENTWIRE_CHROMIUM;
  if (named) return existsSync(named) ? named : undefined;
  try {
    const path = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
    return path || undefined;
  } catch {
    return undefined;
  }
}
