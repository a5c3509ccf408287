import { test } from "node:test";
import assert from "node:assert/strict";
import { operations } from "../../../contract/model/catalogue.ts";
import { documentedLinks, inferLinks, linksOf, type Link } from "../../../contract/model/links.ts";
import { managed, synthetic } from "./fixtures.ts";

const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
const show = (l: Link) => `${l.from.operationId} ${l.from.status} ${l.from.field} → ${l.to.operationId} ${l.to.in}:${l.to.name} (${l.origin})`;

/** A small API: pets made at POST /pets, read at /pets/{pet_id}, cloned, and visits that name a pet in the body. */
const pets = () =>
  synthetic({
    paths: {
      "/pets": { post: { operationId: "createPet", responses: { "201": json({ $ref: "#/components/schemas/Pet" }) } } },
      "/pets/{pet_id}": {
        parameters: [{ name: "pet_id", in: "path", required: true, schema: { type: "string" } }],
        get: { operationId: "getPet", responses: { "200": json({ $ref: "#/components/schemas/Pet" }), "404": { description: "no" } } },
      },
      "/pets/{pet_id}/clone": {
        parameters: [{ name: "pet_id", in: "path", required: true, schema: { type: "string" } }],
        post: { operationId: "clonePet", responses: { "201": json({ $ref: "#/components/schemas/Pet" }) } },
      },
      "/visits": {
        post: {
          operationId: "createVisit",
          requestBody: json({ type: "object", properties: { pet_id: { type: "string" }, name: { type: "string" } } }),
          responses: { "201": json({ type: "object", properties: { visit_id: { type: "string" }, pet_id: { type: "string" }, name: { type: "string" } } }) },
        },
      },
    },
    components: { schemas: { Pet: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } } } },
  });

test("a bare id names the resource its schema is read at, or the one after the operation's own path", () => {
  const spec = pets();
  const links = inferLinks(spec, operations(spec)).map(show);
  // POST /pets answers a Pet, read at /pets/{pet_id}: its id feeds pet_id in paths and bodies.
  assert.ok(links.includes("createPet 201 /id → getPet path:pet_id (inferred)"), links.join("\n"));
  assert.ok(links.includes("createPet 201 /id → clonePet path:pet_id (inferred)"));
  assert.ok(links.includes("createPet 201 /id → createVisit body:pet_id (inferred)"));
  // A clone answers a Pet too, although no path follows its own.
  assert.ok(links.includes("clonePet 201 /id → getPet path:pet_id (inferred)"));
  // A named id feeds what has its name; fields that are not identifiers feed nothing.
  assert.ok(links.includes("createVisit 201 /pet_id → getPet path:pet_id (inferred)"));
  assert.ok(!links.some((l) => l.includes("/name")), "a name is not an identifier");
  // visit_id feeds nothing: no operation takes it.
  assert.ok(!links.some((l) => l.includes("/visit_id")));
  // No operation links to itself.
  assert.ok(!links.some((l) => /^(\w+) .* → \1 /.test(l)));
});

test("the document's own links are read, and replace the inferred ones between the same operations", () => {
  const spec = pets();
  const doc = spec.document as any;
  doc.paths["/pets"].post.responses["201"].links = { read: { operationId: "getPet", parameters: { pet_id: "$response.body#/id" } }, ignored: { operationId: "nope" } };
  doc.paths["/pets"].post.responses["201"].links.visit = { operationId: "createVisit", requestBody: { pet_id: "{$response.body#/id}" } };
  const ops = operations(spec);
  assert.deepEqual(documentedLinks(spec, ops).map(show), ["createPet 201 /id → getPet path:pet_id (document)", "createPet 201 /id → createVisit body:pet_id (document)"]);
  const all = linksOf(spec, ops).map(show);
  assert.ok(all.includes("createPet 201 /id → getPet path:pet_id (document)"));
  assert.ok(!all.includes("createPet 201 /id → getPet path:pet_id (inferred)"), "inferred duplicates of a documented pair are dropped");
  assert.ok(all.includes("createPet 201 /id → clonePet path:pet_id (inferred)"), "other pairs are still inferred");
});

test("on the Managed document: threads take their agent's id, MCP servers and threads their own", async () => {
  const spec = await managed();
  const links = inferLinks(spec, operations(spec)).map(show);
  for (const expected of [
    "createManagedDeepAgent 201 /id → getManagedDeepAgent path:agent_id (inferred)",
    "createManagedDeepAgent 201 /id → createManagedDeepAgentThread body:agent_id (inferred)",
    "cloneManagedDeepAgent 201 /id → deleteManagedDeepAgent path:agent_id (inferred)",
    "createManagedDeepAgentThread 201 /id → createManagedDeepAgentThreadRun path:thread_id (inferred)",
    "createManagedDeepAgentThread 201 /agent_id → getManagedDeepAgent path:agent_id (inferred)",
    "createMcpServer 201 /id → deleteMcpServer path:mcp_server_id (inferred)",
    "listMcpServers 200 /*/id → getMcpServer path:mcp_server_id (inferred)",
  ])
    assert.ok(links.includes(expected), `${expected} missing`);
  assert.deepEqual(documentedLinks(spec, operations(spec)), [], "the Managed document declares no links");
});
