/** agentwire command line: parses, dispatches, and turns every failure into a one-line message and exit code. */
import { parseCommand } from "./args.ts";
import { CliError, EXIT } from "./exit-codes.ts";
import { redact } from "../core/redact.ts";
import { packageInfo } from "./package-info.ts";

const HELP = `agentwire — conformance and load testing for agent-runtime APIs

Usage:
  agentwire run [--target URL] [--agent-server URL] [--api-key-file FILE | --api-key-env NAME | --api-key KEY]
                [--agent-id ID] [--spec FILE...]
                [--only contract,streams,load] [--profile smoke|full] [--seed N|random] [--out DIR]
                [--waivers FILE...] [--fault NAME...] [--allow-host HOST...] [--workers N] [--load-workers N] [--shard i/n]
                [--reference js|python|both] [--graph ROLE=ID...] [--agent-server-key KEY]
                [--config FILE] [--operation ID...] [--grep PATTERN] [--history DIR] [--summary-md FILE] [--verbose]
                [--record har|ndjson|FILE.har|FILE.ndjson]
                                      --record writes every exchange of the contract and streams phases
                                      (not the load phase's), secrets as ***, bodies and each stream's events
                                      cut at 64 KiB, to <out>/exchanges.har|ndjson or FILE
                [--response-time MS]      every answer of the contract phase that is not a stream must end
                                      within MS (off by default); operations the document says wait (long
                                      polls, joins, create-and-wait) are not judged
  agentwire reference [--server js|python] [--port N] [--api-key KEY] [--fault NAME...] [--workers N] [--list-faults]
  agentwire compare BASE HEAD [--out FILE] [--confidence 0.95] [--config FILE]
  agentwire compare HEAD --history DIR --baseline latest|RUN
                                      what changed between two runs (report folders or summary.json files):
                                      new/fixed findings, verdict changes, latency regressions; exit 1 on a
                                      new open finding or a regression beyond its limit
  agentwire replay FINGERPRINT|SEED:PATH [--from DIR] [--healthy | --fault NAME...] [--target URL] [--agent-server URL] [key flags]
                                      re-send a finding's exact request and judge the answer again:
                                      reproduced (exit 1) or gone (exit 0)
  agentwire merge DIR... [--out DIR]     one report from the --out folders of a run split with --shard

With no --target and no --agent-server, run starts the embedded reference and tests it: the JS Agent
Server by default, the Python one (PyPI langgraph-api, installed on first use) with --reference python,
or each in turn, reported side by side, with --reference both.
On any other target, runs (model calls someone pays for) go only to what you name: --agent-id for the
Managed API, --graph ROLE=ID for the Agent Server (roles: agent, deep, error, interrupt, subgraph); every
scenario that needs more is reported not judged, with the flag that would enable it.
Environment: DEEPAGENTS_BASE_URL, LANGSMITH_API_KEY, AGENT_ID, AGENT_SERVER_URL, AGENT_SERVER_API_KEY,
AGENTWIRE_FAULTS, AGENTWIRE_SEED, AGENTWIRE_LIMITS.
Exit codes: 0 conforms, 1 findings, a broken gate or units not judged, 2 usage or configuration error,
3 target unreachable or unusable, 130 interrupted, 70 internal error.`;

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2), process.env);
  switch (command.name) {
    case "help":
      console.log(HELP);
      return EXIT.conforms;
    case "version":
      console.log(packageInfo().version);
      return EXIT.conforms;
    case "reference":
      return (await import("./commands/reference.ts")).reference(command.config);
    case "run":
      return (await import("./commands/run.ts")).run(command.config);
    case "merge":
      return (await import("./commands/merge.ts")).merge(command.config);
    case "replay":
      return (await import("./commands/replay.ts")).replay(command.config);
    case "compare":
      return (await import("./commands/compare.ts")).compare(command.config);
  }
}

function fail(error: unknown): never {
  if (error instanceof CliError) {
    console.error(`agentwire: ${redact(error.message)}`);
    if (error.exitCode === EXIT.usage) console.error("Run `agentwire --help` for usage.");
    process.exit(error.exitCode);
  }
  // A bug in the suite itself: still one line by default, the stack only on request.
  console.error(`agentwire: internal error: ${redact((error as Error)?.message ?? String(error))}`);
  if (process.env.AGENTWIRE_DEBUG) console.error(redact((error as Error)?.stack ?? ""));
  process.exit(70);
}

// An error thrown outside the awaited chain (e.g. a server's unhandled 'error' event) gets the same one line.
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
main().then((code) => process.exit(code), fail);
