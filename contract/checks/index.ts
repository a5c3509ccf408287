/** Every per-exchange contract check, in report order. */
import { authEnforced, negativeDataRejected, positiveDataAccepted, unknownIdNotFound } from "./intent.ts";
import { contentTypeDocumented, notAServerError, responseHeadersDocumented, responseSchema, statusCodeDocumented } from "./response.ts";
import { responseTime } from "./timing.ts";
import type { Check, CheckInput } from "./types.ts";
import type { Violation } from "../../results/finding.ts";

export const EXCHANGE_CHECKS: Check[] = [
  notAServerError,
  statusCodeDocumented,
  contentTypeDocumented,
  responseSchema,
  responseHeadersDocumented,
  positiveDataAccepted,
  negativeDataRejected,
  authEnforced,
  unknownIdNotFound,
  responseTime,
];

export function runChecks(input: CheckInput, checks: Check[] = EXCHANGE_CHECKS): Violation[] {
  return checks.flatMap((c) => c(input));
}
