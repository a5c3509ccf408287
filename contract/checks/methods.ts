/**
 * Checks on requests with a method the document does not list for a path. The document makes no promise
 * about them beyond not being operations: a 4xx answers them. HTTP itself (RFC 9110, 15.5.6) says a 405
 * MUST carry Allow with the methods the resource supports, so where a 405 comes, its Allow is judged: it
 * names every documented method of the path and none the target itself refused there.
 */
import type { Exchange } from "../../core/exchange.ts";
import type { CheckName } from "../../core/checks.ts";
import type { Violation } from "../../results/finding.ts";

export interface MethodProbe {
  /** The documented path template, e.g. /threads/{thread_id}. */
  path: string;
  /** Methods the document lists for the path (upper case). */
  documented: string[];
  /** Methods of the same probe round that the target answered with 405. */
  refused405: string[];
  exchange: Exchange;
}

export type MethodCheck = ((probe: MethodProbe) => Violation[]) & { readonly checkName: CheckName };

const define = (checkName: CheckName, run: (p: MethodProbe) => string[]): MethodCheck =>
  Object.assign((p: MethodProbe) => run(p).map((message) => ({ check: checkName, message })), { checkName });

export const undocumentedMethodRefused = define("undocumented_method_refused", ({ path, documented, exchange }) => {
  const { status } = exchange.response;
  // A redirect neither serves nor refuses (the suite does not follow it).
  if ((status >= 400 && status < 500) || (status >= 300 && status < 400)) return [];
  return [`${exchange.request.method} ${path}, a method the document does not list (documented: ${documented.join(", ")}), answered ${status}, expected a 4xx`];
});

/** The methods an Allow header names, upper case. */
export const allowed = (value: string | undefined): string[] =>
  (value ?? "")
    .split(",")
    .map((m) => m.trim().toUpperCase())
    .filter(Boolean);

export const allowHeaderOn405 = define("allow_header_on_405", ({ path, documented, refused405, exchange }) => {
  const { status, headers } = exchange.response;
  if (status !== 405) return [];
  const method = exchange.request.method.toUpperCase();
  if (headers.allow === undefined) return [`405 to ${method} ${path} without the Allow header HTTP requires`];
  const listed = allowed(headers.allow);
  const out: string[] = [];
  const missing = documented.filter((m) => !listed.includes(m));
  if (missing.length) out.push(`405 to ${method} ${path}: Allow "${headers.allow}" leaves out the documented ${missing.join(", ")}`);
  const contradicted = refused405.filter((m) => listed.includes(m));
  if (contradicted.length) out.push(`405 to ${method} ${path}: Allow "${headers.allow}" names ${contradicted.join(", ")}, which this path refuses with 405`);
  return out;
});

export const METHOD_CHECKS: MethodCheck[] = [undocumentedMethodRefused, allowHeaderOn405];
