/** The emulator's MCP server registry, MCP tool listing over https, and OAuth auth sessions. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startMcpServer, type LocalMcpServer } from "../../reference/mcp/index.ts";
import { startEnv, type StartedEnv } from "./emulator-harness.ts";

function assertError(res: { status: number; json: any }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.equal(res.json?.code, code);
  assert.equal(res.json.status, status);
  assert.equal(res.json.type, `https://docs.langchain.com/errors/${code}`);
}

const SECRET = `Bearer s3cret-${randomUUID()}`;
const q = encodeURIComponent;

describe("managed emulator: MCP servers, MCP tools, auth sessions", () => {
  let env: StartedEnv;
  let stranger: LocalMcpServer;
  before(async () => {
    // No operation here reaches the Agent Server.
    env = await startEnv({ upstream: false });
    stranger = await startMcpServer();
  });
  after(async () => {
    await stranger?.stop();
    await env?.stop();
  });

  const register = async (body: object) => {
    const res = await env.call("POST", "/mcp-servers", body);
    assert.equal(res.status, 201, res.text);
    assert.ok(!res.text.includes(SECRET));
    return res.json;
  };
  const uniqueUrl = () => `https://mcp-${randomUUID().slice(0, 8)}.example.com/mcp`;

  test("POST /mcp-servers registers a server and never echoes its header values", async () => {
    const s = await register({ name: `tavily-${randomUUID()}`, url: uniqueUrl(), headers: [{ key: "Authorization", value: SECRET }] });
    assert.match(s.id, /^[0-9a-f-]{36}$/);
    assert.match(s.tenant_id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(s.headers, [{ key: "Authorization", value: "<redacted>" }]);
    assert.equal(s.auth_type, "headers");
    assert.equal(s.oauth_provider_id, null);
    assert.deepEqual([s.mcp_vendor_id, s.vendor_id, s.external_system_id], [null, null, null]);
    assert.ok(!Number.isNaN(Date.parse(s.created_at)));
    for (const path of ["/mcp-servers", `/mcp-servers/${s.id}`]) {
      const res = await env.call("GET", path);
      assert.equal(res.status, 200);
      assert.ok(!res.text.includes(SECRET), `${path} leaks a stored header value`);
    }
    const oauth = await register({ name: `gh-${randomUUID()}`, url: uniqueUrl(), auth_type: "oauth", oauth_mode: "per_user_dynamic_client", vendor_id: "v" });
    assert.equal(oauth.auth_type, "oauth");
    assert.equal(oauth.oauth_mode, "per_user_dynamic_client");
    assert.equal(oauth.vendor_id, "v");
  });

  test("POST /mcp-servers: 400, 409 and 422", async () => {
    const name = `dup-${randomUUID()}`;
    const url = uniqueUrl();
    await register({ name, url });
    assertError(await env.call("POST", "/mcp-servers", { url: uniqueUrl() }), 400, "missing_required_field");
    assertError(await env.call("POST", "/mcp-servers", { name: "n" }), 400, "missing_required_field");
    assertError(await env.call("POST", "/mcp-servers", { name: "n", url: "http://plain.example.com/mcp" }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/mcp-servers", { name: "n", url: "not a url" }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/mcp-servers", { name: "n", url: uniqueUrl(), headers: [{ key: "A" }] }), 400, "missing_required_field");
    assertError(await env.call("POST", "/mcp-servers", { name: "n", url: uniqueUrl(), auth_type: "basic" }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/mcp-servers", { name: "n", url: uniqueUrl(), oauth_provider_id: "x" }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/mcp-servers", { name, url: uniqueUrl() }), 409, "mcp_server_already_exists");
    assertError(await env.call("POST", "/mcp-servers", { name: `other-${randomUUID()}`, url: `${url}/` }), 409, "mcp_server_url_taken");
    assertError(await env.call("POST", "/mcp-servers", { name: "n", url: uniqueUrl(), auth_type: "headers", oauth_mode: "per_user_dynamic_client" }), 422, "invalid_auth_config");
    assertError(await env.call("POST", "/mcp-servers", { name: "n", url: uniqueUrl(), headers: [{ key: "A", value: "1" }, { key: "a", value: "2" }] }), 422, "duplicate_header");
  });

  test("GET /mcp-servers is a bare array; GET by id answers 200, 404 and 400", async () => {
    const s = await register({ name: `l-${randomUUID()}`, url: uniqueUrl() });
    const list = await env.call("GET", "/mcp-servers");
    assert.ok(Array.isArray(list.json));
    assert.ok(list.json.some((x: any) => x.id === s.id));
    assert.deepEqual((await env.call("GET", `/mcp-servers/${s.id}`)).json, s);
    assertError(await env.call("GET", `/mcp-servers/${randomUUID()}`), 404, "mcp_server_not_found");
    assertError(await env.call("GET", "/mcp-servers/nope"), 400, "invalid_request_body");
  });

  test("PATCH /mcp-servers/{id} replaces the header array and checks the URL", async () => {
    const s = await register({ name: `p-${randomUUID()}`, url: uniqueUrl(), headers: [{ key: "A", value: "1" }, { key: "B", value: "2" }] });
    const other = await register({ name: `o-${randomUUID()}`, url: uniqueUrl() });
    const rotated = await env.call("PATCH", `/mcp-servers/${s.id}`, { headers: [{ key: "Authorization", value: SECRET }] });
    assert.equal(rotated.status, 200);
    assert.deepEqual(rotated.json.headers, [{ key: "Authorization", value: "<redacted>" }]);
    assert.ok(!rotated.text.includes(SECRET));
    const moved = await env.call("PATCH", `/mcp-servers/${s.id}`, { url: `${s.url}/v2` });
    assert.equal(moved.json.url, `${s.url}/v2`);
    assert.equal(moved.json.name, s.name);
    assertError(await env.call("PATCH", `/mcp-servers/${s.id}`, { url: other.url }), 409, "mcp_server_url_taken");
    assertError(await env.call("PATCH", `/mcp-servers/${s.id}`, { url: "http://x.example.com" }), 400, "invalid_request_body");
    assertError(await env.call("PATCH", `/mcp-servers/${s.id}`, { headers: "A: 1" }), 400, "invalid_request_body");
    assertError(await env.call("PATCH", `/mcp-servers/${s.id}`, { oauth_mode: "legacy_shared_provider" }), 422, "invalid_auth_config");
    assertError(await env.call("PATCH", `/mcp-servers/${randomUUID()}`, {}), 404, "mcp_server_not_found");
  });

  test("DELETE /mcp-servers/{id} is idempotent", async () => {
    const s = await register({ name: `d-${randomUUID()}`, url: uniqueUrl() });
    assert.equal((await env.call("DELETE", `/mcp-servers/${s.id}`)).status, 204);
    assertError(await env.call("GET", `/mcp-servers/${s.id}`), 404, "mcp_server_not_found");
    assert.equal((await env.call("DELETE", `/mcp-servers/${s.id}`)).status, 204);
    assertError(await env.call("DELETE", "/mcp-servers/nope"), 400, "invalid_request_body");
  });

  test("POST /mcp-servers/{id}/oauth-provider registers one provider per server", async () => {
    const s = await register({ name: `o-${randomUUID()}`, url: uniqueUrl(), auth_type: "oauth", oauth_mode: "per_user_dynamic_client" });
    const first = await env.call("POST", `/mcp-servers/${s.id}/oauth-provider`, {});
    assert.equal(first.status, 200);
    assert.match(first.json.oauth_provider_id, /^[0-9a-f-]{36}$/);
    assert.deepEqual((await env.call("POST", `/mcp-servers/${s.id}/oauth-provider`)).json, first.json, "idempotent; the body is optional");
    assertError(await env.call("POST", `/mcp-servers/${s.id}/oauth-provider`, { ls_user_id: 5 }), 400, "invalid_request_body");
    assertError(await env.call("POST", `/mcp-servers/${randomUUID()}/oauth-provider`, {}), 404, "mcp_server_not_found");
    const headers = await register({ name: `h-${randomUUID()}`, url: uniqueUrl(), headers: [{ key: "Authorization", value: "Bearer x" }] });
    assertError(await env.call("POST", `/mcp-servers/${headers.id}/oauth-provider`, {}), 400, "invalid_request_body");
  });

  test("GET /mcp/tools lists a registered server's tools over https and caches them", async () => {
    const mcp = env.mcp!;
    const s = await register({ name: `local-${randomUUID()}`, url: mcp.url, headers: [{ key: "Authorization", value: SECRET }] });
    const first = await env.call("GET", `/mcp/tools?url=${q(mcp.url)}`);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.tools.map((t: any) => t.name), ["echo", "add", "upper"]);
    for (const t of first.json.tools) {
      assert.equal(typeof t.description, "string");
      assert.equal(t.inputSchema.type, "object");
    }
    assert.deepEqual(first.json.tools[0].annotations, { readOnlyHint: true });
    assert.equal(first.json.cached, false);
    assert.ok(!Number.isNaN(Date.parse(first.json.fetched_at)));
    const second = await env.call("GET", `/mcp/tools?url=${q(`${mcp.url}/`)}`);
    assert.equal(second.json.cached, true, "a trailing slash names the same server");
    assert.equal(second.json.fetched_at, first.json.fetched_at);
    assert.equal((await env.call("GET", `/mcp/tools?url=${q(mcp.url)}&force_refresh=true`)).json.cached, false);
    await env.call("PATCH", `/mcp-servers/${s.id}`, { headers: [] });
    assert.equal((await env.call("GET", `/mcp/tools?url=${q(mcp.url)}`)).json.cached, false, "an update drops the cache");
  });

  test("GET /mcp/tools: 400, 404 and 502", async () => {
    assertError(await env.call("GET", "/mcp/tools"), 400, "missing_required_field");
    assertError(await env.call("GET", "/mcp/tools?url=nope"), 400, "invalid_request_body");
    assertError(await env.call("GET", `/mcp/tools?url=${q(env.mcp!.url)}&force_refresh=maybe`), 400, "invalid_request_body");
    assertError(await env.call("GET", `/mcp/tools?url=${q(uniqueUrl())}`), 404, "mcp_server_not_found");
    await register({ name: `closed-${randomUUID()}`, url: "https://127.0.0.1:1/mcp" });
    assertError(await env.call("GET", `/mcp/tools?url=${q("https://127.0.0.1:1/mcp")}`), 502, "mcp_server_unreachable");
    // A real MCP server whose certificate is not the one the emulator trusts.
    await register({ name: `stranger-${randomUUID()}`, url: stranger.url });
    assertError(await env.call("GET", `/mcp/tools?url=${q(stranger.url)}`), 502, "mcp_server_unreachable");
  });

  test("an auth session goes PENDING → (verification URL visited) → COMPLETED, and REUSE then returns its token", async () => {
    const provider = `provider-${randomUUID()}`;
    const created = await env.call("POST", "/auth-sessions", { provider_id: provider, scopes: ["repo"], strategy: "REUSE" });
    assert.equal(created.status, 201);
    const s = created.json;
    assert.equal(s.status, "PENDING");
    assert.equal(s.provider_id, provider);
    assert.equal(s.verification_url, `${env.url}/__reference/auth-sessions/${s.id}/verify`);
    assert.deepEqual((await env.call("GET", `/auth-sessions/${s.id}`)).json, { id: s.id, status: "PENDING" });

    // A long poll in flight is answered by the visit, with the new status.
    const waiting = env.call("GET", `/auth-sessions/${s.id}?wait_seconds=25`);
    const page = await fetch(s.verification_url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/plain/);
    assert.deepEqual((await waiting).json, { id: s.id, status: "COMPLETED" });

    const reused = await env.call("POST", "/auth-sessions", { provider_id: provider, scopes: ["repo"], strategy: "REUSE" });
    assert.equal(reused.status, 200);
    assert.equal(reused.json.status, "COMPLETED");
    assert.equal(reused.json.provider_id, provider);
    assert.equal(typeof reused.json.token, "string");
    assert.equal(reused.json.id, undefined);
    assert.equal((await env.call("POST", "/auth-sessions", { provider_id: provider, scopes: ["repo", "admin"], strategy: "REUSE" })).status, 201, "wider scopes need a new session");
    assert.equal((await env.call("POST", "/auth-sessions", { provider_id: provider, scopes: ["repo"], strategy: "CREATE" })).status, 201);
  });

  test("auth sessions: 400 and 404", async () => {
    assertError(await env.call("POST", "/auth-sessions", { scopes: [], strategy: "CREATE" }), 400, "missing_required_field");
    assertError(await env.call("POST", "/auth-sessions", { provider_id: "p", strategy: "CREATE" }), 400, "missing_required_field");
    assertError(await env.call("POST", "/auth-sessions", { provider_id: "p", scopes: "repo", strategy: "CREATE" }), 400, "invalid_request_body");
    assertError(await env.call("POST", "/auth-sessions", { provider_id: "p", scopes: [], strategy: "MAYBE" }), 400, "invalid_request_body");
    assertError(await env.call("GET", `/auth-sessions/${randomUUID()}`), 404, "auth_session_not_found");
    const s = (await env.call("POST", "/auth-sessions", { provider_id: "p", scopes: [], strategy: "CREATE" })).json;
    for (const w of ["0", "26", "1.5", "x"]) assertError(await env.call("GET", `/auth-sessions/${s.id}?wait_seconds=${w}`), 400, "invalid_request_body");
  });
});
