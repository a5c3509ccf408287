/** --grep and --operation become one Playwright grep that matches units by the titles the reports show. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { unitFilter } from "../../cli/phases/conformance.ts";

// Playwright greps a test's titles joined by spaces: the describe "<api> › <operationId>", then the family.
const playwrightTitle = (unit: string) => unit.replace(/ › (\w+)$/, " $1");

test("a unit's title as the reports print it selects that unit", () => {
  const unit = "agent-server › cancel_run_http_threads__thread_id__runs__run_id__cancel_post › negative";
  const grep = new RegExp(unitFilter({ operations: [], grep: unit }, undefined)!);
  assert.match(playwrightTitle(unit), grep);
  assert.doesNotMatch(playwrightTitle(unit.replace("negative", "positive")), grep);
});

test("--operation and --grep both have to match", () => {
  const grep = new RegExp(unitFilter({ operations: ["listAgents"], grep: "negative" }, undefined)!);
  assert.match("managed-deep-agents › listAgents negative", grep);
  assert.doesNotMatch("managed-deep-agents › listAgents positive", grep);
  assert.doesNotMatch("managed-deep-agents › listAgentsX negative", grep);
});
