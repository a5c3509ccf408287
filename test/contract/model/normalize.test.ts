import { test } from "node:test";
import assert from "node:assert/strict";
import { createValidator } from "../../../contract/model/validator.ts";
import { withSchemas } from "./fixtures.ts";

const schemas30 = {
  Name: { type: "string", nullable: true, example: "ann" },
  Colour: { type: "string", enum: ["red", "blue"], nullable: true },
  Holder: { type: "object", properties: { owner: { $ref: "#/components/schemas/Owner", nullable: true } } },
  Owner: { type: "object", required: ["id"], properties: { id: { type: "integer" } } },
  Strict: { type: "string", nullable: false },
  Bounded: { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false },
};

test("3.0 nullable becomes a type array, null in enums, or an anyOf beside a $ref", () => {
  const spec = withSchemas(schemas30, "3.0.3");
  const s = spec.document.components!.schemas! as Record<string, Record<string, unknown>>;
  assert.deepEqual(s.Name, { type: ["string", "null"], examples: ["ann"] });
  assert.deepEqual(s.Colour, { type: ["string", "null"], enum: ["red", "blue", null] });
  assert.deepEqual((s.Holder!.properties as Record<string, unknown>).owner, { anyOf: [{ $ref: "#/components/schemas/Owner" }, { type: "null" }] });
  assert.deepEqual(s.Strict, { type: "string" });
  assert.deepEqual(s.Bounded, { type: "number", exclusiveMinimum: 0, maximum: 10 });
});

test("normalised 3.0 schemas validate with 2020-12 semantics", () => {
  const v = createValidator(withSchemas(schemas30, "3.0.3"));
  assert.deepEqual(v.validate("#/components/schemas/Name", null), []);
  assert.deepEqual(v.validate("#/components/schemas/Colour", null), []);
  assert.deepEqual(v.validate("#/components/schemas/Colour", "green"), ['(root): must be one of "red", "blue", null']);
  assert.deepEqual(v.validate("#/components/schemas/Holder", { owner: null }), []);
  assert.deepEqual(v.validate("#/components/schemas/Holder", { owner: { id: 1 } }), []);
  assert.deepEqual(v.validate("#/components/schemas/Strict", null), ["(root): must be string"]);
  assert.deepEqual(v.validate("#/components/schemas/Bounded", 0), ["(root): must be > 0"]);
  assert.deepEqual(v.validate("#/components/schemas/Bounded", 10), []);
});

test("3.1 documents keep their semantics; only example is folded into examples", () => {
  const spec = withSchemas({ A: { type: "string", nullable: true, example: "x" }, B: { type: "number", exclusiveMinimum: 3 } });
  const s = spec.document.components!.schemas! as Record<string, unknown>;
  assert.deepEqual(s.A, { type: "string", nullable: true, examples: ["x"] });
  assert.deepEqual(s.B, { type: "number", exclusiveMinimum: 3 });
});
