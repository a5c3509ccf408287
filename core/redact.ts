/** Keeps secrets out of every output: reports, logs, reproducers and error messages. */

const SECRET_HEADERS = new Set(["x-api-key", "authorization", "cookie", "set-cookie", "proxy-authorization"]);

export const isSecretHeader = (name: string) => SECRET_HEADERS.has(name.toLowerCase());

const registered = new Set<string>();

/** Registers a secret value (an API key, a header value) so redact() hides it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join("***");
  return out;
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretHeader(k) ? "***" : redact(v);
  return out;
}
