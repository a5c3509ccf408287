import { test } from "node:test";
import assert from "node:assert/strict";
import { lint, LINT_RULES } from "../../../contract/model/lint.ts";
import { agentServer, managed, synthetic } from "./fixtures.ts";

const ok = { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } }, "404": { description: "missing" } };

const bad = synthetic({
  paths: {
    "/runs/stream": { post: { operationId: "streamRuns", responses: { "200": { description: "events", content: { "application/json": { schema: { type: "object" } } } }, "422": { description: "bad" } } } },
    "/tail": { get: { operationId: "tailLog", summary: "Stream the log", responses: { ...ok } } },
    "/health": { get: { operationId: "health", responses: { "200": { description: "ok" } } } },
    "/items": {
      get: { operationId: "listItems", responses: { "200": { description: "ok", content: { "application/json": {} } }, default: { $ref: "#/components/responses/Nowhere" } } },
      post: { operationId: "listItems", responses: { ...ok } },
    },
    "/things/{thing_id}": { get: { operationId: "getThing", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { ...ok } } },
    "/anon": { get: { responses: { ...ok } } },
    "/examples": {
      post: {
        operationId: "withExamples",
        requestBody: { content: { "application/json": { schema: { type: "object", required: ["n"], properties: { n: { type: "integer" } } }, examples: { good: { value: { n: 1 } }, wrong: { value: { n: "one" } } } } } },
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "string" }, example: 42 } } }, "404": { description: "missing" } },
      },
    },
  },
});

test("each lint rule fires on a small spec that breaks it", () => {
  const issues = lint(bad);
  const rules = (id: string | undefined) => issues.filter((i) => i.operationId === id).map((i) => i.rule).sort();
  assert.deepEqual(rules("streamRuns"), ["streaming-not-declared"]);
  assert.deepEqual(rules("tailLog"), ["streaming-not-declared"]);
  assert.deepEqual(rules("health"), ["no-error-response"]);
  // The only error response of GET /items is the dangling ref, so it also counts as documenting none.
  assert.deepEqual(rules("listItems"), ["duplicate-operation-id", "json-response-without-schema", "no-error-response", "unresolved-ref"]);
  assert.deepEqual(rules("getThing"), ["path-parameter-not-in-path", "path-parameter-undeclared"]);
  assert.deepEqual(rules("get_anon"), ["operation-id-missing"]);
  assert.deepEqual(issues.filter((i) => i.operationId === "withExamples").map((i) => i.message), [
    'POST /examples: the request application/json example "wrong" does not match its schema: /n: must be integer',
    'POST /examples: the 200 application/json example "example" does not match its schema: (root): must be string',
  ]);
  assert.deepEqual(new Set(issues.map((i) => i.rule)), new Set(Object.keys(LINT_RULES)));
  const stream = issues.find((i) => i.operationId === "streamRuns")!;
  assert.equal(stream.message, "POST /runs/stream: looks like a stream but documents application/json, not text/event-stream");
  const ref = issues.find((i) => i.rule === "unresolved-ref")!;
  assert.match(ref.message, /"#\/components\/responses\/Nowhere" at #\/paths\/~1items\/get\/responses\/default resolves nowhere/);
});

test("the Managed Deep Agents spec: its stream operation is declared text/event-stream; two response examples contradict their schemas", async () => {
  assert.deepEqual(lint(await managed()).map((i) => `${i.rule} ${i.operationId}`), ["example-invalid createManagedDeepAgentThread", "example-invalid createMcpServer"]);
});

test("the Agent Server spec's only lint findings are the system operations without documented errors", async () => {
  const issues = lint(await agentServer());
  assert.deepEqual(issues.map((i) => `${i.rule} ${i.operationId}`), [
    "example-invalid post_a2a",
    "example-invalid post_a2a",
    "no-error-response server_info_info_get",
    "no-error-response system_metrics_metrics_get",
    "no-error-response docs_get",
  ]);
});
