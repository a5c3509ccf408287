import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLED_SPECS, loadSpec, parseSpec, SpecError } from "../../../contract/model/load.ts";

let dir: string;
let server: Server;
let baseUrl: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "agentwire-spec-"));
  const yaml = await readFile(BUNDLED_SPECS["managed-deep-agents"], "utf8");
  server = createServer((req, res) => {
    if (req.url === "/openapi.yaml") res.writeHead(200, { "content-type": "application/yaml" }).end(yaml);
    else if (req.url === "/openapi.json") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ openapi: "3.0.3", info: { title: "Remote", version: "1" }, paths: {} }));
    else res.writeHead(404).end("nope");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function rejectsWith(source: string | Promise<unknown>, pattern: RegExp) {
  const promise = typeof source === "string" ? loadSpec(source) : source;
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SpecError, `expected a SpecError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

const write = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

test("both bundled specs load as OpenAPI 3.1 and are recognised", async () => {
  const managed = await loadSpec(BUNDLED_SPECS["managed-deep-agents"]);
  const agent = await loadSpec(BUNDLED_SPECS["agent-server"]);
  assert.equal(managed.id, "managed-deep-agents");
  assert.equal(managed.openapiVersion, "3.1.0");
  assert.equal(agent.id, "agent-server");
  assert.match(agent.document.info.description ?? "", /project's own/);
});

test("a spec loads from an http URL, YAML or JSON detected from the content", async () => {
  const yaml = await loadSpec(`${baseUrl}/openapi.yaml`);
  assert.equal(yaml.id, "managed-deep-agents");
  assert.equal(yaml.source, `${baseUrl}/openapi.yaml`);
  const json = await loadSpec(`${baseUrl}/openapi.json`);
  assert.equal(json.openapiVersion, "3.0.3");
  assert.equal(json.id, "remote");
});

test("a JSON document in a .yaml file and YAML in a .json file both parse", async () => {
  const jsonInYaml = await write("a.yaml", JSON.stringify({ openapi: "3.1.0", info: { title: "A", version: "1" }, paths: {} }));
  const yamlInJson = await write("b.json", "openapi: 3.0.1\ninfo:\n  title: B\n  version: '1'\npaths: {}\n");
  assert.equal((await loadSpec(jsonInYaml)).title, "A");
  assert.equal((await loadSpec(yamlInJson)).openapiVersion, "3.0.1");
});

test("bad inputs give one-line SpecErrors naming the problem", async () => {
  await rejectsWith(join(dir, "missing.yaml"), /cannot read spec .*missing\.yaml: no such file/);
  await rejectsWith(dir, /is a directory/);
  await rejectsWith(`${baseUrl}/absent.json`, /HTTP 404/);
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
  await rejectsWith(`http://127.0.0.1:${port}/openapi.json`, /cannot reach http:\/\/127\.0\.0\.1:\d+\/openapi\.json: .*ECONNREFUSED/);
  await rejectsWith(await write("list.yaml", "- a\n- b\n"), /not an OpenAPI document \(expected a mapping/);
  await rejectsWith(await write("plain.yaml", "name: something\n"), /not an OpenAPI document \(no "openapi" field\)/);
  await rejectsWith(await write("swagger.json", '{"swagger": "2.0"}'), /Swagger 2\.0 is not supported/);
  await rejectsWith(await write("v32.yaml", "openapi: 3.2.0\ninfo: {title: x, version: '1'}\n"), /unsupported OpenAPI version 3\.2\.0 \(supported: 3\.0\.x, 3\.1\.x\)/);
  await rejectsWith(await write("broken.yaml", "openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n"), /broken\.yaml: YAML parse error at line \d+, column \d+/);
  await rejectsWith(await write("broken.json", '{\n  "openapi": "3.1.0",\n  "info": {,\n}'), /broken\.json: JSON parse error at line 3/);
});

test("parseSpec reports the source it was given", () => {
  assert.throws(() => parseSpec("openapi: 9.0.0\n", "inline-text"), /^SpecError: inline-text: unsupported OpenAPI version 9\.0\.0/);
});
