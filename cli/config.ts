/**
 * agentwire.config.yaml: the run's settings as code. Found in the working directory or given with
 * --config; validated against the JSON Schema that ships with the package (schema/), then turned into the
 * same option values the flags give, so a flag always overrides its key. Keys are never in the file: a
 * target names the environment variable that holds its key.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject } from "ajv";
import { parse } from "yaml";
import { CliError } from "./exit-codes.ts";
import { PACKAGE_ROOT } from "./package-info.ts";

export const CONFIG_NAMES = ["agentwire.config.yaml", "agentwire.config.yml"];
export const SCHEMA_FILE = join(PACKAGE_ROOT, "schema", "agentwire.config.schema.json");

/** A threshold as written: an expression, or one with its own options. */
export type ThresholdItem = string | { threshold: string; abort_on_fail?: boolean; min_samples?: number };

export interface ThresholdsConfig {
  min_samples?: number;
  abort_on_fail?: boolean;
  [metric: string]: ThresholdItem[] | number | boolean | undefined;
}

export interface LoadShapeConfig {
  levels?: number[];
  durationMs?: number;
  maxRequests?: number;
}

/** Settings a named profile may set. */
interface RunSettings {
  only?: string[];
  profile?: string;
  seed?: number | "random";
  workers?: number;
  thresholds?: ThresholdsConfig;
  load?: LoadShapeConfig;
  operations?: string[];
  grep?: string;
  responseTimeMs?: number;
}

export interface AgentwireConfig extends RunSettings {
  targets?: {
    managed?: { url: string; keyEnv?: string; agentId?: string };
    agentServer?: { url: string; keyEnv?: string; graphs?: Record<string, string> };
  };
  reference?: string;
  specs?: string[];
  profiles?: Record<string, RunSettings & { base: "smoke" | "full" }>;
  out?: string;
  history?: string;
  summaryMd?: string;
  waivers?: (string | Record<string, unknown>)[];
  faults?: string[];
  allowHosts?: string[];
  shard?: string;
  verbose?: boolean;
  record?: string;
  regression?: Record<string, string>;
  confidence?: number;
}

export interface LoadedConfig {
  file: string;
  config: AgentwireConfig;
}

let validator: ReturnType<AjvClass["compile"]> | undefined;
function validate(value: unknown): ErrorObject[] {
  // Loaded only when there is a config to check: every other command starts without it.
  const { Ajv } = createRequire(import.meta.url)("ajv") as { Ajv: typeof AjvClass };
  validator ??= new Ajv({ allErrors: false, strict: false, verbose: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
  return validator(value) ? [] : (validator.errors ?? []);
}

/** The config named by --config, or the one in `cwd`, or none. */
export function findConfig(flag: string | undefined, cwd: string): LoadedConfig | undefined {
  if (flag !== undefined) return loadConfig(resolve(cwd, flag));
  const found = CONFIG_NAMES.map((n) => join(cwd, n)).find((f) => existsSync(f));
  return found ? loadConfig(found) : undefined;
}

export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`--config ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new CliError(`${file}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  raw ??= {};
  refuseKeys(raw, file);
  const errors = validate(raw);
  if (errors.length) throw new CliError(`${file}: ${describe(errors, raw)}`);
  return { file, config: raw as AgentwireConfig };
}

/** A key written into the file would end up in version control: refuse it, whatever it is called. */
function refuseKeys(raw: unknown, file: string): void {
  const targets = (raw as AgentwireConfig)?.targets;
  for (const [name, t] of Object.entries(targets ?? {})) {
    if (!t || typeof t !== "object") continue;
    for (const k of Object.keys(t)) {
      if (/^(api_?key|key|apiKey|token|secret|password)$/i.test(k)) throw new CliError(`${file}: targets.${name}.${k}: a key never goes in the config; name the environment variable that holds it with targets.${name}.keyEnv`);
    }
    const env = (t as { keyEnv?: unknown }).keyEnv;
    if (typeof env === "string" && !/^[A-Z_][A-Z0-9_]{0,63}$/.test(env)) {
      // Never echo it: it may be the key itself.
      throw new CliError(`${file}: targets.${name}.keyEnv: expected the NAME of an environment variable (e.g. LANGSMITH_API_KEY), got something that looks like a value; the key itself never goes in the config`);
    }
  }
}

/** One line: which key, and what was expected there. */
function describe(errors: ErrorObject[], raw: unknown): string {
  // oneOf failures report every branch; the most specific error is the deepest one.
  const e = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0]!;
  const key = e.instancePath.replace(/^\//, "").split("/").map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? "." : ""}${p.replace(/~1/g, "/").replace(/~0/g, "~")}`)).join("") || "(top level)";
  const got = valueAt(raw, e.instancePath);
  const shown = got === undefined ? "" : `, got ${JSON.stringify(got)?.slice(0, 60)}`;
  switch (e.keyword) {
    case "additionalProperties":
      return `${key === "(top level)" ? "" : `${key}.`}${(e.params as { additionalProperty: string }).additionalProperty}: unknown key`;
    case "required":
      return `${key}: missing "${(e.params as { missingProperty: string }).missingProperty}"`;
    case "enum":
      return `${key}: expected one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}${shown}`;
    case "pattern":
      if (e.propertyName !== undefined) return `${key}.${e.propertyName}: not a key it takes (expected ${e.parentSchema?.description ?? (e.params as { pattern: string }).pattern})`;
      return `${key}: expected ${e.parentSchema?.description ?? `a value matching ${(e.params as { pattern: string }).pattern}`}${shown}`;
    case "propertyNames":
      return `${key}: ${JSON.stringify((e.params as { propertyName: string }).propertyName)} is not a key it takes`;
    default:
      return `${key}: ${e.message}${e.parentSchema?.description && e.keyword === "oneOf" ? ` (${e.parentSchema.description})` : ""}${shown}`;
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: any = root;
  for (const p of pointer.split("/").slice(1)) v = v?.[p.replace(/~1/g, "/").replace(/~0/g, "~")];
  return v;
}

/**
 * The option values the config gives, named like the flags (`--agent-id` → "agent-id"), with the profile
 * chosen by `profile` (a named profile's settings over the top-level ones). Keys come from `env`.
 */
export function configValues(c: AgentwireConfig, profileFlag: string | undefined, env: NodeJS.ProcessEnv, file: string): Record<string, unknown> {
  const chosen = profileFlag ?? c.profile;
  const named = chosen !== undefined && c.profiles?.[chosen];
  const s: AgentwireConfig = named ? { ...c, ...named, profile: named.base, thresholds: { ...c.thresholds, ...named.thresholds }, load: { ...c.load, ...named.load } } : c;
  const v: Record<string, unknown> = {};
  const set = (flag: string, value: unknown) => {
    if (value !== undefined) v[flag] = value;
  };
  const m = s.targets?.managed;
  const a = s.targets?.agentServer;
  set("target", m?.url);
  set("agent-id", m?.agentId);
  if (m?.keyEnv) set("api-key-env", m.keyEnv);
  set("agent-server", a?.url);
  if (a?.keyEnv) {
    const key = env[a.keyEnv]?.trim();
    if (!key) throw new CliError(`${file}: targets.agentServer.keyEnv: the environment variable ${a.keyEnv} is not set or empty`);
    set("agent-server-key", key);
  }
  set("graph", a?.graphs && Object.entries(a.graphs).map(([role, id]) => `${role}=${id}`));
  set("reference", s.reference);
  set("spec", s.specs);
  set("only", s.only?.join(","));
  set("profile", named ? named.base : s.profile);
  set("seed", s.seed === undefined ? undefined : String(s.seed));
  set("out", s.out);
  set("history", s.history);
  set("summary-md", s.summaryMd);
  set("fault", s.faults);
  set("allow-host", s.allowHosts);
  set("workers", s.workers === undefined ? undefined : String(s.workers));
  set("shard", s.shard);
  set("operation", s.operations);
  set("grep", s.grep);
  set("verbose", s.verbose);
  set("record", s.record);
  set("response-time", s.responseTimeMs === undefined ? undefined : String(s.responseTimeMs));
  return v;
}
