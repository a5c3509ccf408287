import { test } from "node:test";
import assert from "node:assert/strict";
import { operations } from "../../../contract/model/catalogue.ts";
import { agentServer, managed, synthetic } from "./fixtures.ts";

const MANAGED_IDS = [
  "listManagedDeepAgents", "createManagedDeepAgent", "getManagedDeepAgent", "updateManagedDeepAgent", "deleteManagedDeepAgent",
  "listManagedDeepAgentThreads", "createManagedDeepAgentThread", "searchManagedDeepAgentThreads", "countManagedDeepAgentThreads",
  "getManagedDeepAgentThread", "updateManagedDeepAgentThread", "deleteManagedDeepAgentThread", "createManagedDeepAgentThreadRun",
  "streamManagedDeepAgentThreadRun", "resolveManagedDeepAgentThreadInterrupt", "createMcpServer", "listMcpServers", "getMcpServer",
  "updateMcpServer", "deleteMcpServer", "registerMcpOAuthProvider", "listMcpTools", "startAuthSession", "getAuthSession",
  "cloneManagedDeepAgent", "getManagedDeepAgentHealth", "createManagedDeepAgentThreadAndRun", "bulkUpdateManagedDeepAgentThreads",
];

const AGENT_SERVER_IDS = [
  "create_assistant_assistants_post", "search_assistants_assistants_search_post", "count_assistants_assistants_count_post",
  "get_assistant_assistants__assistant_id__get", "delete_assistant_assistants__assistant_id__delete", "patch_assistant_assistants__assistant_id__patch",
  "get_assistant_graph_assistants__assistant_id__graph_get", "get_assistant_subgraphs_assistants__assistant_id__subgraphs_get",
  "get_assistant_subgraphs_assistants__assistant_id__subgraphs__namespace__get", "get_assistant_schemas_assistants__assistant_id__schemas_get",
  "get_assistant_versions_assistants__assistant_id__versions_get", "set_latest_assistant_version_assistants__assistant_id__versions_post",
  "create_thread_threads_post", "search_threads_threads_search_post", "count_threads_threads_count_post", "prune_threads_threads_prune_post",
  "get_latest_thread_state_threads__thread_id__state_get", "update_thread_state_threads__thread_id__state_post",
  "get_thread_state_at_checkpoint_threads__thread_id__state__checkpoint_id__get", "post_thread_state_at_checkpoint_threads__thread_id__state__checkpoint_id__get",
  "get_thread_history_threads__thread_id__history_get", "get_thread_history_post_threads__thread_id__history_post", "copy_thread_post_threads__thread_id__copy_post",
  "get_thread_threads__thread_id__get", "delete_thread_threads__thread_id__delete", "patch_thread_threads__thread_id__patch",
  "join_thread_stream_threads__thread_id__stream_get", "protocol_thread_events_post", "list_runs_http_threads__thread_id__runs_get",
  "create_run_threads__thread_id__runs_post", "create_thread_cron_threads__thread_id__runs_crons_post", "stream_run_threads__thread_id__runs_stream_post",
  "wait_run_threads__thread_id__runs_wait_post", "get_run_http_threads__thread_id__runs__run_id__get", "delete_run_threads__thread_id__runs__run_id__delete",
  "join_run_http_threads__thread_id__runs__run_id__join_get", "stream_run_http_threads__thread_id__runs__run_id__join_get",
  "cancel_run_http_threads__thread_id__runs__run_id__cancel_post", "create_cron_runs_crons_post", "search_crons_runs_crons_post",
  "count_crons_runs_crons_count_post", "stream_run_stateless_runs_stream_post", "cancel_runs_post", "wait_run_stateless_runs_wait_post",
  "run_stateless_runs_post", "run_batch_stateless_runs_post", "get_cron_runs_crons__cron_id__get", "patch_cron_runs_crons__cron_id__patch",
  "delete_cron_runs_crons__cron_id__delete", "put_item", "delete_item", "get_item", "search_items", "list_namespaces", "post_a2a", "post_mcp",
  "get_mcp", "delete_mcp", "server_info_info_get", "system_metrics_metrics_get", "docs_get", "health_check_ok_get", "protocol_thread_command_post",
];

test("the Managed Deep Agents catalogue lists its 28 operations in document order", async () => {
  const ops = operations(await managed());
  assert.equal(ops.length, 28);
  assert.deepEqual(ops.map((o) => o.operationId), MANAGED_IDS);
  assert.ok(ops.every((o) => o.specId === "managed-deep-agents" && !o.operationIdSynthesized));
});

test("the Agent Server catalogue lists its 63 operations in document order", async () => {
  const ops = operations(await agentServer());
  assert.equal(ops.length, 63);
  assert.deepEqual(ops.map((o) => o.operationId), AGENT_SERVER_IDS);
});

test("Managed operations carry the X-Api-Key requirement, resolved parameters and shared responses", async () => {
  const ops = operations(await managed());
  const byId = new Map(ops.map((o) => [o.operationId, o]));
  assert.ok(ops.every((o) => o.security.apiKeyHeader === "X-Api-Key" && !o.security.optional));
  const stream = byId.get("streamManagedDeepAgentThreadRun")!;
  assert.equal(stream.method, "POST");
  assert.equal(stream.path, "/threads/{thread_id}/runs/stream");
  assert.equal(stream.streaming, true);
  assert.deepEqual(stream.responses.find((r) => r.status === "200")!.content.map((c) => c.mediaType), ["text/event-stream"]);
  assert.equal(stream.requestBody?.required, true);
  assert.equal(stream.requestBody?.content[0]?.schemaRef, "#/paths/~1threads~1{thread_id}~1runs~1stream/post/requestBody/content/application~1json/schema");
  assert.deepEqual(ops.filter((o) => o.streaming).map((o) => o.operationId), ["streamManagedDeepAgentThreadRun"]);

  const get = byId.get("getManagedDeepAgent")!;
  assert.deepEqual(get.parameters.map((p) => `${p.in}:${p.name}:${p.required}:${p.style}:${p.explode}`), ["path:agent_id:true:simple:false", "query:include_files:false:form:true"]);
  assert.equal(get.parameters[0]!.schemaRef, "#/components/parameters/AgentID/schema");
  const unauthorized = get.responses.find((r) => r.status === "401")!;
  assert.match(unauthorized.content[0]!.schemaRef ?? "", /^#\/components\/responses\/Unauthorized\/content\/application~1json\/schema$/);
  const list = byId.get("listManagedDeepAgents")!;
  assert.deepEqual(list.parameters.find((p) => p.name === "page_size")!.schema, { type: "integer", minimum: 1, maximum: 100, default: 20 });
});

test("Agent Server operations need no credentials and document response headers", async () => {
  const ops = operations(await agentServer());
  assert.ok(ops.every((o) => o.security.optional && o.security.schemes.length === 0 && o.security.apiKeyHeader === undefined));
  const create = ops.find((o) => o.operationId === "create_run_threads__thread_id__runs_post")!;
  const ok = create.responses.find((r) => r.status === "200")!;
  assert.deepEqual(ok.headers.map((h) => [h.name, h.required]), [["Content-Location", false]]);
  assert.deepEqual(
    ops.filter((o) => o.streaming).map((o) => `${o.method} ${o.path}`),
    ["GET /threads/{thread_id}/stream", "POST /threads/{thread_id}/stream/events", "POST /threads/{thread_id}/runs/stream", "GET /threads/{thread_id}/runs/{run_id}/stream", "POST /runs/stream", "POST /a2a/{assistant_id}"],
  );
  assert.deepEqual(ops.find((o) => o.operationId === "post_a2a")!.parameters.map((p) => `${p.in}:${p.name}:${p.required}`), ["path:assistant_id:true", "header:Accept:true"]);
});

test("path-level parameters merge with operation ones, ranges and default keep their keys, missing ids are synthesised", () => {
  const spec = synthetic({
    components: { securitySchemes: { key: { type: "apiKey", in: "header", name: "X-Key" }, bearer: { type: "http", scheme: "Bearer" } } },
    security: [{ key: [] }],
    paths: {
      "/items/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, { name: "trace", in: "header", schema: { type: "string" } }],
        get: {
          parameters: [{ name: "trace", in: "header", required: true, schema: { type: "integer" } }, { name: "tags", in: "query", style: "form", explode: false, schema: { type: "array" } }],
          security: [{ bearer: [] }, {}],
          responses: { "200": { description: "ok" }, "4xx": { description: "client" }, default: { description: "other" } },
        },
      },
    },
  });
  const [op] = operations(spec);
  assert.ok(op);
  assert.equal(op.operationId, "get_items_id");
  assert.equal(op.operationIdSynthesized, true);
  assert.deepEqual(op.parameters.map((p) => `${p.in}:${p.name}:${p.required}:${JSON.stringify(p.schema)}:${p.explode}`), [
    'path:id:true:{"type":"string"}:false',
    'header:trace:true:{"type":"integer"}:false',
    'query:tags:false:{"type":"array"}:false',
  ]);
  assert.deepEqual(op.responses.map((r) => r.status), ["200", "4XX", "default"]);
  assert.deepEqual(op.security, { optional: true, schemes: [{ type: "http", schemeName: "bearer", scheme: "bearer" }] });
});
