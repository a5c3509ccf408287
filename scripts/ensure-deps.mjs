// Installs dependencies on a fresh clone (or after package-lock.json changed), so `npm start` and
// `npm test` work with nothing installed by hand. Plain JavaScript: it runs before anything is installed.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const lock = "package-lock.json";
const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  console.error("agentwire: installing dependencies (npm install)...");
  try {
    // Not `npm ci`: the lockfile cannot list the platform builds of some optional dependencies that the
    // registry does not serve for this platform, and `npm ci` refuses such a lockfile.
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { stdio: ["ignore", "inherit", "inherit"] });
  } catch {
    console.error("agentwire: npm install failed; see the messages above");
    process.exit(2);
  }
}
