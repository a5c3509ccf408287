import { test } from "node:test";
import assert from "node:assert/strict";
import { CHECKS } from "../../core/checks.ts";
import { EXCHANGE_CHECKS, runChecks } from "../../contract/checks/index.ts";
import { METHOD_CHECKS } from "../../contract/checks/methods.ts";
import type { Intent, ResponseContract } from "../../contract/checks/types.ts";
import type { Exchange } from "../../core/exchange.ts";

// A tiny contract: 201 JSON {id: string}, 400/404 JSON errors, 401 flat error, 204 empty; header X-Req required on 201.
const contract: ResponseContract = {
  statuses: ["201", "204", "400", "401", "403", "404"],
  responseFor(status) {
    if (![201, 204, 400, 401, 403, 404].includes(status)) return undefined;
    return { key: String(status), mediaTypes: status === 204 ? [] : ["application/json"], headers: status === 201 ? [{ name: "X-Req", required: true }] : [] };
  },
  validateBody(status, _media, body) {
    if (status === 201) return typeof (body as { id?: unknown })?.id === "string" ? [] : ["/id: must be string"];
    return typeof body === "object" && body !== null ? [] : ["must be object"];
  },
  validateHeader: (_s, _n, value) => (/^\d+$/.test(value) ? [] : ["must be digits"]),
};

function x(status: number, body: unknown, headers: Record<string, string> = {}): Exchange {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  return {
    request: { method: "POST", url: "http://t/things", headers: {} },
    response: { status, headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers }, body: text },
    timings: { sentAt: 0, headersAt: 1, endAt: 2 },
  };
}
const judge = (e: Exchange, intent: Intent = { kind: "valid" }) => runChecks({ exchange: e, contract, intent });
const checksOf = (e: Exchange, intent?: Intent) => [...new Set(judge(e, intent).map((v) => v.check))].sort();

test("a conforming exchange passes every check", () => {
  assert.deepEqual(judge(x(201, { id: "a" }, { "x-req": "7" })), []);
  assert.deepEqual(judge(x(204, undefined)), []);
});

test("each check fires on its own breach", () => {
  assert.deepEqual(checksOf(x(503, { id: "a" })), ["not_a_server_error", "status_code_documented"]);
  assert.deepEqual(checksOf(x(200, { id: "a" })), ["status_code_documented"]);
  assert.deepEqual(checksOf(x(201, { id: "a" }, { "x-req": "7", "content-type": "text/plain" })), ["content_type_documented"]);
  assert.deepEqual(checksOf(x(201, { id: 5 }, { "x-req": "7" })), ["response_schema"]);
  assert.deepEqual(checksOf(x(201, "not json{", { "x-req": "7" })), ["response_schema"]);
  assert.deepEqual(checksOf(x(201, { id: "a" })), ["response_headers_documented"]);
  assert.deepEqual(checksOf(x(201, { id: "a" }, { "x-req": "seven" })), ["response_headers_documented"]);
  assert.deepEqual(checksOf(x(400, { code: "bad" })), ["positive_data_accepted"]);
  assert.deepEqual(checksOf(x(201, { id: "a" }, { "x-req": "1" }), { kind: "invalid", what: "name: wrong type" }), ["negative_data_rejected"]);
  assert.deepEqual(checksOf(x(201, { id: "a" }, { "x-req": "1" }), { kind: "no-auth" }), ["auth_enforced"]);
  assert.deepEqual(checksOf(x(403, "Forbidden", { "content-type": "application/json" }), { kind: "bad-auth" }), ["auth_enforced", "response_schema"]);
  assert.deepEqual(checksOf(x(400, { code: "x" }), { kind: "unknown-id", parameter: "agent_id" }), ["unknown_id_not_found"]);
});

test("intent decides what a correct status is", () => {
  assert.deepEqual(judge(x(400, { code: "bad" }), { kind: "invalid", what: "x" }), []);
  assert.deepEqual(judge(x(404, { code: "nf" })), [], "a documented 404 is a fine answer to a valid request");
  assert.deepEqual(judge(x(401, { error: "Unauthorized" }), { kind: "no-auth" }), []);
  assert.deepEqual(judge(x(403, { error: "Forbidden" }), { kind: "bad-auth" }), []);
  assert.deepEqual(judge(x(404, { code: "nf" }), { kind: "unknown-id", parameter: "id" }), []);
});

test("every exchange check is in the registry as an exchange check", () => {
  for (const c of EXCHANGE_CHECKS) assert.equal(CHECKS[c.checkName].kind, "exchange", c.checkName);
  assert.equal(new Set(EXCHANGE_CHECKS.map((c) => c.checkName)).size, EXCHANGE_CHECKS.length);
});

// An operation documenting 200 as JSON or an event stream, 409 and 422, and no 404 (like copying a thread, or A2A).
const streamOrJson: ResponseContract = {
  statuses: ["200", "409", "422"],
  responseFor: (status) => ([200, 409, 422].includes(status) ? { key: String(status), mediaTypes: status === 200 ? ["application/json", "text/event-stream"] : ["application/json"], headers: [] } : undefined),
  validateBody: (_s, media, body) => (/json/.test(media) && (typeof body !== "object" || body === null) ? ["must be object"] : []),
  validateHeader: () => [],
};
const judgeWith = (c: ResponseContract, e: Exchange, intent: Intent = { kind: "valid" }) => runChecks({ exchange: e, contract: c, intent });

test("a documented non-JSON media type is not read as JSON; a JSON body still is", () => {
  assert.deepEqual(judgeWith(streamOrJson, x(200, "event: message\r\ndata: {}\r\n\r\n", { "content-type": "text/event-stream" })), []);
  assert.deepEqual(judgeWith(streamOrJson, x(200, "5")).map((v) => v.check), ["response_schema"]);
});

test("a redirect is neither an acceptance nor a refusal (only status_code_documented judges it)", () => {
  const redirect = x(307, undefined, { location: "/elsewhere" });
  assert.deepEqual(checksOf(redirect), ["status_code_documented"]);
  assert.deepEqual(checksOf(redirect, { kind: "invalid", what: "x" }), ["status_code_documented"]);
});

test("where no 404 is documented, an unknown id may get any documented status, never an undocumented one", () => {
  const unknown: Intent = { kind: "unknown-id", parameter: "thread_id" };
  assert.deepEqual(judgeWith(streamOrJson, x(409, { detail: "Conflict" }), unknown), []);
  assert.deepEqual(judgeWith(streamOrJson, x(404, { detail: "Not found" }), unknown).map((v) => v.check), ["status_code_documented"]);
  assert.deepEqual(judgeWith(streamOrJson, x(400, { detail: "bad" }), unknown).map((v) => v.check).sort(), ["status_code_documented", "unknown_id_not_found"]);
});

test("methods the document does not list: a 4xx passes; a 405 needs Allow naming the documented methods and none refused", () => {
  const probe = (method: string, status: number, allow?: string, refused405: string[] = []) => {
    const exchange = { ...x(status, undefined, allow === undefined ? {} : { allow }), request: { method, url: "http://t/things/count", headers: {} } };
    return METHOD_CHECKS.flatMap((c) => c({ path: "/things/count", documented: ["GET"], refused405, exchange })).map((v) => `${v.check}: ${v.message}`);
  };
  assert.deepEqual(probe("PUT", 404), [], "any 4xx refuses it");
  assert.deepEqual(probe("PUT", 307), [], "a redirect is not judged");
  assert.deepEqual(probe("PUT", 405, "GET", ["PUT", "PATCH"]), []);
  assert.deepEqual(probe("PUT", 405, "GET, HEAD, OPTIONS", ["PUT"]), [], "methods the document does not name may be listed when not refused");
  assert.match(probe("DELETE", 204)[0]!, /^undocumented_method_refused: DELETE \/things\/count, .* answered 204, expected a 4xx/);
  assert.match(probe("PATCH", 500)[0]!, /^undocumented_method_refused: .*answered 500/);
  assert.match(probe("PUT", 405)[0]!, /^allow_header_on_405: 405 to PUT \/things\/count without the Allow header/);
  assert.match(probe("PUT", 405, "POST", ["PUT"])[0]!, /leaves out the documented GET/);
  assert.match(probe("PUT", 405, "GET, PATCH, DELETE", ["PUT", "PATCH", "DELETE"])[0]!, /names PATCH, DELETE, which this path refuses with 405/);
});

test("response_time: off without a limit; over the limit a finding; not judged where the document says the operation waits, or on a stream", () => {
  const slow = { ...x(201, { id: "a" }, { "x-req": "7" }), timings: { sentAt: 100, headersAt: 150, endAt: 1600 } };
  const timed = (e: Exchange, limit: number | undefined, c: ResponseContract = contract) =>
    runChecks({ exchange: e, contract: c, intent: { kind: "valid" }, ...(limit === undefined ? {} : { responseTimeMs: limit }) }).map((v) => v.message);
  assert.deepEqual(timed(slow, undefined), [], "off by default");
  assert.deepEqual(timed(slow, 2000), [], "within the limit (from sent to body end: 1500 ms)");
  assert.deepEqual(timed(slow, 1000), ["answered 201 in 1500 ms (request sent to body end), over the limit of 1000 ms"]);
  assert.deepEqual(timed(slow, 1000, { ...contract, waits: 'its summary says "and wait"' }), []);
  assert.deepEqual(timed({ ...slow, response: { ...slow.response, headers: { "content-type": "text/event-stream" } } }, 1000).filter((m) => /limit/.test(m)), []);
  assert.deepEqual(timed({ ...slow, truncated: true }, 1000).filter((m) => /limit/.test(m)), []);
});
