import { test } from "node:test";
import assert from "node:assert/strict";
import { operations } from "../../../contract/model/catalogue.ts";
import { createValidator, responseFor, responseHeaderSchemaFor, responseSchemaFor } from "../../../contract/model/validator.ts";
import { agentServer, managed, synthetic } from "./fixtures.ts";

test("messages name the instance path and the broken rule", async () => {
  const v = createValidator(await agentServer());
  const errors = v.validate("#/components/schemas/Thread", { thread_id: "x", created_at: 5, updated_at: "2024-01-01T00:00:00Z", metadata: {}, status: "idle", extra: 1 });
  assert.deepEqual(errors, ['/thread_id: must match format "uuid"', "/created_at: must be string"]);
  assert.deepEqual(v.validate("#/components/schemas/ThreadPruneRequest", {}), ['(root): missing required property "thread_ids"']);
});

test("anyOf/oneOf failures give the combinator's message, not every branch's", async () => {
  const spec = synthetic({ components: { schemas: { U: { anyOf: [{ type: "string" }, { type: "integer" }] }, O: { oneOf: [{ type: "number" }, { type: "integer" }] }, C: { type: "object", additionalProperties: false, properties: { a: { const: 1 } } } } } });
  const v = createValidator(spec);
  assert.deepEqual(v.validate("#/components/schemas/U", true), ["(root): matches none of the anyOf alternatives"]);
  assert.deepEqual(v.validate("#/components/schemas/O", 3), ["(root): matches more than one of the oneOf alternatives"]);
  assert.deepEqual(v.validate("#/components/schemas/C", { a: 2, b: 0 }), ['(root): unexpected property "b"', "/a: must equal 1"]);
});

test("recursive schemas validate through the whole document, including refs into paths", async () => {
  const spec = await agentServer();
  const v = createValidator(spec);
  const leaf = { values: {}, next: [], checkpoint: { thread_id: "t" }, metadata: {}, created_at: "2024-01-01T00:00:00Z" };
  const nested = { ...leaf, tasks: [{ id: "t", name: "n", state: { ...leaf, tasks: [{ id: "u", name: "m", state: leaf }] } }] };
  assert.deepEqual(v.validate("#/components/schemas/ThreadState", nested), []);
  const op = operations(spec).find((o) => o.operationId === "get_thread_history_threads__thread_id__history_get")!;
  const ref = responseSchemaFor(op, 200, "application/json")!;
  assert.equal(ref, "#/paths/~1threads~1{thread_id}~1history/get/responses/200/content/application~1json/schema");
  assert.deepEqual(v.validate(ref, [nested]), []);
  assert.deepEqual(v.validate(ref, [{ ...leaf, tasks: [{ id: "t", name: "n", state: { ...leaf, values: 1 } }] }]), ["/0/tasks/0/state/values: matches none of the anyOf alternatives"]);
});

test("schema objects taken from the document validate through their pointer; other schemas resolve refs too", async () => {
  const spec = await managed();
  const v = createValidator(spec);
  const agentId = operations(spec).find((o) => o.operationId === "getManagedDeepAgent")!.parameters[0]!.schema!;
  assert.equal(v.matches(agentId, "11111111-1111-1111-1111-111111111111"), true);
  assert.deepEqual(v.validateSchema(agentId, "abc"), ['(root): must match format "uuid"']);
  assert.equal(v.matches({ type: "array", items: { $ref: "#/components/schemas/McpServerHeader" } }, [{ key: "a", value: "b" }]), true);
  assert.equal(v.matches({ type: "array", items: { $ref: "#/components/schemas/McpServerHeader" } }, [{ key: "a" }]), false);
  assert.equal(v.matches(false, 1), false);
});

test("a response schema is picked by exact status, then range, then default; media types match loosely", () => {
  const spec = synthetic({
    paths: {
      "/x": {
        get: {
          operationId: "x",
          responses: {
            "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } }, headers: { "X-Rate": { required: true, schema: { type: "integer" } } } },
            "4XX": { description: "client", content: { "application/*": { schema: { type: "string" } } } },
            default: { description: "other", content: { "*/*": { schema: { type: "number" } } } },
          },
        },
      },
    },
  });
  const [op] = operations(spec);
  assert.ok(op);
  assert.equal(responseFor(op, 200)?.status, "200");
  assert.equal(responseFor(op, 404)?.status, "4XX");
  assert.equal(responseFor(op, 503)?.status, "default");
  assert.equal(responseSchemaFor(op, 200, "application/json; charset=utf-8"), "#/paths/~1x/get/responses/200/content/application~1json/schema");
  assert.equal(responseSchemaFor(op, 200, "text/plain"), undefined);
  assert.equal(responseSchemaFor(op, 422, "application/problem+json"), "#/paths/~1x/get/responses/4XX/content/application~1*/schema");
  assert.equal(responseSchemaFor(op, 500, "text/html"), "#/paths/~1x/get/responses/default/content/*~1*/schema");
  const header = responseHeaderSchemaFor(op, 200, "x-rate")!;
  const v = createValidator(spec);
  assert.deepEqual(v.validate(header, 5), []);
  assert.deepEqual(v.validate(header, "5"), ["(root): must be integer"]);
});

test("unknown formats and x- extensions are accepted under strict mode", () => {
  const spec = synthetic({ components: { schemas: { A: { type: "string", format: "snowflake", "x-internal": true, example: "1", discriminator: { propertyName: "kind" } } } } });
  assert.deepEqual(createValidator(spec).validate("#/components/schemas/A", "anything"), []);
});
