import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { walkScript } from "../../contract/engine/walk-script.ts";

const KEY = "lsv2_secret_walk_key";
const base = "http://127.0.0.1:9/v1/deepagents";
const headers = { accept: "application/json", "content-type": "application/json", "x-api-key": KEY };
const agent = "11111111-2222-4333-8444-555555555555";

test("a walk is a shell script: ids an answer carried are captured into variables and used from them, the key is never in it", () => {
  const script = walkScript([
    { req: { method: "POST", url: `${base}/agents`, headers, body: '{"name":"a"}' }, status: 201, captures: [{ field: "id", variable: "agent_id_1", id: agent }] },
    { req: { method: "POST", url: `${base}/threads`, headers, body: JSON.stringify({ agent_id: agent }) }, status: 201, captures: [], settles: true },
    { req: { method: "POST", url: `${base}/agents/${agent}/clone`, headers }, status: 500, captures: [] },
  ]);
  assert.ok(!script.includes(KEY), "the key is never written");
  assert.match(script, /"x-api-key: \$LANGSMITH_API_KEY"/);
  assert.match(script, /^agent_id_1=\$\(printf '%s' "\$answer" \| field id\)$/m);
  // The id appears once, in the comment of the step that made it; requests use the variable.
  const uses = script.split("\n").filter((l) => !l.startsWith("#"));
  assert.ok(!uses.some((l) => l.includes(agent)), script);
  assert.match(script, /'\{"agent_id":"'"\$agent_id_1"'"\}'/);
  assert.match(script, /\/agents\/'"\$agent_id_1"'\/clone'/);
  assert.match(script, /^sleep 2/m, "a run's thread is let go idle");
  assert.match(uses.at(-1)!, /^curl -sS -i -X POST /, "the last step prints the answer with its headers");
  // It is valid sh.
  execFileSync("sh", ["-n", "-c", script]);
});
