// Installs dependencies on a fresh clone (or after package-lock.json changed), so `npm start` and
// `npm test` work with nothing installed by hand. Plain JavaScript: it runs before anything is installed.
// With --browser (what `npm test` passes) it also makes sure Debian's chromium is there, for the report's
// browser test: installed with apt-get as root (or sudo without a password), else it says why not.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { CHROMIUM_HINT, findChromium } from "./chromium.mjs";

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

if (process.argv.includes("--browser") && !findChromium()) {
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!hasApt || (!root && !sudo)) {
    console.error(`agentwire: chromium is not installed and cannot be installed here (${!hasApt ? "no apt-get" : "not root and no password-less sudo"}): ${CHROMIUM_HINT}; the report's browser test will fail and say so`);
  } else {
    console.error("agentwire: installing Debian's chromium for the report's browser test (apt-get install chromium)...");
    const apt = (...args) => spawnSync(sudo ? "sudo" : "apt-get", sudo ? ["-n", "apt-get", ...args] : args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
    if (!(apt("update", "-qq") && apt("install", "-y", "-qq", "--no-install-recommends", "chromium")) || !findChromium()) {
      console.error(`agentwire: installing chromium failed (see above): ${CHROMIUM_HINT}; the report's browser test will fail and say so`);
    }
  }
}
