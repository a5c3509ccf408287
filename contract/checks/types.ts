/** What a contract check sees: one exchange, what the document says about its operation, and why it was sent. */
import type { Exchange } from "../../core/exchange.ts";
import type { CheckName } from "../../core/checks.ts";
import type { Violation } from "../../results/finding.ts";

export interface DocumentedResponse {
  /** The status key as written in the document: "201", "4XX" or "default". */
  key: string;
  /** Documented media types; empty when the response documents no body. */
  mediaTypes: string[];
  headers: { name: string; required: boolean }[];
}

export interface ResponseContract {
  /** Documented status keys of the operation, for messages. */
  statuses: string[];
  /** The documented response covering a status: exact code, then range (4XX), then default. */
  responseFor(status: number): DocumentedResponse | undefined;
  /** Validates a parsed body; undefined when the document gives no schema for it. */
  validateBody(status: number, mediaType: string, body: unknown): string[] | undefined;
  /** Validates a header value against its documented schema; undefined when none. */
  validateHeader(status: number, name: string, value: string): string[] | undefined;
  /** Why the document says the operation waits (a long poll, a join), quoting it; undefined when it does not. */
  waits?: string;
}

/** Why the request was sent, which decides what a correct answer is. */
export type Intent =
  | { kind: "valid" }
  | { kind: "invalid"; what: string }
  | { kind: "no-auth" }
  | { kind: "bad-auth" }
  | { kind: "unknown-id"; parameter: string }
  /** Valid in form, but the resource's state makes the document expect a refusal (judged by a flow). */
  | { kind: "refused-in-state"; what: string };

export interface CheckInput {
  exchange: Exchange;
  contract: ResponseContract;
  intent: Intent;
  /** The run's response-time limit in ms (`--response-time`); undefined when it is off. */
  responseTimeMs?: number;
}

export type Check = ((input: CheckInput) => Violation[]) & { readonly checkName: CheckName };

/** Declares a check: a named plain function from an exchange to violations (its rule is in the registry). */
export function defineCheck(checkName: CheckName, run: (input: CheckInput) => string[]): Check {
  const check = (input: CheckInput): Violation[] => run(input).map((message) => ({ check: checkName, message }));
  return Object.assign(check, { checkName });
}
