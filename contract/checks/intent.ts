/** Checks that judge the status against why the request was sent. */
import { jsonBody } from "../../core/exchange.ts";
import { defineCheck } from "./types.ts";

/** 4xx answers a schema-valid request can still legitimately get when the document lists them. */
const VALID_INPUT_MAY_GET = [404, 409, 422];

// A redirect neither accepts nor refuses (the suite does not follow it); whether it is documented is
// status_code_documented's business.
const redirect = (status: number) => status >= 300 && status < 400;

export const positiveDataAccepted = defineCheck("positive_data_accepted", ({ exchange, contract, intent }) => {
  if (intent.kind !== "valid") return [];
  const { status } = exchange.response;
  if (status < 300 || redirect(status)) return [];
  if (VALID_INPUT_MAY_GET.includes(status) && contract.responseFor(status)?.key === String(status)) return [];
  return status >= 500 ? [] : [`a valid request was refused with ${status}${refusal(exchange.response.body)}`];
});

/** Why the target refused: the error code and detail of an ErrorResponse, or the start of any other body. */
function refusal(text: string): string {
  const body = jsonBody({ status: 0, headers: {}, body: text }) as { code?: unknown; detail?: unknown } | undefined;
  if (typeof body?.code === "string" && body.code) return `: ${body.code} — ${String(body.detail ?? "").slice(0, 120)}`;
  const start = text.trim().slice(0, 120);
  return start ? `: ${start}` : "";
}

export const negativeDataRejected = defineCheck("negative_data_rejected", ({ exchange, intent }) => {
  if (intent.kind !== "invalid") return [];
  const { status } = exchange.response;
  if (status >= 400 || redirect(status)) return [];
  return [`an invalid request (${intent.what}) was accepted with ${status}`];
});

function flatError(body: unknown): string | undefined {
  return typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string" ? (body as { error: string }).error : undefined;
}

export const authEnforced = defineCheck("auth_enforced", ({ exchange, intent }) => {
    if (intent.kind !== "no-auth" && intent.kind !== "bad-auth") return [];
    const { status } = exchange.response;
    const expected = intent.kind === "no-auth" ? 401 : 403;
    const what = intent.kind === "no-auth" ? "without an API key" : "with an unknown API key";
    if (status !== expected) return [`a request ${what} got ${status}, expected ${expected}`];
    return flatError(jsonBody(exchange.response)) === undefined ? [`the ${status} body is not the flat {"error": …} object: ${exchange.response.body.slice(0, 120)}`] : [];
  },
);

/** What is wrong with the answer to a request naming an id that does not exist (never made, or deleted), if anything. */
export function unknownIdProblem(contract: { responseFor(status: number): { key: string } | undefined }, method: string, status: number): string | undefined {
  const idempotent = method.toUpperCase() === "DELETE" && status < 300;
  if (contract.responseFor(404)?.key === "404") return status === 404 || idempotent ? undefined : `got ${status}, expected 404`;
  // Where no 404 is documented, the document does not say how an unknown id is answered: any status it
  // lists will do (e.g. a copy of an unknown thread answered 409), a 404 too, a 5xx never.
  return status < 500 && (status === 404 || contract.responseFor(status)?.key === String(status)) ? undefined : `got ${status}, which the operation does not document`;
}

export const unknownIdNotFound = defineCheck("unknown_id_not_found", ({ exchange, contract, intent }) => {
  if (intent.kind !== "unknown-id") return [];
  const problem = unknownIdProblem(contract, exchange.request.method, exchange.response.status);
  return problem ? [`an unknown ${intent.parameter} ${problem}`] : [];
});
