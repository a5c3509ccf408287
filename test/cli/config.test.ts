/** agentwire.config.yaml: keys mirror flags (flags win), keys only by env var name, one-line errors naming the key. */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommand, type RunConfig } from "../../cli/args.ts";
import { CliError } from "../../cli/exit-codes.ts";
import { errorLines, runCli, tempDir } from "./harness.ts";

const tmp = tempDir("agentwire-config-test-");
after(() => tmp.remove());
let n = 0;
function configFile(text: string): string {
  const file = join(tmp.dir, `c${++n}.yaml`);
  writeFileSync(file, text);
  return file;
}
const run = (text: string, flags: string[] = [], env: NodeJS.ProcessEnv = {}): RunConfig => {
  const c = parseCommand(["run", "--config", configFile(text), ...flags], env);
  assert.equal(c.name, "run");
  return (c as { config: RunConfig }).config;
};
const refused = (text: string, env: NodeJS.ProcessEnv = {}) => {
  try {
    run(text, [], env);
  } catch (error) {
    assert.ok(error instanceof CliError, String(error));
    assert.equal(error.exitCode, 2);
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail(`accepted: ${text}`);
};

describe("config file", () => {
  test("keys become settings, and a flag overrides its key", () => {
    const text = `targets:\n  managed: { url: "https://api.example.com/v1/deepagents", keyEnv: MY_KEY, agentId: a1 }\n  agentServer: { url: "https://as.example.com", keyEnv: AS_KEY, graphs: { agent: g1 } }\nonly: [contract]\nseed: 7\nworkers: 2\nallowHosts: [as.example.com]\noperations: [listManagedDeepAgents]\n`;
    const env = { MY_KEY: "secret-1", AS_KEY: "secret-2" };
    const c = run(text, [], env);
    assert.equal(c.managedUrl, "https://api.example.com/v1/deepagents");
    assert.equal(c.apiKey, "secret-1");
    assert.equal(c.agentServerKey, "secret-2");
    assert.equal(c.agentId, "a1");
    assert.deepEqual(c.graphs, { agent: "g1" });
    assert.deepEqual([c.only, c.seed, c.workers, c.allowHosts, c.operations], [["contract"], 7, 2, ["as.example.com"], ["listManagedDeepAgents"]]);
    const o = run(text, ["--seed", "9", "--only", "streams", "--agent-id", "a2", "--api-key", "from-flag"], env);
    assert.deepEqual([o.seed, o.only, o.agentId, o.apiKey], [9, ["streams"], "a2", "from-flag"]);
  });

  test("record: a format or a file, as --record takes it; the flag overrides it", () => {
    assert.deepEqual(run("record: har\n").record, { format: "har" });
    assert.deepEqual(run("record: out/x.ndjson\n").record, { format: "ndjson", file: "out/x.ndjson" });
    assert.deepEqual(run("record: har\n", ["--record", "ndjson"]).record, { format: "ndjson" });
    assert.match(refused("record: xml\n"), /^.*record: expected /);
  });

  test("responseTimeMs: off when absent, a limit in ms, set by a profile too; the flag overrides it", () => {
    assert.equal(run("seed: 1\n").responseTimeMs, undefined);
    assert.equal(run("responseTimeMs: 5000\n").responseTimeMs, 5000);
    assert.equal(run("responseTimeMs: 5000\n", ["--response-time", "800"]).responseTimeMs, 800);
    assert.equal(run("profiles:\n  bench: { base: full, responseTimeMs: 3000 }\n", ["--profile", "bench"]).responseTimeMs, 3000);
    assert.match(refused("responseTimeMs: fast\n"), /responseTimeMs/);
  });

  test("the default thresholds are the old SLO; a config's replace them; a named profile adds its own and picks its base", () => {
    assert.deepEqual(parseCommand(["run"], {}).name === "run" && (parseCommand(["run", "--config", configFile("seed: 1\n")], {}) as { config: RunConfig }).config.thresholds.map((t) => `${t.metric} ${t.expression}`), ["ttft_ms p(95)<=2000", "error_rate rate<=0.01"]);
    const text = `thresholds:\n  ttft_ms: ["p(95)<1500", { threshold: "p(99)<4000", abort_on_fail: true }]\n  goodput: ["value>1"]\n  min_samples: 4\nprofiles:\n  nightly: { base: full, thresholds: { e2e_ms: ["avg<900"] }, load: { levels: [1, 4] } }\n`;
    const c = run(text);
    assert.deepEqual(c.thresholds.map((t) => [t.metric, t.stat, t.op, t.limit, t.minSamples, t.abortOnFail]), [["ttft_ms", "p95", "<", 1500, 4, false], ["ttft_ms", "p99", "<", 4000, 4, true], ["goodput", "value", ">", 1, 4, false]]);
    const nightly = run(text, ["--profile", "nightly"]);
    assert.equal(nightly.profile, "full");
    assert.deepEqual(nightly.loadShape, { levels: [1, 4] });
    assert.ok(nightly.thresholds.some((t) => t.metric === "e2e_ms" && t.stat === "avg"));
  });

  test("the example config is valid", () => {
    const c = parseCommand(["run", "--config", join(import.meta.dirname, "../../examples/agentwire.config.yaml")], {}) as { config: RunConfig };
    assert.ok(c.config.thresholds.length >= 4);
    assert.equal(c.config.inlineWaivers[0]!.expires, "2027-03-01");
  });

  test("a key is never taken from the file, and a keyEnv that looks like a value is not echoed", () => {
    assert.match(refused(`targets:\n  managed: { url: "https://x.example.com", apiKey: "lsv2_pt_0123456789abcdef" }\n`), /targets\.managed\.apiKey: a key never goes in the config/);
    const m = refused(`targets:\n  managed: { url: "https://x.example.com", keyEnv: "lsv2_pt_0123456789abcdef" }\n`);
    assert.match(m, /keyEnv: expected the NAME of an environment variable/);
    assert.doesNotMatch(m, /lsv2_pt/);
    assert.match(refused(`targets:\n  agentServer: { url: "https://x.example.com", keyEnv: NOT_SET_HERE }\n`), /agentServer\.keyEnv: the environment variable NOT_SET_HERE is not set/);
  });

  const bad: [string, RegExp][] = [
    ["bogus: 1\n", /bogus: unknown key/],
    ["seed: -4\n", /seed: must be >= 0/],
    ["only: [contract, nope]\n", /only\[1\]: expected one of contract, streams, load, got "nope"/],
    ["thresholds:\n  ttft_ms: [\"p95<1\"]\n", /thresholds\.ttft_ms\[0\]: expected k6-style/],
    ["thresholds:\n  ttft_ms: [\"rate<1\"]\n", /thresholds\.ttft_ms: "rate<1": a latency takes p\(N\)/],
    ["thresholds:\n  queue_ms: [\"p(95)<1\"]\n", /thresholds\.queue_ms: unknown key/],
    ["regression:\n  ttft_ms.p97: \"+10%\"\n", /regression\.ttft_ms\.p97: not a key it takes/],
    ["waivers:\n  - { id: x, spec: agent-server, checks: [nope], reason: \"long enough reason\" }\n", /waivers item 1: unknown check "nope"/],
    ["targets: { managed: { keyEnv: K } }\n", /targets\.managed: missing "url"/],
    ["only: [contract\n", /not valid YAML/],
  ];
  for (const [text, expected] of bad) test(`refused: ${text.trim().split("\n")[0]}`, () => assert.match(refused(text), expected));

  test("from the command line: one error line, exit 2, naming the file and the key", async () => {
    const r = await runCli(["run", "--config", configFile("profile: 3\n")]);
    assert.equal(r.code, 2);
    assert.deepEqual(errorLines(r.stderr).length, 1);
    assert.match(errorLines(r.stderr)[0]!, /c\d+\.yaml: profile: must be string, got 3/);
  });
});
