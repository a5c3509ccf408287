/** Keeps secrets out of every output: reports, logs, reproducers and error messages. */
import type { HttpRequest } from "./exchange.ts";

const SECRET_HEADERS = new Set(["x-api-key", "authorization", "cookie", "set-cookie", "proxy-authorization"]);

export const isSecretHeader = (name: string) => SECRET_HEADERS.has(name.toLowerCase());

export const REDACTED = "***";

/** Every form a registered secret is looked for in: as is, URL-encoded, JSON-escaped, HTML/XML-escaped, base64. */
const forms = new Set<string>();

/** Registers a secret value (an API key, a header value) so redact() hides it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4) return;
  // The writers escape markup before they redact, so the escaped forms are looked for too.
  const markup = (apostrophe: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": apostrophe })[c]!);
  for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), markup("&#39;"), markup("&apos;"), Buffer.from(value).toString("base64")]) forms.add(form);
  // Longer forms first, so a form that contains another is replaced whole.
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  forms.clear();
  for (const f of sorted) forms.add(f);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of forms) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretHeader(k) ? REDACTED : redact(v);
  return out;
}

export function redactRequest(req: HttpRequest): HttpRequest {
  return { method: req.method, url: redact(req.url), headers: redactHeaders(req.headers), ...(req.body === undefined ? {} : { body: redact(req.body) }) };
}

/** Longest tail of unfinished text held back: enough for any form of a secret to span two writes. */
const HOLD_BACK = 4096;

/**
 * Redacts text that arrives in pieces (a child's output): complete lines are redacted and passed on at
 * once; an unfinished line waits for its end, so a secret split between two writes is still found.
 */
export function lineRedactor(write: (text: string) => void): { write(chunk: Buffer | string): void; end(): void } {
  let pending = "";
  return {
    write(chunk) {
      pending += chunk.toString();
      const cut = pending.lastIndexOf("\n") + 1;
      // A line that never ends is passed on in parts, keeping a tail in case a secret straddles the cut.
      const upTo = cut > 0 ? cut : pending.length > 16 * HOLD_BACK ? pending.length - HOLD_BACK : 0;
      if (upTo === 0) return;
      write(redact(pending.slice(0, upTo)));
      pending = pending.slice(upTo);
    },
    end() {
      if (pending) write(redact(pending));
      pending = "";
    },
  };
}
