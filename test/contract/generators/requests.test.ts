import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { operations } from "../../../contract/model/catalogue.ts";
import { createValidator } from "../../../contract/model/validator.ts";
import { invalidRequestArbitrary, requestArbitrary, serializeParam, toHttpRequest } from "../../../contract/generators/requests.ts";
import type { Operation } from "../../../contract/model/types.ts";
import { bothSpecs, managed, synthetic } from "../model/fixtures.ts";

const SEED = 777;

type Matches = (schema: unknown, value: unknown) => boolean;

/** The ways a server may read a scalar parameter's text: as the text itself, or as the number/boolean it spells. */
function readings(op: Operation, where: string, name: string, value: unknown): { sent: string | string[] | undefined; as: unknown[] } {
  const p = op.parameters.find((x) => x.in === where && x.name === name)!;
  const sent = serializeParam(p, value);
  if (typeof sent !== "string") return { sent, as: [] };
  return { sent, as: [sent, ...(sent !== "" && !Number.isNaN(Number(sent)) ? [Number(sent)] : []), ...(sent === "true" || sent === "false" ? [sent === "true"] : [])] };
}

function validParam(op: Operation, where: string, name: string, value: unknown, matches: Matches): boolean {
  const p = op.parameters.find((x) => x.in === where && x.name === name)!;
  const r = readings(op, where, name, value);
  if (r.sent === undefined) return !p.required && matches(p.schema, value);
  return matches(p.schema, value) && (typeof r.sent !== "string" || Array.isArray(value) || r.as.some((c) => matches(p.schema, c)));
}

/** Scalars: no reading of the text is valid. Arrays and objects: the value itself is invalid. */
function invalidParam(op: Operation, where: string, name: string, value: unknown, matches: Matches): boolean {
  const p = op.parameters.find((x) => x.in === where && x.name === name)!;
  const r = readings(op, where, name, value);
  return value !== null && typeof value === "object" ? !matches(p.schema, value) : r.as.every((c) => !matches(p.schema, c));
}

test("valid requests for every operation of both specs: parameters and bodies pass the document's schemas", async () => {
  for (const spec of await bothSpecs()) {
    const v = createValidator(spec);
    for (const op of operations(spec)) {
      const media = op.requestBody?.content.find((c) => c.mediaType === "application/json");
      for (const req of fc.sample(requestArbitrary(op, v), { seed: SEED, numRuns: 25 })) {
        assert.equal(req.operationId, op.operationId);
        for (const p of op.parameters.filter((x) => x.required && x.in === "path")) assert.ok(p.name in req.path, `${op.operationId}: path ${p.name}`);
        for (const [where, bucket] of [["path", req.path], ["query", req.query], ["header", req.headers]] as const) {
          for (const [name, value] of Object.entries(bucket)) assert.ok(validParam(op, where, name, value, (s, x) => v.matches(s as never, x)), `${op.operationId}: ${where} ${name}=${JSON.stringify(value)}`);
        }
        if (req.body && "value" in req.body) assert.deepEqual(v.validate(media!.schemaRef!, req.body.value), [], op.operationId);
        else if (op.requestBody?.required) assert.fail(`${op.operationId}: required body missing`);
        const http = toHttpRequest(req, op, { baseUrl: "http://127.0.0.1:9/v1/deepagents/", headers: { "X-Api-Key": "lsv2_test_key" } });
        assert.ok(http.url.startsWith("http://127.0.0.1:9/v1/deepagents/"));
        assert.ok(!http.url.includes("{"), http.url);
      }
    }
  }
});

test("fixed values are used as given and never mutated; secret headers are never generated", async () => {
  const spec = await managed();
  const v = createValidator(spec);
  const op = operations(spec).find((o) => o.operationId === "getManagedDeepAgent")!;
  const fixed = { path: { agent_id: "00000000-0000-4000-8000-000000000000" } };
  for (const req of fc.sample(requestArbitrary(op, v, { fixed }), { seed: SEED, numRuns: 30 })) assert.equal(req.path.agent_id, fixed.path.agent_id);
  for (const bad of fc.sample(invalidRequestArbitrary(op, v, { fixed })!, { seed: SEED, numRuns: 30 })) {
    assert.equal(bad.path.agent_id, fixed.path.agent_id);
    assert.notEqual(bad.mutation.target, "agent_id");
  }
  const withKey = synthetic({ paths: { "/x": { get: { operationId: "x", parameters: [{ name: "X-Api-Key", in: "header", required: true, schema: { type: "string" } }], responses: { "200": { description: "ok" } } } } } });
  const [x] = operations(withKey);
  const vx = createValidator(withKey);
  for (const req of fc.sample(requestArbitrary(x!, vx, { fixed: { header: { "X-Api-Key": "lsv2_leak" } } }), { seed: SEED, numRuns: 10 })) assert.deepEqual(req.headers, {});
});

test("serialisation follows OpenAPI defaults: form/explode queries, simple paths and headers, encoded values", () => {
  const spec = synthetic({
    paths: {
      "/things/{id}/{tags}": {
        post: {
          operationId: "post",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "tags", in: "path", required: true, schema: { type: "array", items: { type: "string" } } },
            { name: "multi", in: "query", schema: { type: "array", items: { type: "integer" } } },
            { name: "joined", in: "query", explode: false, schema: { type: "array", items: { type: "string" } } },
            { name: "piped", in: "query", style: "pipeDelimited", explode: false, schema: { type: "array", items: { type: "string" } } },
            { name: "filter", in: "query", style: "deepObject", schema: { type: "object" } },
            { name: "flag", in: "query", schema: { type: "boolean" } },
            { name: "X-Trace", in: "header", schema: { type: "array", items: { type: "string" } } },
          ],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
          responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } }, "text/event-stream": {} } } },
        },
      },
    },
  });
  const [op] = operations(spec);
  const http = toHttpRequest(
    { operationId: "post", path: { id: "a b/c", tags: ["x", "y"] }, query: { multi: [1, 2], joined: ["p", "q"], piped: ["r", "s"], filter: { k: "v w" }, flag: false }, headers: { "X-Trace": ["t1", "t2"] }, body: { mediaType: "application/json", value: { a: 1 } } },
    op!,
    { baseUrl: "http://h:1/base/", headers: { Authorization: "Bearer secret", Accept: "application/json" } },
  );
  assert.equal(http.method, "POST");
  assert.equal(http.url, "http://h:1/base/things/a%20b%2Fc/x%2Cy?multi=1&multi=2&joined=p%2Cq&piped=r%7Cs&filter%5Bk%5D=v%20w&flag=false");
  assert.deepEqual(http.headers, { accept: "application/json", "x-trace": "t1,t2", "content-type": "application/json", authorization: "Bearer secret" });
  assert.equal(http.body, '{"a":1}');
  const defaults = toHttpRequest({ operationId: "post", path: { id: "i", tags: [] }, query: {}, headers: {}, body: { mediaType: "application/json", text: "{oops" } }, op!, { baseUrl: "http://h:1" });
  assert.equal(defaults.headers.accept, "application/json, text/event-stream");
  assert.equal(defaults.body, "{oops");
});

test("invalid requests carry one labelled mutation that the document really rejects", async () => {
  for (const spec of await bothSpecs()) {
    const v = createValidator(spec);
    for (const op of operations(spec)) {
      const arb = invalidRequestArbitrary(op, v);
      if (!arb) {
        // Only operations with nothing to get wrong: no parameters beyond free-form strings, no body.
        assert.equal(op.requestBody, undefined, op.operationId);
        continue;
      }
      for (const bad of fc.sample(arb, { seed: SEED, numRuns: 15 })) {
        const m = bad.mutation;
        assert.ok(m.description.length > 0);
        if (m.kind === "missing-body") assert.equal(bad.body, undefined);
        else if (m.kind === "malformed-json") assert.ok(bad.body && "text" in bad.body && (() => { try { JSON.parse(bad.body.text); return false; } catch { return true; } })());
        else if (m.location === "body") {
          const media = op.requestBody!.content.find((c) => c.mediaType === "application/json")!;
          assert.ok(bad.body && "value" in bad.body);
          assert.notDeepEqual(v.validate(media.schemaRef!, bad.body.value), [], `${op.operationId}: ${m.description}`);
        } else if (m.kind === "missing-parameter") {
          const bucket = m.location === "header" ? bad.headers : m.location === "query" ? bad.query : bad.path;
          assert.equal(m.target in bucket, false);
        } else {
          const bucket = m.location === "header" ? bad.headers : m.location === "query" ? bad.query : bad.path;
          assert.ok(invalidParam(op, m.location, m.target, bucket[m.target], (s, x) => v.matches(s as never, x)), `${op.operationId}: ${m.description}`);
        }
      }
    }
  }
});

test("query parameter bounds of listManagedDeepAgents produce the expected negative inputs", async () => {
  const spec = await managed();
  const v = createValidator(spec);
  const op = operations(spec).find((o) => o.operationId === "listManagedDeepAgents")!;
  const seen = new Set<string>();
  for (const bad of fc.sample(invalidRequestArbitrary(op, v)!, { seed: SEED, numRuns: 300 })) {
    if (bad.mutation.location === "query") seen.add(`${bad.mutation.target} ${bad.mutation.kind} ${JSON.stringify(bad.query[bad.mutation.target])}`);
  }
  for (const expected of ["page_size below-minimum 0", "page_size above-maximum 101", 'page_size wrong-type "not-a-number"', 'sort_by not-in-enum "created_at_not_allowed"']) {
    assert.ok(seen.has(expected), `missing ${expected}; saw ${[...seen].join(" | ")}`);
  }
});
