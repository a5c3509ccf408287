/**
 * The emulator's API-key gate and router: every one of the 28 operations answers 401 {"error":"Unauthorized"}
 * without a key and 403 {"error":"Forbidden"} with a wrong one, before any validation or upstream call.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startEnv, type StartedEnv } from "./emulator-harness.ts";

const id = randomUUID();
const OPERATIONS: [string, string][] = [
  ["GET", "/agents"],
  ["POST", "/agents"],
  ["GET", `/agents/${id}`],
  ["PATCH", `/agents/${id}`],
  ["DELETE", `/agents/${id}`],
  ["POST", `/agents/${id}/clone`],
  ["GET", `/agents/${id}/health`],
  ["GET", `/threads?agent_id=${id}`],
  ["POST", "/threads"],
  ["POST", "/threads/search"],
  ["GET", "/threads/count"],
  ["GET", `/threads/${id}`],
  ["PATCH", `/threads/${id}`],
  ["DELETE", `/threads/${id}`],
  ["POST", "/threads/bulk-modify"],
  ["POST", "/threads/runs"],
  ["POST", `/threads/${id}/runs`],
  ["POST", `/threads/${id}/runs/stream`],
  ["POST", `/threads/${id}/resolve-interrupt`],
  ["POST", "/mcp-servers"],
  ["GET", "/mcp-servers"],
  ["GET", `/mcp-servers/${id}`],
  ["PATCH", `/mcp-servers/${id}`],
  ["DELETE", `/mcp-servers/${id}`],
  ["POST", `/mcp-servers/${id}/oauth-provider`],
  ["GET", "/mcp/tools?url=https://example.com/mcp"],
  ["POST", "/auth-sessions"],
  ["GET", `/auth-sessions/${id}`],
];

describe("managed emulator: auth and routing", () => {
  let env: StartedEnv;
  before(async () => {
    // No operation below may reach the upstream: it points at a closed port.
    env = await startEnv({ upstream: false, mcp: false });
  });
  after(() => env?.stop());

  test("the table covers the 28 documented operations", () => {
    assert.equal(new Set(OPERATIONS.map(([m, p]) => `${m} ${p}`)).size, 28);
  });

  for (const [method, path] of OPERATIONS) {
    test(`${method} ${path.replace(id, "{id}")}: 401 without a key, 403 with a wrong one`, async () => {
      const none = await env.call(method, path, method === "GET" || method === "DELETE" ? undefined : {}, {});
      assert.equal(none.status, 401);
      assert.deepEqual(none.json, { error: "Unauthorized" });
      assert.match(none.headers["content-type"] ?? "", /^application\/json/);
      const wrong = await env.call(method, path, undefined, { "x-api-key": `${env.key}x` });
      assert.equal(wrong.status, 403);
      assert.deepEqual(wrong.json, { error: "Forbidden" });
    });
  }

  test("an empty key counts as no key", async () => {
    assert.equal((await env.call("GET", "/agents", undefined, { "x-api-key": "" })).status, 401);
  });

  test("unknown paths are 404 and wrong methods 405, as ErrorResponse", async () => {
    const missing = await env.call("GET", "/nothing-here");
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.json).sort(), ["code", "detail", "status", "type"]);
    assert.equal(missing.json.type, `https://docs.langchain.com/errors/${missing.json.code}`);
    const wrongMethod = await env.call("PUT", "/agents", {});
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, "GET, POST");
    // Allow names the methods of the path itself, not those of /threads/{thread_id} that it also matches.
    for (const p of ["/threads/count", "/threads/search", "/threads/runs", "/threads/bulk-modify"]) {
      const r = await env.call("PUT", p, {});
      assert.equal(r.status, 405, p);
      assert.equal(r.headers.allow, p === "/threads/count" ? "GET" : "POST", p);
    }
  });

  test("the verification page needs no key and answers 404 text for an unknown session", async () => {
    const res = await fetch(`${env.url}/__reference/auth-sessions/${randomUUID()}/verify`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
  });
});
