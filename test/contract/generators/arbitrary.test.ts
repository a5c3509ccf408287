import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { operations } from "../../../contract/model/catalogue.ts";
import { createValidator } from "../../../contract/model/validator.ts";
import { arbitraryFor, GeneratorError, genContext } from "../../../contract/generators/arbitrary.ts";
import type { LoadedSpec } from "../../../contract/model/types.ts";
import { bothSpecs, withSchemas } from "../model/fixtures.ts";

const SEED = 20260101;

/** Every component schema and every request body schema of a spec, by pointer. */
function targets(spec: LoadedSpec): [string, string][] {
  const out: [string, string][] = Object.keys(spec.document.components?.schemas ?? {}).map((n) => [n, `#/components/schemas/${n}`]);
  for (const op of operations(spec)) for (const c of op.requestBody?.content ?? []) if (c.schemaRef) out.push([`${op.operationId} body`, c.schemaRef]);
  return out;
}

test("generated values pass the validator for every component schema and request body of both specs", async () => {
  for (const spec of await bothSpecs()) {
    const v = createValidator(spec);
    const ctx = genContext(v);
    const all = targets(spec);
    assert.ok(all.length > 50);
    for (const [name, ref] of all) {
      fc.assert(
        fc.property(arbitraryFor({ $ref: ref }, ctx), (value) => {
          const errors = v.validate(ref, value);
          assert.deepEqual(errors, [], `${spec.id} ${name}`);
        }),
        { seed: SEED, numRuns: 200 },
      );
    }
  }
});

const keywordSchemas = {
  Formats: {
    type: "object",
    required: ["uuid", "dateTime", "date", "time", "uri", "uriRef", "email", "host", "ipv4", "ipv6", "byte", "duration", "pointer"],
    properties: {
      uuid: { type: "string", format: "uuid" },
      dateTime: { type: "string", format: "date-time" },
      date: { type: "string", format: "date" },
      time: { type: "string", format: "time" },
      uri: { type: "string", format: "uri" },
      uriRef: { type: "string", format: "uri-reference" },
      email: { type: "string", format: "email" },
      host: { type: "string", format: "hostname" },
      ipv4: { type: "string", format: "ipv4" },
      ipv6: { type: "string", format: "ipv6" },
      byte: { type: "string", format: "byte" },
      duration: { type: "string", format: "duration" },
      pointer: { type: "string", format: "json-pointer" },
      int32: { type: "integer", format: "int32" },
      custom: { type: "string", format: "made-up" },
    },
  },
  Numbers: {
    type: "object",
    required: ["a", "b", "c", "d", "e"],
    properties: {
      a: { type: "integer", minimum: -3, maximum: 7 },
      b: { type: "integer", exclusiveMinimum: 0, exclusiveMaximum: 4 },
      c: { type: "integer", multipleOf: 5, minimum: 1, maximum: 42 },
      d: { type: "number", exclusiveMinimum: 0, maximum: 1 },
      e: { type: "number", multipleOf: 0.25, minimum: -2, maximum: 2 },
    },
  },
  Strings: {
    type: "object",
    required: ["bounded", "code", "slug"],
    properties: {
      bounded: { type: "string", minLength: 2, maxLength: 5 },
      code: { type: "string", pattern: "^[A-Z]{3}-\\d{2}$" },
      slug: { type: "string", pattern: "^custom:.+$", maxLength: 12 },
    },
  },
  Arrays: {
    type: "object",
    required: ["tags", "tuple"],
    properties: {
      tags: { type: "array", items: { type: "string", enum: ["a", "b", "c", "d"] }, minItems: 1, maxItems: 3, uniqueItems: true },
      tuple: { type: "array", prefixItems: [{ type: "integer" }, { type: "string" }], items: false, minItems: 2 },
      objects: { type: "array", items: { type: "object", properties: { k: { type: "integer" } } }, uniqueItems: true, maxItems: 4 },
    },
  },
  Objects: {
    type: "object",
    additionalProperties: false,
    required: ["closed", "map"],
    properties: {
      closed: { type: "object", additionalProperties: false, properties: { x: { type: "boolean" }, y: { type: "null" } } },
      map: { type: "object", additionalProperties: { type: "integer", minimum: 0 }, minProperties: 1, maxProperties: 3 },
      free: { type: "object" },
      wide: { type: "object", minProperties: 5 },
      untyped: {},
    },
  },
  Choices: {
    type: "object",
    required: ["one", "any", "all", "not", "konst", "nullable"],
    properties: {
      // Overlapping branches: a number that is an integer matches both, so only non-integers are valid.
      one: { oneOf: [{ type: "number" }, { type: "integer" }] },
      any: { anyOf: [{ type: "string", maxLength: 2 }, { type: "array", items: { type: "integer" }, maxItems: 2 }] },
      all: { allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", required: ["extra"], properties: { extra: { type: "integer", maximum: 3 } } }] },
      not: { type: "integer", not: { enum: [0, 1, 2] }, minimum: 0, maximum: 5 },
      konst: { const: "fixed" },
      nullable: { type: ["string", "null"], enum: ["x", null] },
      discriminated: {
        oneOf: [
          { type: "object", required: ["kind", "a"], properties: { kind: { const: "a" }, a: { type: "integer" } } },
          { type: "object", required: ["kind", "b"], properties: { kind: { const: "b" }, b: { type: "string" } } },
        ],
      },
    },
  },
  Base: { type: "object", required: ["id"], properties: { id: { type: "string", format: "uuid" }, extra: { type: "integer", minimum: 0 } } },
  Tree: { type: "object", required: ["name"], properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Tree" } } } },
  Chain: { type: "object", required: ["next"], properties: { next: { anyOf: [{ $ref: "#/components/schemas/Chain" }, { type: "null" }] } } },
  Endless: { type: "object", required: ["next"], properties: { next: { $ref: "#/components/schemas/Endless" } } },
};

test("each supported keyword yields only valid values", () => {
  const spec = withSchemas(keywordSchemas);
  const v = createValidator(spec);
  const ctx = genContext(v);
  for (const name of ["Formats", "Numbers", "Strings", "Arrays", "Objects", "Choices", "Tree", "Chain"]) {
    const ref = `#/components/schemas/${name}`;
    fc.assert(fc.property(arbitraryFor({ $ref: ref }, ctx), (value) => assert.deepEqual(v.validate(ref, value), [], name)), { seed: SEED, numRuns: 300 });
  }
});

test("boundary values come up: shortest and longest strings, fullest and emptiest objects, range ends", () => {
  const spec = withSchemas(keywordSchemas);
  const ctx = genContext(createValidator(spec));
  const strings = fc.sample(arbitraryFor({ $ref: "#/components/schemas/Strings" }, ctx), { seed: SEED, numRuns: 300 }) as { bounded: string }[];
  const lengths = new Set(strings.map((s) => [...s.bounded].length));
  assert.ok(lengths.has(2) && lengths.has(5), `lengths seen: ${[...lengths]}`);
  const numbers = fc.sample(arbitraryFor({ $ref: "#/components/schemas/Numbers" }, ctx), { seed: SEED, numRuns: 300 }) as { a: number; b: number }[];
  assert.ok(numbers.some((n) => n.a === -3) && numbers.some((n) => n.a === 7) && numbers.some((n) => n.b === 1) && numbers.some((n) => n.b === 3));
  const closed = fc.sample(arbitraryFor({ $ref: "#/components/schemas/Objects" }, ctx), { seed: SEED, numRuns: 300 }) as { closed: object; free?: object }[];
  assert.ok(closed.some((o) => Object.keys(o.closed).length === 0) && closed.some((o) => Object.keys(o.closed).length === 2));
  assert.ok(closed.some((o) => o.free && Object.keys(o.free).length > 0), "free-form objects get extra keys");
});

test("recursion stays bounded; schemas with no finite or no satisfiable value are reported", () => {
  const spec = withSchemas(keywordSchemas);
  const v = createValidator(spec);
  const depth = (x: unknown): number => (Array.isArray(x) ? 1 + Math.max(0, ...x.map(depth)) : x !== null && typeof x === "object" ? 1 + Math.max(0, ...Object.values(x).map(depth)) : 0);
  for (const maxRecursion of [1, 3]) {
    const ctx = genContext(v, { maxRecursion });
    const trees = fc.sample(arbitraryFor({ $ref: "#/components/schemas/Tree" }, ctx), { seed: SEED, numRuns: 300 });
    // Each Tree level adds two to the depth (object, then its children array).
    assert.ok(Math.max(...trees.map(depth)) <= 2 * maxRecursion, `maxRecursion ${maxRecursion}`);
    assert.ok(trees.some((t) => depth(t) === 2 * maxRecursion - 1), "the limit is reached");
    const chains = fc.sample(arbitraryFor({ $ref: "#/components/schemas/Chain" }, ctx), { seed: SEED, numRuns: 100 });
    assert.ok(Math.max(...chains.map(depth)) <= maxRecursion);
  }
  assert.throws(() => arbitraryFor({ $ref: "#/components/schemas/Endless" }, genContext(v)), GeneratorError);
  assert.throws(() => arbitraryFor({ $ref: "#/components/schemas/Missing" }, genContext(v)), /resolves nowhere/);
  // Constraints that cannot hold together end in an error, not an endless retry.
  const impossible = arbitraryFor({ type: "string", format: "uuid", maxLength: 5 }, genContext(v));
  assert.throws(() => fc.sample(impossible, { seed: SEED, numRuns: 1 }), /no generated value satisfied format uuid with the length bounds/);
});

test("3.0 documents generate through the normalised schemas (nullable, exclusive bounds)", () => {
  const spec = withSchemas({ N: { type: "object", required: ["a", "b"], properties: { a: { type: "string", nullable: true, maxLength: 3 }, b: { type: "integer", minimum: 0, maximum: 2, exclusiveMaximum: true } } } }, "3.0.3");
  const v = createValidator(spec);
  const values = fc.sample(arbitraryFor({ $ref: "#/components/schemas/N" }, genContext(v)), { seed: SEED, numRuns: 200 }) as { a: string | null; b: number }[];
  assert.ok(values.every((x) => v.validate("#/components/schemas/N", x).length === 0));
  assert.ok(values.some((x) => x.a === null) && values.some((x) => typeof x.a === "string"));
  assert.deepEqual(new Set(values.map((x) => x.b)), new Set([0, 1]));
});

test("the same seed gives the same values", async () => {
  const [spec] = await bothSpecs();
  const ctx = genContext(createValidator(spec!));
  const arb = arbitraryFor({ $ref: "#/components/schemas/CreateAgentRequest" }, ctx);
  assert.deepEqual(fc.sample(arb, { seed: 99, numRuns: 20 }), fc.sample(arb, { seed: 99, numRuns: 20 }));
  assert.notDeepEqual(fc.sample(arb, { seed: 99, numRuns: 20 }), fc.sample(arb, { seed: 100, numRuns: 20 }));
});

test("strings for path segments and headers keep to characters that survive the trip", () => {
  const spec = withSchemas({ S: { type: "string" } });
  const v = createValidator(spec);
  const path = fc.sample(arbitraryFor({ type: "string" }, genContext(v, { text: "path" })), { seed: SEED, numRuns: 300 }) as string[];
  assert.ok(path.every((s) => /^[A-Za-z0-9\-._~]+$/.test(s)));
  const header = fc.sample(arbitraryFor({ type: "string", maxLength: 8 }, genContext(v, { text: "header" })), { seed: SEED, numRuns: 300 }) as string[];
  assert.ok(header.every((s) => /^[\x21-\x7e]{1,8}$/.test(s)));
});
