/**
 * Telling "this operation is not implemented" from "this resource is not found": a target answers a route
 * it does not have the way it answers any unknown path. The suite asks for a path that cannot exist once,
 * and an operation whose every valid request gets that same answer is not implemented.
 */
import { randomUUID } from "node:crypto";
import type { ApiClient } from "../../core/client.ts";
import { mediaType, type Exchange } from "../../core/exchange.ts";

export interface Fingerprint {
  mediaType: string;
  body: string;
}

// Paths inside messages ("No route for /x/y") differ between requests; compare the rest.
const normalise = (body: string) => body.replace(/\/[^\s"'<>]*/g, "{path}").trim();

const fingerprint = (x: Exchange): Fingerprint => ({ mediaType: mediaType(x.response.headers["content-type"]), body: normalise(x.response.body) });

/** The target's answer to a path it cannot have. */
export async function unroutedFingerprint(client: ApiClient): Promise<Fingerprint> {
  const x = await client.call("GET", `/agentwire-no-such-route-${randomUUID()}`);
  return fingerprint(x);
}

/** True when the answer says the route itself is missing (or explicitly not implemented). */
export function routeMissing(x: Exchange, unrouted: Fingerprint): boolean {
  const { status, body } = x.response;
  if (status === 501) return true;
  if (status === 500 && /^\s*"?not implemented"?\s*$/i.test(body)) return true;
  if (status !== 404 && status !== 405) return false;
  const f = fingerprint(x);
  return f.mediaType === unrouted.mediaType && f.body === unrouted.body;
}
