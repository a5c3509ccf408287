/**
 * Load goes to this machine only unless the caller names other hosts explicitly: a typo in a URL must never
 * point a load at someone else's server.
 */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** Parses `url` and throws a one-line error unless its host is loopback or listed in `allowHosts`. */
export function assertAllowedTarget(url: string, allowHosts: readonly string[] = []): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`load targets must be http(s) URLs, got ${parsed.protocol}`);
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (LOOPBACK.has(host) || allowHosts.some((h) => h.replace(/^\[|\]$/g, "").toLowerCase() === host)) return parsed;
  throw new Error(`refusing to send load to ${host}: only 127.0.0.1, localhost and ::1 are allowed unless the host is passed in an explicit allow-list`);
}
