/** The suite's own name and version, and where it is installed (specs and runner files are found from here). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const PACKAGE_ROOT = fileURLToPath(new URL("../", import.meta.url));

export function packageInfo(): { name: string; version: string } {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string; version: string };
}
