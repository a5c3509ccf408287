import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { operations } from "../../../contract/model/catalogue.ts";
import { createValidator } from "../../../contract/model/validator.ts";
import { arbitraryFor, genContext } from "../../../contract/generators/arbitrary.ts";
import { invalidArbitraryFor, invalidVariants, malformedJson } from "../../../contract/generators/invalid.ts";
import { bothSpecs, withSchemas } from "../model/fixtures.ts";

const SEED = 424242;

test("every invalid variant of every component schema and request body fails validation", async () => {
  for (const spec of await bothSpecs()) {
    const ctx = genContext(createValidator(spec));
    // A second validator instance judges, so the check does not reuse the generator's own cache.
    const judge = createValidator(spec);
    const refs = Object.keys(spec.document.components?.schemas ?? {}).map((n) => `#/components/schemas/${n}`);
    for (const op of operations(spec)) for (const c of op.requestBody?.content ?? []) if (c.schemaRef) refs.push(c.schemaRef);
    for (const ref of refs) {
      let variants = 0;
      for (const value of fc.sample(arbitraryFor({ $ref: ref }, ctx), { seed: SEED, numRuns: 12 })) {
        for (const variant of invalidVariants({ $ref: ref }, value, ctx)) {
          variants++;
          assert.notDeepEqual(judge.validate(ref, variant.value), [], `${spec.id} ${ref}: ${variant.description} was accepted`);
        }
      }
      assert.ok(variants > 0, `${spec.id} ${ref}: no invalid variant`);
    }
  }
});

test("each kind of mutation is produced, labelled with what is wrong and where", () => {
  const spec = withSchemas({
    Item: {
      type: "object",
      additionalProperties: false,
      required: ["id", "name", "count", "tags", "kind"],
      properties: {
        id: { type: "string", format: "uuid" },
        name: { type: "string", minLength: 2, maxLength: 4, pattern: "^[a-z]+$" },
        count: { type: "integer", minimum: 1, exclusiveMaximum: 10, multipleOf: 2 },
        tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 2, uniqueItems: true },
        kind: { enum: ["a", "b"] },
        fixed: { const: 3 },
      },
    },
  });
  const ctx = genContext(createValidator(spec));
  const value = { id: "11111111-1111-1111-1111-111111111111", name: "abc", count: 4, tags: ["x"], kind: "a", fixed: 3 };
  const variants = invalidVariants({ $ref: "#/components/schemas/Item" }, value, ctx);
  const label = (v: { kind: string; description: string }) => `${v.kind} ${v.description}`;
  const labels = variants.map(label);
  for (const expected of [
    'wrong-type (root): ["not","an","object"] where object is required',
    'missing-required /name: required property "name" left out',
    'unexpected-property /unexpected_property: property "unexpected_property" added where additional properties are not allowed',
    'bad-format /id: "not-a-uuid" is not a valid uuid',
    "too-long /name: 5 characters, more than maxLength 4",
    "too-short /name: 1 characters, fewer than minLength 2",
    'pattern-mismatch /name: "!!" does not match the pattern ^[a-z]+$',
    'wrong-type /count: "not-a-number" where integer is required',
    "below-minimum /count: 0 is below the minimum 1",
    "above-maximum /count: 10 equals the exclusive maximum",
    "not-multiple-of /count: 5 is not a multiple of 2",
    "too-few-items /tags: 0 items, fewer than minItems 1",
    "too-many-items /tags: 3 items, more than maxItems 2",
    "duplicate-items /tags: the first item repeated although items must be unique",
    "wrong-type /tags/0: 12345 where string is required",
    'not-in-enum /kind: "a_not_allowed" is not one of the allowed values',
    "not-in-enum /fixed: 4 instead of the constant 3",
  ]) {
    assert.ok(labels.includes(expected), `missing: ${expected}\n got: ${labels.join("\n      ")}`);
  }
  const missing = variants.find((v) => v.kind === "missing-required" && v.path === "/name")!;
  assert.equal("name" in (missing.value as object), false);
  assert.equal((value as { name: string }).name, "abc", "the valid value is left untouched");
});

test("a variant another branch accepts is dropped (no false negatives from unions)", () => {
  const spec = withSchemas({ U: { anyOf: [{ type: "string", maxLength: 2 }, { type: "integer" }] } });
  const ctx = genContext(createValidator(spec));
  const variants = invalidVariants({ $ref: "#/components/schemas/U" }, "ab", ctx);
  // 12345 would be a valid integer, so the wrong type offered is a fraction; "xxx" breaks maxLength and is no integer.
  assert.deepEqual(variants.map((v) => [v.kind, v.value]), [["wrong-type", 1.5], ["too-long", "xxx"]]);
});

test("invalidArbitraryFor gives labelled invalid values, or nothing when every value is allowed", () => {
  const spec = withSchemas({ Any: {}, Name: { type: "string", maxLength: 3 } });
  const v = createValidator(spec);
  const ctx = genContext(v);
  assert.equal(invalidArbitraryFor({ $ref: "#/components/schemas/Any" }, ctx), undefined);
  const arb = invalidArbitraryFor({ $ref: "#/components/schemas/Name" }, ctx)!;
  for (const variant of fc.sample(arb, { seed: SEED, numRuns: 50 })) assert.notDeepEqual(v.validate("#/components/schemas/Name", variant.value), []);
});

test("malformed JSON variants never parse", () => {
  for (const value of [{ a: 1 }, [], "s", 0, null]) {
    const variants = malformedJson(value);
    assert.ok(variants.length >= 2);
    for (const m of variants) assert.throws(() => JSON.parse(m.text), SyntaxError, m.text);
  }
});
