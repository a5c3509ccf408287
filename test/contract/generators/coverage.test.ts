import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { coverageCases } from "../../../contract/generators/coverage.ts";
import { operations } from "../../../contract/model/catalogue.ts";
import { createValidator } from "../../../contract/model/validator.ts";
import type { GeneratedRequest } from "../../../contract/generators/requests.ts";
import { managed } from "../model/fixtures.ts";

const spec = await managed();
const validator = createValidator(spec);
const op = (id: string) => operations(spec).find((o) => o.operationId === id)!;
const schemaOf = (id: string) => op(id).requestBody!.content[0]!.schema!;
const bodyOf = (r: GeneratedRequest) => (r.body && "value" in r.body ? r.body.value : undefined);

const createThread = op("createManagedDeepAgentThread");
const base: GeneratedRequest = { operationId: createThread.operationId, path: {}, query: {}, headers: {}, body: { mediaType: "application/json", value: { agent_id: randomUUID() } } };

test("each required body property and the whole body are left out, and the document confirms every case", () => {
  const cases = coverageCases(createThread, validator, base, { seed: 1 });
  const names = cases.map((c) => c.name);
  assert.ok(names.includes('body /agent_id: required property "agent_id" left out'), names.join("\n"));
  assert.ok(names.includes("required body left out"));
  assert.ok(names.includes('body property "if_exists" = "do_nothing" (enum value)'), "every enum value is a valid case");
  for (const c of cases) {
    const body = bodyOf(c.request);
    if (c.valid) assert.ok(validator.matches(schemaOf(createThread.operationId), body), `valid case ${c.name} is valid`);
    else if (body !== undefined) assert.ok(!validator.matches(schemaOf(createThread.operationId), body), `invalid case ${c.name} is invalid`);
  }
});

test("the cases are the same for the same seed, and a property the caller omits is never sent", () => {
  const once = coverageCases(createThread, validator, base, { seed: 5 }).map((c) => [c.name, JSON.stringify(c.request)]);
  assert.deepEqual(coverageCases(createThread, validator, base, { seed: 5 }).map((c) => [c.name, JSON.stringify(c.request)]), once);
  const omitted = coverageCases(createThread, validator, base, { seed: 5, omit: (p) => p === "metadata" });
  assert.ok(omitted.every((c) => !JSON.stringify(bodyOf(c.request) ?? {}).includes('"metadata"')));
});

test("a query parameter's bounds are sent just inside as valid and just outside as invalid", () => {
  const list = op("listManagedDeepAgents");
  const cases = coverageCases(list, validator, { operationId: list.operationId, path: {}, query: {}, headers: {} }, { seed: 1 });
  const sent = (valid: boolean) => cases.filter((c) => c.valid === valid).map((c) => c.request.query.page_size).filter((v) => v !== undefined);
  assert.ok(sent(true).includes(1) && sent(true).includes(100), JSON.stringify(sent(true)));
  assert.ok(sent(false).includes(0) && sent(false).includes(101), JSON.stringify(sent(false)));
});

test("a path parameter the suite points at a real resource is made invalid for its schema, once, and kept as built", () => {
  const get = op("getManagedDeepAgent");
  const id = randomUUID();
  const cases = coverageCases(get, validator, { operationId: get.operationId, path: { agent_id: id }, query: {}, headers: {} }, { seed: 1, fixed: { path: { agent_id: id } } });
  const onPath = cases.filter((c) => c.keepPath);
  assert.equal(onPath.length, 1, cases.map((c) => c.name).join("\n"));
  assert.equal(onPath[0]!.valid, false);
  assert.match(onPath[0]!.name, /path parameter "agent_id".*not a valid uuid/);
  assert.notEqual(onPath[0]!.request.path.agent_id, id);
  // A path parameter any text satisfies (the Managed thread id is a plain string) gives no case.
  const thread = op("getManagedDeepAgentThread");
  const plain = coverageCases(thread, validator, { operationId: thread.operationId, path: { thread_id: id }, query: {}, headers: {} }, { seed: 1, fixed: { path: { thread_id: id } } });
  assert.deepEqual(plain.filter((c) => c.keepPath), []);
});
