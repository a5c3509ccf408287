// Installs dependencies on a fresh clone (or after package-lock.json changed), so `npm start` and
// `npm test` work with nothing installed by hand. Plain JavaScript: it runs before anything is installed.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const lock = "package-lock.json";
const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  console.error("agentwire: installing dependencies (npm ci)...");
  try {
    execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { stdio: ["ignore", "inherit", "inherit"] });
  } catch {
    console.error("agentwire: npm ci failed; see the messages above");
    process.exit(2);
  }
}
