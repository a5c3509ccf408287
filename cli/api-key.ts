/**
 * Where the API key comes from: --api-key-file (best: nothing in argv, the environment or shell history),
 * --api-key-env NAME, --api-key, or LANGSMITH_API_KEY. It is registered for redaction as soon as it is
 * read, so no error message, not even a usage error, can carry it.
 */
import { readFileSync } from "node:fs";
import { registerSecret } from "../core/redact.ts";
import { CliError } from "./exit-codes.ts";

export const API_KEY_OPTIONS = {
  "api-key": { type: "string" },
  "api-key-file": { type: "string" },
  "api-key-env": { type: "string" },
} as const;

export function apiKeyOf(v: Record<string, unknown>, env: NodeJS.ProcessEnv): string | undefined {
  const given = (["api-key", "api-key-file", "api-key-env"] as const).filter((k) => typeof v[k] === "string");
  if (given.length > 1) throw new CliError(`pass the API key one way: ${given.map((k) => `--${k}`).join(" and ")} were both given`);
  let key: string | undefined;
  if (typeof v["api-key-file"] === "string") {
    const file = v["api-key-file"];
    try {
      key = readFileSync(file, "utf8").trim();
    } catch (error) {
      throw new CliError(`--api-key-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (!key) throw new CliError(`--api-key-file ${file}: the file is empty`);
  } else if (typeof v["api-key-env"] === "string") {
    const name = v["api-key-env"];
    key = env[name]?.trim();
    if (!key) throw new CliError(`--api-key-env ${name}: that environment variable is not set or empty`);
  } else key = typeof v["api-key"] === "string" ? v["api-key"] : env.LANGSMITH_API_KEY || undefined;
  registerSecret(key);
  return key;
}
