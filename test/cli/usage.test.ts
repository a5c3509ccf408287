/**
 * The CLI's answers that need no running target: usage errors (exit 2, one line, never a stack trace,
 * before anything runs), an unreachable target (exit 3), --help, --version and the fault list.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { FAULTS } from "../../reference/faults/catalog.ts";
import { packageInfo } from "../../cli/package-info.ts";
import { cleanEnv, closedPort, errorLines, lines, looksLikeStackTrace, runCli, tempDir, type Finished } from "./harness.ts";

const HINT = "Run `agentwire --help` for usage.";

/** Exit 2, nothing on stdout; on stderr one "agentwire: …" line and the hint (after the run banner, if any). */
function assertUsageError(r: Finished, mentions: RegExp) {
  const context = `stdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assert.equal(r.code, 2, context);
  assert.equal(r.stdout, "", context);
  const errors = errorLines(r.stderr);
  assert.equal(errors.length, 1, context);
  assert.match(errors[0]!, mentions);
  assert.deepEqual(lines(r.stderr).filter((l) => !/^agentwire \d/.test(l)), [errors[0], HINT], context);
  assert.ok(!looksLikeStackTrace(r.stderr), context);
}

describe("usage errors exit 2 with one line", { concurrency: 4 }, () => {
  const tmp = tempDir("agentwire-cli-test-");
  const notOpenApi = join(tmp.dir, "not-openapi.yaml");
  const badWaivers = join(tmp.dir, "bad-waivers.yaml");
  const aFile = join(tmp.dir, "a-file");
  const emptyKey = join(tmp.dir, "empty-key");
  let closed = 0;
  before(async () => {
    writeFileSync(aFile, "x");
    writeFileSync(emptyKey, "\n");
    writeFileSync(notOpenApi, "hello: world\nitems: [1, 2]\n");
    writeFileSync(badWaivers, "- id: x\n  checks: [a\n  reason: {\n");
    mkdirSync(join(tmp.dir, "not-a-summary"));
    writeFileSync(join(tmp.dir, "not-a-summary", "summary.json"), "{}");
    closed = await closedPort();
  });
  after(() => tmp.remove());

  const cases: [string, () => string[], RegExp][] = [
    ["unknown command", () => ["bogus"], /unknown command "bogus"/],
    ["unknown flag", () => ["run", "--bogus"], /--bogus/],
    ["--profile fast", () => ["run", "--profile", "fast"], /--profile.*fast/],
    ["--seed -1", () => ["run", "--seed", "-1"], /--seed/],
    ["--seed=-1", () => ["run", "--seed=-1"], /--seed.*-1/],
    ["--seed abc", () => ["run", "--seed", "abc"], /--seed.*abc/],
    ["--only contract,bogus", () => ["run", "--only", "contract,bogus"], /--only.*bogus/],
    ["--target not-a-url", () => ["run", "--target", "not-a-url"], /--target.*not-a-url/],
    ["--target ftp://x", () => ["run", "--target", "ftp://x"], /--target.*ftp/],
    ["--target with credentials", () => ["run", "--target", "https://user:pw@h/"], /credentials/],
    ["remote --target without an API key", () => ["run", "--target", "https://api.example.com/v1/deepagents"], /API key/],
    ["--fault with --target", () => ["run", "--target", `http://127.0.0.1:${closed}/v1/deepagents`, "--api-key", "k", "--fault", "server-error"], /--fault/],
    ["unknown fault (run)", () => ["run", "--only", "load", "--fault", "no-such-fault"], /unknown fault "no-such-fault"/],
    ["unknown fault (reference)", () => ["reference", "--fault", "no-such-fault"], /unknown fault "no-such-fault"/],
    ["--shard 3/2", () => ["run", "--shard", "3/2"], /--shard.*3\/2/],
    ["--load-workers 0", () => ["run", "--load-workers", "0"], /--load-workers.*0/],
    // --out is checked before anything runs (Node's recursive mkdir never returns under /proc).
    ["--out that is a file", () => ["run", "--out", aFile], /--out .*exists and is not a folder/],
    ["--out under /proc", () => ["run", "--out", "/proc/agentwire-reports/x"], /--out .*cannot create \/proc\/agentwire-reports/],
    ["--api-key-file that cannot be read", () => ["run", "--api-key-file", "/nonexistent-key"], /--api-key-file \/nonexistent-key: cannot read it \(ENOENT\)/],
    ["--api-key-file that is empty", () => ["run", "--api-key-file", emptyKey], /--api-key-file .*empty/],
    ["--api-key-env naming an unset variable", () => ["run", "--api-key-env", "AGENTWIRE_NO_SUCH_KEY"], /--api-key-env AGENTWIRE_NO_SUCH_KEY/],
    ["two ways to pass the key", () => ["run", "--api-key", "k", "--api-key-file", emptyKey], /one way/],
    ["--reference ruby", () => ["run", "--reference", "ruby"], /--reference.*ruby/],
    ["--reference with --agent-server", () => ["run", "--agent-server", `http://127.0.0.1:${closed}`, "--reference", "python"], /--reference chooses the embedded reference/],
    ["--graph without a role", () => ["run", "--graph", "my_graph"], /--graph: expected ROLE=.*my_graph/],
    ["--graph with an unknown role", () => ["run", "--graph", "chat=my_graph"], /ROLE one of agent, deep, error, interrupt, subgraph/],
    ["--response-time that is not a number of ms", () => ["run", "--response-time", "5s"], /--response-time: expected an integer from 1 to 3600000, got "5s"/],
    ["--record xml", () => ["run", "--record", "xml"], /--record: expected har, ndjson, or a file ending in \.har, \.ndjson or \.jsonl, got "xml"/],
    ["--record FILE in a folder that does not exist", () => ["run", "--record", "/nonexistent-dir/x.har"], /--record \/nonexistent-dir\/x\.har: cannot write in \/nonexistent-dir \(ENOENT\)/],
    ["--record FILE with --reference both", () => ["run", "--reference", "both", "--record", join(tmp.dir, "x.har")], /--record with --reference both/],
    ["reference --server ruby", () => ["reference", "--server", "ruby"], /--server.*ruby/],
    ["--spec /nonexistent.yaml", () => ["run", "--spec", "/nonexistent.yaml"], /\/nonexistent\.yaml/],
    ["--spec that is not OpenAPI", () => ["run", "--spec", notOpenApi], /not an OpenAPI document/],
    // Files are read before a target starts: no embedded reference is started for a run that cannot go on.
    ["malformed --waivers", () => ["run", "--only", "load", "--waivers", badWaivers], /bad-waivers\.yaml/],
    ["reference --port 70000", () => ["reference", "--port", "70000"], /--port.*70000/],
    ["merge without folders", () => ["merge"], /merge: name the --out folder/],
    ["merge of a folder without a summary", () => ["merge", tmp.dir], /summary\.json does not exist/],
    ["merge of a file that is not a summary", () => ["merge", join(tmp.dir, "not-a-summary")], /not an agentwire summary/],
  ];
  for (const [name, args, mentions] of cases) {
    test(name, async () => {
      const r = await runCli(args());
      assertUsageError(r, mentions);
      assert.doesNotMatch(r.stderr, /reference ready/);
    });
  }
});

test("a key in the --target query string is refused and never echoed", async () => {
  const r = await runCli(["run", "--target", "https://api.example.com/v1/deepagents?api_key=sk-in-the-url-123", "--api-key", "k"]);
  assertUsageError(r, /--target: a base URL takes no query string/);
  assert.ok(!r.stderr.includes("sk-in-the-url-123"), r.stderr);
});

test("a malformed AGENTWIRE_LIMITS is a usage error naming the bound", async () => {
  const r = await runCli(["run", "--only", "load"], cleanEnv({ AGENTWIRE_LIMITS: "streamDeadlineMs=soon" }));
  assertUsageError(r, /AGENTWIRE_LIMITS: streamDeadlineMs must be a positive integer/);
});

// Should be a usage error (exit 2, "already in use") once reference/front.ts rejects on a listen error; until
// then the CLI's safety net turns the server's unhandled 'error' event into one "internal error" line.
test("reference --port on a port in use fails with one line, not a crash", async (t) => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
  t.after(() => busy.close());
  const port = (busy.address() as { port: number }).port;
  const r = await runCli(["reference", "--port", String(port)]);
  const context = `stderr: ${r.stderr}`;
  assert.ok(r.code === 2 || r.code === 70, context);
  assert.equal(errorLines(r.stderr).length, 1, context);
  assert.match(errorLines(r.stderr)[0]!, new RegExp(`${port}`));
  assert.ok(!looksLikeStackTrace(r.stderr), context);
});

describe("an unreachable target exits 3", () => {
  for (const [name, args] of [
    ["--target", (port: number) => ["run", "--target", `http://127.0.0.1:${port}/v1/deepagents`, "--api-key", "k"]],
    ["--agent-server", (port: number) => ["run", "--agent-server", `http://127.0.0.1:${port}`]],
  ] as const) {
    test(name, async () => {
      const port = await closedPort();
      const r = await runCli(args(port));
      const context = `stderr: ${r.stderr}`;
      assert.equal(r.code, 3, context);
      const errors = errorLines(r.stderr);
      assert.equal(errors.length, 1, context);
      assert.match(errors[0]!, new RegExp(`unreachable: http://127\\.0\\.0\\.1:${port}`));
      assert.ok(!looksLikeStackTrace(r.stderr), context);
    });
  }
});

describe("help, version and the fault list", () => {
  for (const args of [["--help"], ["help"], ["run", "--help"], ["reference", "-h"]]) {
    test(args.join(" "), async () => {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Usage:\n\s+agentwire run .*\n[\s\S]*agentwire reference/);
      assert.match(r.stdout, /Exit codes: 0 conforms/);
    });
  }

  test("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), packageInfo().version);
  });

  test("reference --list-faults lists every fault with its rule and the checks that catch it", async () => {
    const r = await runCli(["reference", "--list-faults"]);
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.equal(out.length, FAULTS.length);
    for (const f of FAULTS) {
      const line = out.find((l) => l.startsWith(`${f.name} `));
      assert.ok(line, `no line for ${f.name}`);
      assert.ok(line.includes(f.rule), `${f.name}: rule missing from "${line}"`);
      assert.ok(line.includes(`caught by ${f.caughtBy.join(", ")}`), `${f.name}: checks missing from "${line}"`);
    }
  });
});
