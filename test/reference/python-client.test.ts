/**
 * The published Python client of the Managed API (managed-deepagents 0.1.2, installed into the reference's
 * Python environment) drives all 28 operations against the emulator: the default target stays faithful to
 * what a real client sends and reads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ensurePythonClient } from "../../reference/python/launch.ts";
import { operations } from "../../contract/model/catalogue.ts";
import { loadSpec, BUNDLED_SPECS } from "../../contract/model/load.ts";
import { sharedReference } from "../support/reference.ts";

const drive = fileURLToPath(new URL("./python-client/drive.py", import.meta.url));
const refs = sharedReference();

test("the published Python client drives every Managed operation against the emulator", async () => {
  const python = await ensurePythonClient();
  const ref = refs.healthy;
  const { stdout } = await promisify(execFile)(python, [drive], { env: { ...process.env, MDA_URL: ref.managedUrl, MDA_KEY: ref.apiKey, MCP_URL: ref.mcpUrl }, timeout: 60_000 });
  const results: { op: string; ok: boolean; detail: string }[] = stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(results.filter((r) => !r.ok), [], "every call succeeds");
  const all = operations(await loadSpec(BUNDLED_SPECS["managed-deep-agents"])).map((o) => o.operationId).sort();
  assert.deepEqual([...new Set(results.map((r) => r.op))].sort(), all, "all 28 operations are driven");
});
