/** Builds a copy-pasteable curl command for a request, with secrets replaced by environment variables. */
import type { HttpRequest } from "./exchange.ts";
import { isSecretHeader, redact } from "./redact.ts";

const ENV_FOR_HEADER: Record<string, string> = { "x-api-key": "$LANGSMITH_API_KEY", authorization: "$AUTHORIZATION" };

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Values the suite itself invents for credential headers (a deliberately wrong key) are not secrets. */
export const FAKE_CREDENTIAL_PREFIX = "agentwire-wrong-key-";

export function curl(request: HttpRequest, options: { stream?: boolean } = {}): string {
  const parts = ["curl", "-sS", "-i"];
  if (options.stream) parts.push("-N");
  parts.push("-X", request.method.toUpperCase());
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === "content-length" || name === "host") continue;
    if (isSecretHeader(name) && !value.startsWith(FAKE_CREDENTIAL_PREFIX)) {
      // Double quotes so the shell expands the variable; the value itself never appears.
      parts.push("-H", `"${name}: ${ENV_FOR_HEADER[name.toLowerCase()] ?? "$SECRET"}"`);
    } else {
      parts.push("-H", shellQuote(`${name}: ${redact(value)}`));
    }
  }
  if (request.body !== undefined) parts.push("--data-binary", shellQuote(redact(request.body)));
  parts.push(shellQuote(redact(request.url)));
  return parts.join(" ");
}
