import { test } from "node:test";
import assert from "node:assert/strict";
import { curl } from "../../core/reproducer.ts";
import { redact, registerSecret } from "../../core/redact.ts";

test("curl reproducer never contains the API key and refers to the env variable instead", () => {
  registerSecret("lsv2_secret_value_123");
  const cmd = curl({
    method: "POST",
    url: "http://127.0.0.1:1/v1/deepagents/agents",
    headers: { "x-api-key": "lsv2_secret_value_123", "content-type": "application/json" },
    body: JSON.stringify({ name: "it's", note: "lsv2_secret_value_123" }),
  });
  assert.doesNotMatch(cmd, /lsv2_secret_value_123/);
  assert.match(cmd, /"x-api-key: \$LANGSMITH_API_KEY"/);
  assert.match(cmd, /--data-binary '\{"name":"it'\\''s"/);
  assert.equal(redact("key=lsv2_secret_value_123"), "key=***");
});
