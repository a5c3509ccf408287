/**
 * Telling "this operation is not implemented" from "this resource is not found": a target answers a route
 * it does not have the way it answers any unknown path. The suite asks for a path that cannot exist once,
 * and an operation whose every valid request, addressed to real resources, gets that same answer is not
 * implemented; so is one whose every answer says "not implemented".
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

/** The target says so in as many words: 501, or a 500 whose whole body is "Not implemented". */
export function saysNotImplemented(x: Exchange): boolean {
  const { status, body } = x.response;
  return status === 501 || (status === 500 && /^\s*"?not implemented"?\s*$/i.test(body));
}

/**
 * The answer is the target's answer to a path it does not have. Only meaningful when the request named
 * real resources: a made-up id's "not found" can read exactly like an unknown path's.
 */
export function answeredLikeUnknownPath(x: Exchange, unrouted: Fingerprint): boolean {
  const { status } = x.response;
  if (status !== 404 && status !== 405) return false;
  const f = fingerprint(x);
  return f.mediaType === unrouted.mediaType && f.body === unrouted.body;
}
