/**
 * The hostile-target matrix: how a run against each behaviour of ./hostile.ts must end. Checks that no
 * reference fault can break are proven here (`proves`), as test/fault-coverage.test.ts requires.
 */
import assert from "node:assert/strict";
import type { CheckName } from "../../core/checks.ts";
import type { Behaviour } from "./hostile.ts";

export interface HostileCase {
  behaviour: Behaviour | "refused";
  /** The server misbehaves on the run's first probe too (the run then ends there). */
  probe?: boolean;
  /** The CLI arguments against the server at `url` (the key file and --out are added). */
  args(url: string): string[];
  exit: 1 | 3;
  /** Narrows the run to the units whose title matches (AGENTWIRE_GREP), to keep the matrix quick. */
  grep?: string;
  /** What the run says on stderr. */
  says: RegExp;
  maxWallMs: number;
  /** Checks this case shows failing (asserted through `judged`). */
  proves?: CheckName[];
  /** More about what summary.json must say. */
  judged?(summary: any): void;
}

const managed = (only: string) => (url: string) => ["--target", `${url}/v1/deepagents`, "--only", only];
/** One stream scenario judges every stream rule and the completeness of what it delivered. */
const ONE_STREAM = "managed › stream mode values";
/** Off the embedded reference, runs go only to a named agent. */
const streams = (url: string) => [...managed("streams")(url), "--agent-id", "a1"];

const unusable = (why: RegExp) => (s: any) => {
  assert.match(s.unusable ?? "", why);
  assert.equal(s.interrupted, false);
};

const finding = (check: string, message: RegExp) => (s: any) => {
  const open = s.findings.filter((f: { waived?: unknown; check: string }) => !f.waived && f.check === check);
  assert.ok(open.some((f: { message: string }) => message.test(f.message)), `no open ${check} finding matching ${message}: ${JSON.stringify(s.findings.map((f: { check: string; message: string }) => `${f.check}: ${f.message}`).slice(0, 10))}`);
};

const fixtureSetup = (status: number, message: RegExp) => (s: any) => {
  finding("fixture_setup", message)(s);
  const f = s.findings.find((x: { check: string }) => x.check === "fixture_setup");
  assert.equal(f.exchange.status, status);
  assert.match(f.reproducer, /^curl .*-H "x-api-key: \$LANGSMITH_API_KEY"/);
  assert.ok(s.notJudged.length > 0 && s.operations.every((o: { verdict: string }) => o.verdict !== "passed"), "units whose setup failed were passed");
};

export const HOSTILE_CASES: HostileCase[] = [
  { behaviour: "refused", args: managed("contract,streams"), exit: 3, says: /target unreachable: .*connection refused/, maxWallMs: 20_000 },
  { behaviour: "hang", args: managed("contract,streams"), exit: 3, says: /target unusable: .*no complete response within 2000 ms/, maxWallMs: 60_000, judged: unusable(/no complete response/) },
  { behaviour: "stall-body", probe: true, args: managed("contract,streams"), exit: 3, says: /agentwire: target unreachable: http:\/\/127\.0\.0\.1:\d+\/v1\/deepagents: no complete response within 2000 ms/, maxWallMs: 20_000, judged: unusable(/no complete response/) },
  { behaviour: "trickle", probe: true, args: managed("contract,streams"), exit: 3, says: /agentwire: target unreachable: .*no complete response within 2000 ms/, maxWallMs: 20_000, judged: unusable(/no complete response/) },
  { behaviour: "reset", args: managed("contract,streams"), exit: 3, says: /target unusable: .*connection (reset|closed)/, maxWallMs: 60_000, judged: unusable(/connection/) },
  { behaviour: "huge-body", probe: true, args: managed("contract,streams"), exit: 3, says: /agentwire: target unreachable: .*exceeded the suite's cap of 8388608 bytes/, maxWallMs: 20_000, judged: unusable(/cap/) },
  { behaviour: "huge-headers", probe: true, args: managed("contract,streams"), exit: 3, says: /agentwire: target unreachable: .*headers larger than/, maxWallMs: 20_000, judged: unusable(/headers/) },
  {
    behaviour: "error-500",
    args: managed("contract,streams"),
    exit: 1,
    says: /not judged: \d+ units .*answered 500/,
    maxWallMs: 60_000,
    proves: ["fixture_setup"],
    judged: fixtureSetup(500, /POST \/v1\/deepagents\/agents answered 500/),
  },
  {
    behaviour: "error-500",
    args: (url) => ["--agent-server", url, "--agent-id", "a1", "--only", "load"],
    exit: 1,
    says: /gate load_multitask_ran: BROKEN — multitask under load could not run: creating a thread answered 500/,
    maxWallMs: 60_000,
    proves: ["load_multitask_ran"],
    judged: (s) => {
      assert.equal(s.gates.find((g: { name: string }) => g.name === "load_multitask_ran")?.passed, false);
      assert.match(s.gates.find((g: { name: string }) => g.name === "load_ttft_slo")?.detail, /setup \(POST \/threads answered 500/);
    },
  },
  { behaviour: "empty-200", args: managed("contract,streams"), exit: 1, says: /not judged: \d+ units .*answered 200 without a "id"/, maxWallMs: 60_000, judged: fixtureSetup(200, /without a "id"/) },
  { behaviour: "wrong-content-type", args: managed("contract,streams"), exit: 1, says: /not judged: \d+ units .*content-type "text\/html", not JSON/, maxWallMs: 60_000, judged: fixtureSetup(200, /not JSON/) },
  { behaviour: "redirect", args: managed("contract,streams"), exit: 1, says: /not judged: \d+ units .*answered 307 \(to http:\/\/127\.0\.0\.2:\d+\/v1\/deepagents\/agents, not followed\)/, maxWallMs: 60_000, judged: fixtureSetup(307, /not followed/) },
  { behaviour: "echo", args: streams, grep: ONE_STREAM, exit: 1, says: /verdict: FAIL/, maxWallMs: 60_000 },
  { behaviour: "stall-stream", args: streams, grep: ONE_STREAM, exit: 1, says: /verdict: FAIL/, maxWallMs: 60_000, judged: finding("stream_terminates", /bound idle-timeout/) },
  { behaviour: "endless-stream", args: streams, grep: ONE_STREAM, exit: 1, says: /verdict: FAIL/, maxWallMs: 60_000, judged: finding("stream_terminates", /bound (max-events|max-bytes|deadline)/) },
  { behaviour: "endless-line", args: streams, grep: ONE_STREAM, exit: 1, says: /verdict: FAIL/, maxWallMs: 60_000, judged: finding("stream_terminates", /bound line-too-long/) },
  { behaviour: "invalid-utf8", args: streams, grep: ONE_STREAM, exit: 1, says: /verdict: FAIL/, maxWallMs: 60_000, judged: finding("sse_framing", /invalid-utf8/) },
];
