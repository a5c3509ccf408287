import { test } from "node:test";
import assert from "node:assert/strict";
import { danglingRefs, deref, parsePointer, pointer, resolvePointer } from "../../../contract/model/refs.ts";

const doc = {
  paths: { "/a/{id}": { get: { responses: { "200": { $ref: "#/components/responses/Ok" } } } } },
  components: {
    responses: { Ok: { description: "ok" }, Alias: { $ref: "#/components/responses/Ok" }, Loop: { $ref: "#/components/responses/Loop" } },
    schemas: {
      "a~b": { type: "string" },
      Tree: { type: "object", properties: { children: { type: "array", items: { $ref: "#/components/schemas/Tree" } } } },
      Broken: { properties: { x: { $ref: "#/components/schemas/Nowhere" }, y: { $ref: "other.yaml#/X" } } },
      WithExample: { examples: [{ $ref: "#/not/a/ref/just/data" }] },
    },
  },
};

test("pointers escape and unescape ~ and /", () => {
  assert.equal(pointer("paths", "/a/{id}", "get"), "#/paths/~1a~1{id}/get");
  assert.deepEqual(parsePointer("#/components/schemas/a~0b"), ["components", "schemas", "a~b"]);
  assert.deepEqual(parsePointer("#/paths/~1a~1%7Bid%7D"), ["paths", "/a/{id}"]);
  assert.equal(parsePointer("other.yaml#/X"), undefined);
  assert.deepEqual(resolvePointer(doc, "#/components/schemas/a~0b"), { type: "string" });
  assert.equal(resolvePointer(doc, "#/components/schemas/none"), undefined);
  assert.equal(resolvePointer(doc, "#"), doc);
});

test("deref follows chains, and reports loops and dangling targets instead of hanging", () => {
  const alias = deref(doc, { $ref: "#/components/responses/Alias" });
  assert.deepEqual(alias.value, { description: "ok" });
  assert.equal(alias.ref, "#/components/responses/Ok");
  assert.match(deref(doc, { $ref: "#/components/responses/Loop" }).broken ?? "", /refers to itself/);
  assert.match(deref(doc, { $ref: "#/components/schemas/Nowhere" }).broken ?? "", /resolves nowhere/);
});

test("dangling refs are found with their location; recursive refs and example data are not flagged", () => {
  const found = danglingRefs(doc).map((d) => `${d.at} -> ${d.ref}`);
  assert.deepEqual(found, [
    "#/components/schemas/Broken/properties/x -> #/components/schemas/Nowhere",
    "#/components/schemas/Broken/properties/y -> other.yaml#/X",
  ]);
});
