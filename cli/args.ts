/** Command-line and environment parsing. Every problem becomes a one-line CliError (exit 2). */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { GRAPH_ROLES, isGraphRole, type GraphRole } from "../core/target.ts";
import { API_KEY_OPTIONS, apiKeyOf } from "./api-key.ts";
import { dirname, resolve as resolvePath } from "node:path";
import { DEFAULT_THRESHOLDS, thresholdsOf, type Threshold } from "../load/thresholds.ts";
import { parseWaivers, type Waiver } from "../results/waivers.ts";
import { RECORD_FORMATS, type RecordFormat } from "../reporters/record.ts";
import { configValues, findConfig, type LoadedConfig } from "./config.ts";
import { CliError } from "./exit-codes.ts";

const PHASES = ["contract", "streams", "load"] as const;
export type Phase = (typeof PHASES)[number];
export const PROFILES = ["smoke", "full"] as const;
export type Profile = (typeof PROFILES)[number];
/** Which embedded reference a run tests when no target is given: the JS Agent Server, the Python one, or each in turn. */
export const REFERENCES = ["js", "python", "both"] as const;
export type ReferenceChoice = (typeof REFERENCES)[number];

export interface RunConfig {
  managedUrl?: string;
  agentServerUrl?: string;
  apiKey?: string;
  agentId?: string;
  specs: string[];
  only: Phase[];
  profile: Profile;
  seed: number;
  outDir: string;
  faults: string[];
  waivers: string[];
  allowHosts: string[];
  workers?: number;
  /** Worker threads of the load driver (`--load-workers`); default: one per 500 concurrent streams, up to the cores. */
  loadWorkers?: number;
  shard?: string;
  reference: ReferenceChoice;
  /** Assistant or graph ids by scenario role (`--graph agent=my_graph`). */
  graphs: Partial<Record<GraphRole, string>>;
  /** The Agent Server deployment's own key (`--agent-server-key`); never printed. */
  agentServerKey?: string;
  /** The config file the settings came from, if any. */
  configFile?: string;
  /** Gates on the load metrics (config `thresholds:`; default DEFAULT_THRESHOLDS). */
  thresholds: Threshold[];
  /** Overrides of the load sweep (config `load:`). */
  loadShape?: { levels?: number[]; durationMs?: number; maxRequests?: number };
  /** Waivers written in the config itself. */
  inlineWaivers: Waiver[];
  /** A folder each run's summary is added to (`--history`). */
  history?: string;
  /** A Markdown summary for CI (`--summary-md`; $GITHUB_STEP_SUMMARY gets it too when set). */
  summaryMd?: string;
  /** Only these operationIds (`--operation`). */
  operations: string[];
  /** Only the units whose title matches (`--grep`). */
  grep?: string;
  /** The per-test list on the console (`--verbose`). */
  verbose: boolean;
  /** Record every exchange of the contract and streams phases (`--record`); the file defaults to <out>/exchanges.<format>. */
  record?: { format: RecordFormat; file?: string };
  /** The response-time limit of the contract phase in ms (`--response-time`); off when absent. */
  responseTimeMs?: number;
}

export interface ReferenceConfig {
  server: "js" | "python";
  port: number;
  apiKey?: string;
  faults: string[];
  workers?: number;
  listFaults: boolean;
}

export interface MergeConfig {
  /** The --out folders of the shards. */
  dirs: string[];
  outDir: string;
}

export interface CompareConfig {
  /** A report folder or summary.json; absent when it comes from the history (--baseline). */
  base?: string;
  head: string;
  /** Where compare.json goes (default: beside HEAD's summary.json). */
  out?: string;
  confidence?: number;
  regression?: Record<string, string>;
  history?: string;
  baseline?: string;
}

export interface ReplayArgs {
  id: string;
  from: string;
  run: RunConfig;
  healthy: boolean;
}

export type Command =
  | { name: "compare"; config: CompareConfig }
  | { name: "replay"; config: ReplayArgs }
  | { name: "run"; config: RunConfig }
  | { name: "reference"; config: ReferenceConfig }
  | { name: "merge"; config: MergeConfig }
  | { name: "help" }
  | { name: "version" };

const RUN_OPTIONS = {
  target: { type: "string" },
  "agent-server": { type: "string" },
  ...API_KEY_OPTIONS,
  "agent-id": { type: "string" },
  spec: { type: "string", multiple: true },
  only: { type: "string" },
  profile: { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  fault: { type: "string", multiple: true },
  waivers: { type: "string", multiple: true },
  "allow-host": { type: "string", multiple: true },
  workers: { type: "string" },
  "load-workers": { type: "string" },
  shard: { type: "string" },
  reference: { type: "string" },
  graph: { type: "string", multiple: true },
  "agent-server-key": { type: "string" },
  config: { type: "string" },
  history: { type: "string" },
  "summary-md": { type: "string" },
  operation: { type: "string", multiple: true },
  grep: { type: "string" },
  verbose: { type: "boolean" },
  record: { type: "string" },
  "response-time": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const REFERENCE_OPTIONS = {
  server: { type: "string" },
  port: { type: "string" },
  "api-key": { type: "string" },
  fault: { type: "string", multiple: true },
  workers: { type: "string" },
  "list-faults": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") return { name: "help" };
  if (name === "version" || name === "--version") return { name: "version" };
  if (name === "run") {
    const flags = parse(rest, RUN_OPTIONS);
    if (flags.help) return { name: "help" };
    const loaded = findConfig(str(flags.config), process.cwd());
    return { name: "run", config: runConfig(withConfig(flags, loaded, env), env, loaded, str(flags.profile)) };
  }
  if (name === "reference") {
    const values = parse(rest, REFERENCE_OPTIONS);
    if (values.help) return { name: "help" };
    return { name: "reference", config: referenceConfig(values, env) };
  }
  if (name === "merge") {
    const { values, positionals } = parse(rest, { out: { type: "string" }, help: { type: "boolean", short: "h" } }, true);
    if (values.help) return { name: "help" };
    if (positionals.length === 0) throw new CliError("merge: name the --out folder of each shard, e.g. agentwire merge shard1 shard2 --out reports");
    return { name: "merge", config: { dirs: positionals, outDir: str(values.out) ?? "reports" } };
  }
  if (name === "replay") {
    const options = { target: RUN_OPTIONS.target, "agent-server": RUN_OPTIONS["agent-server"], ...API_KEY_OPTIONS, "agent-server-key": RUN_OPTIONS["agent-server-key"], fault: RUN_OPTIONS.fault, reference: RUN_OPTIONS.reference, from: { type: "string" }, healthy: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;
    const { values, positionals } = parse(rest, options, true);
    if (values.help) return { name: "help" };
    if (positionals.length !== 1) throw new CliError("replay: name one finding, by its fingerprint or its replay id, e.g. agentwire replay 1f1559c7ff8686c9 --from reports");
    if (values.healthy && list(values.fault).length) throw new CliError("replay: --healthy starts the reference without faults; drop it or drop --fault");
    const run = runConfig(values, env);
    if (values.healthy && (run.managedUrl || run.agentServerUrl)) throw new CliError("replay: --healthy applies to the embedded reference only");
    return { name: "replay", config: { id: positionals[0]!, from: str(values.from) ?? "reports", run, healthy: values.healthy === true } };
  }
  if (name === "compare") {
    const options = { out: { type: "string" }, config: { type: "string" }, confidence: { type: "string" }, history: { type: "string" }, baseline: { type: "string" }, help: { type: "boolean", short: "h" } } as const;
    const { values, positionals } = parse(rest, options, true);
    if (values.help) return { name: "help" };
    return { name: "compare", config: compareConfig(values, positionals) };
  }
  throw new CliError(`unknown command "${name}" (expected run, compare, replay, reference or merge)`);
}

function parse(args: string[], options: NonNullable<ParseArgsConfig["options"]>): Record<string, string | string[] | boolean | undefined>;
function parse(args: string[], options: NonNullable<ParseArgsConfig["options"]>, positionals: true): { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] };
function parse(args: string[], options: NonNullable<ParseArgsConfig["options"]>, allowPositionals = false) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals });
    const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
    return allowPositionals ? { values, positionals: parsed.positionals } : values;
  } catch (error) {
    // Keep the first line of Node's message (the rest is advice about "--" that does not apply here).
    const first = (error as Error).message.split("\n")[0]!.split(". To specify")[0]!.replace(/\.$/, "");
    const flag = /'(--[\w-]+)'/.exec(first)?.[1];
    // "ambiguous" means the value starts with a dash (e.g. --seed -1): say how to pass it.
    throw new CliError(first.endsWith("ambiguous") && flag ? `${first}: write ${flag}=VALUE for a value that starts with a dash` : first);
  }
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

/** The config's values under the flags given: a flag overrides its key (a key given by flag replaces the config's). */
function withConfig(flags: Record<string, unknown>, loaded: LoadedConfig | undefined, env: NodeJS.ProcessEnv): Record<string, unknown> {
  if (!loaded) return flags;
  const fromConfig = configValues(loaded.config, str(flags.profile), env, loaded.file);
  const keyFlags = ["api-key", "api-key-file", "api-key-env"];
  if (keyFlags.some((k) => flags[k] !== undefined)) delete fromConfig["api-key-env"];
  // Paths in the config are relative to the file (except the output folders, relative to where the run starts).
  const here = dirname(loaded.file);
  if (Array.isArray(fromConfig.spec)) fromConfig.spec = (fromConfig.spec as string[]).map((f) => (/^(managed-deep-agents|agent-server)=/.test(f) ? f.replace(/=(.+)$/, (_, p: string) => `=${resolvePath(here, p)}`) : /^https?:/.test(f) ? f : resolvePath(here, f)));
  const files = (loaded.config.waivers ?? []).filter((w): w is string => typeof w === "string");
  if (files.length) fromConfig.waivers = files.map((f) => resolvePath(here, f));
  const merged = { ...fromConfig, ...Object.fromEntries(Object.entries(flags).filter(([, x]) => x !== undefined)) };
  // --profile NAME of a profile the config defines runs on that profile's base.
  const named = loaded.config.profiles?.[str(flags.profile) ?? ""];
  if (named) merged.profile = named.base;
  return merged;
}

function runConfig(v: Record<string, unknown>, env: NodeJS.ProcessEnv, loaded?: LoadedConfig, profileFlag?: string): RunConfig {
  const apiKey = apiKeyOf(v, env);
  const managedUrl = url(str(v.target) ?? env.DEEPAGENTS_BASE_URL, "--target");
  const agentServerUrl = url(str(v["agent-server"]) ?? env.AGENT_SERVER_URL, "--agent-server");
  const remote = managedUrl !== undefined || agentServerUrl !== undefined;
  if (managedUrl && !apiKey) {
    throw new CliError("a remote Managed Deep Agents target needs an API key: pass --api-key-file, --api-key-env or --api-key, or set LANGSMITH_API_KEY");
  }
  const faults = [...list(v.fault), ...splitList(env.AGENTWIRE_FAULTS)];
  if (remote && faults.length) throw new CliError("--fault applies to the embedded reference only; drop it or drop --target/--agent-server");
  const reference = oneOf(str(v.reference) ?? "js", REFERENCES, "--reference");
  if (remote && v.reference !== undefined) throw new CliError("--reference chooses the embedded reference; drop it or drop --target/--agent-server");
  const seedText = str(v.seed) ?? env.AGENTWIRE_SEED;
  return {
    managedUrl,
    agentServerUrl,
    apiKey,
    agentId: str(v["agent-id"]) ?? (env.AGENT_ID || undefined),
    specs: list(v.spec),
    only: phases(str(v.only)),
    profile: oneOf(str(v.profile) ?? "smoke", PROFILES, "--profile"),
    seed: seed(seedText),
    outDir: str(v.out) ?? "reports",
    faults,
    waivers: list(v.waivers),
    allowHosts: list(v["allow-host"]),
    workers: str(v.workers) === undefined ? undefined : integer(str(v.workers)!, "--workers", 1, 64),
    loadWorkers: str(v["load-workers"]) === undefined ? undefined : integer(str(v["load-workers"])!, "--load-workers", 1, 64),
    shard: shard(str(v.shard)),
    reference,
    graphs: graphs(list(v.graph)),
    agentServerKey: str(v["agent-server-key"]) ?? (env.AGENT_SERVER_API_KEY || undefined),
    ...fromFile(loaded, profileFlag),
    history: str(v.history),
    summaryMd: str(v["summary-md"]),
    operations: list(v.operation),
    grep: str(v.grep),
    verbose: v.verbose === true,
    ...(str(v.record) === undefined ? {} : { record: recordOf(str(v.record)!, reference) }),
    ...(str(v["response-time"]) === undefined ? {} : { responseTimeMs: integer(str(v["response-time"])!, "--response-time", 1, 3_600_000) }),
  };
}

/** What only the config file can say: thresholds, the load shape, waivers written in it, and waiver files relative to it. */
function fromFile(loaded: LoadedConfig | undefined, profileFlag: string | undefined): Pick<RunConfig, "thresholds" | "loadShape" | "inlineWaivers" | "configFile"> {
  if (!loaded) return { thresholds: thresholdsOf(DEFAULT_THRESHOLDS), inlineWaivers: [] };
  const c = loaded.config;
  const named = c.profiles?.[profileFlag ?? c.profile ?? ""];
  const where = loaded.file;
  try {
    const thresholds = thresholdsOf({ ...(c.thresholds ?? DEFAULT_THRESHOLDS), ...named?.thresholds });
    const loadShape = { ...c.load, ...named?.load };
    const inlineWaivers = parseWaivers((c.waivers ?? []).filter((w) => typeof w === "object"), "waivers");
    return { thresholds, ...(Object.keys(loadShape).length ? { loadShape } : {}), inlineWaivers, configFile: where };
  } catch (error) {
    throw new CliError(`${where}: ${(error as Error).message}`);
  }
}

function compareConfig(v: Record<string, unknown>, positionals: string[]): CompareConfig {
  const c = findConfig(str(v.config), process.cwd())?.config;
  const history = str(v.history) ?? c?.history;
  const baseline = str(v.baseline);
  if (baseline !== undefined && !history) throw new CliError("compare --baseline reads the history: pass --history DIR (or set history in the config)");
  const fromHistory = baseline !== undefined;
  const want = fromHistory ? 1 : 2;
  if (positionals.length !== want) throw new CliError(fromHistory ? "compare --baseline RUN: name only HEAD, e.g. agentwire compare reports --history .agentwire-history --baseline latest" : "compare: name BASE and HEAD (report folders or summary.json files), e.g. agentwire compare reports-v1 reports-v2");
  const confidenceText = str(v.confidence);
  const confidence = confidenceText === undefined ? c?.confidence : Number(confidenceText);
  if (confidence !== undefined && !(confidence > 0.5 && confidence < 1)) throw new CliError(`--confidence: expected a number between 0.5 and 1 (e.g. 0.95), got "${confidenceText}"`);
  return {
    ...(fromHistory ? { head: positionals[0]!, baseline } : { base: positionals[0]!, head: positionals[1]! }),
    ...(str(v.out) ? { out: str(v.out) } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
    ...(c?.regression ? { regression: c.regression } : {}),
    ...(history ? { history } : {}),
  };
}

function referenceConfig(v: Record<string, unknown>, env: NodeJS.ProcessEnv): ReferenceConfig {
  return {
    server: oneOf(str(v.server) ?? "js", ["js", "python"] as const, "--server"),
    port: str(v.port) === undefined ? 0 : integer(str(v.port)!, "--port", 0, 65535),
    apiKey: str(v["api-key"]),
    faults: [...list(v.fault), ...splitList(env.AGENTWIRE_FAULTS)],
    workers: str(v.workers) === undefined ? undefined : integer(str(v.workers)!, "--workers", 1, 1000),
    listFaults: v["list-faults"] === true,
  };
}

const splitList = (s: string | undefined) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : []);

function url(value: string | undefined, flag: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new CliError(`${flag}: "${value}" is not a URL (expected e.g. https://api.example.com/v1/deepagents)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new CliError(`${flag}: only http and https URLs are supported, got ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new CliError(`${flag}: credentials in the URL are not allowed; use --api-key-file`);
  // A query string or fragment would be echoed in every report and error: the key has its own options.
  if (parsed.search || parsed.hash) throw new CliError(`${flag}: a base URL takes no query string or fragment (pass a key with --api-key-file or LANGSMITH_API_KEY)`);
  return value.replace(/\/+$/, "");
}

/**
 * A gate must give the same verdict for the same code, so runs are deterministic by default (seed 1);
 * `--seed random` explores with a fresh seed, printed so that run can be replayed.
 */
const DEFAULT_SEED = 1;

function seed(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SEED;
  if (text === "random") return Math.floor(Math.random() * 2 ** 31);
  return integer(text, "--seed", 0, 2 ** 31 - 1);
}

function integer(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new CliError(`${flag}: expected an integer from ${min} to ${max}, got "${text}"`);
  return n;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag}: expected one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

function phases(text: string | undefined): Phase[] {
  if (text === undefined) return [...PHASES];
  const items = splitList(text);
  if (items.length === 0) throw new CliError(`--only: expected a comma-separated list of ${PHASES.join(", ")}`);
  return items.map((p) => oneOf(p, PHASES, "--only"));
}

/** `--record har|ndjson`, or `--record FILE` whose extension names the format (.har, .ndjson or .jsonl). */
function recordOf(text: string, reference: ReferenceChoice): NonNullable<RunConfig["record"]> {
  if ((RECORD_FORMATS as readonly string[]).includes(text)) return { format: text as RecordFormat };
  const ext = /\.(har|ndjson|jsonl)$/i.exec(text)?.[1]?.toLowerCase();
  if (!ext) throw new CliError(`--record: expected har, ndjson, or a file ending in .har, .ndjson or .jsonl, got "${text}"`);
  // Two runs would write one file: each reference's record goes to its own report folder instead.
  if (reference === "both") throw new CliError("--record with --reference both: name the format only (har or ndjson); each reference's record goes to its own folder");
  return { format: ext === "har" ? "har" : "ndjson", file: text };
}

/** `--graph ROLE=ID`, once per role. */
function graphs(items: string[]): Partial<Record<GraphRole, string>> {
  const out: Partial<Record<GraphRole, string>> = {};
  for (const item of items) {
    const m = /^([a-z]+)=(.+)$/.exec(item);
    if (!m || !isGraphRole(m[1]!)) throw new CliError(`--graph: expected ROLE=ASSISTANT_OR_GRAPH_ID with ROLE one of ${Object.keys(GRAPH_ROLES).join(", ")}, got "${item}"`);
    out[m[1]] = m[2]!;
  }
  return out;
}

function shard(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new CliError(`--shard: expected i/n with 1 ≤ i ≤ n, got "${text}"`);
  return text;
}
