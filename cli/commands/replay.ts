/**
 * `agentwire replay <fingerprint|seed:path>`: re-sends the exact request behind a finding of a report
 * (--from, default reports/) to a target — the embedded reference again (with the run's faults, or none
 * with --healthy) or the one named — and judges the answer with the finding's check: reproduced (exit 1),
 * gone (exit 0), or not judged (exit 1, saying why). Findings judged over a stream, a flow or a burst are
 * not one exchange: replay names the unit and the run that repeats it.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CHECKS } from "../../core/checks.ts";
import { ApiClient } from "../../core/client.ts";
import type { Exchange, HttpRequest } from "../../core/exchange.ts";
import { redact } from "../../core/redact.ts";
import { endpointOf, type SpecId, type Target } from "../../core/target.ts";
import type { Intent } from "../../contract/checks/types.ts";
import { keyHeaderOf, oracleFor } from "../../contract/oracle.ts";
import { formatReplay, type Finding } from "../../results/finding.ts";
import { fingerprintOf } from "../../results/fingerprint.ts";
import type { Summary } from "../../results/summary.ts";
import type { ReplayArgs } from "../args.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { leftoversOf, RUN_TAG } from "../leftovers.ts";
import { resolveSpecs } from "../specs.ts";
import { resolveTarget } from "../target.ts";


export async function replay(config: ReplayArgs): Promise<number> {
  const log = (line: string) => process.stdout.write(`${redact(line)}\n`);
  const summary = readSummary(config.from);
  const finding = pick(summary.findings, config.id, config.from);
  const kind = CHECKS[finding.check].kind;
  if (kind !== "exchange" || !finding.exchange) {
    const unit = finding.unit?.scenario ?? finding.unit?.flow ?? finding.unit?.family ?? finding.operationId;
    throw new CliError(`${finding.fingerprint} (${finding.check}) is judged over a ${kind === "exchange" ? "unit" : kind}, not one exchange: repeat its unit with agentwire run --grep "${unit}" --seed ${summary.seed}${summary.targets.faults.length ? ` --fault ${summary.targets.faults.join(" --fault ")}` : ""}`);
  }
  const embedded = config.run.managedUrl === undefined && config.run.agentServerUrl === undefined;
  if (embedded && !summary.targets.embedded) throw new CliError(`the finding comes from a run against ${summary.targets.managedDeepAgents ?? summary.targets.agentServer}: name the target to replay it on (--target or --agent-server, with its key)`);
  const faults = embedded && !config.healthy && config.run.faults.length === 0 ? summary.targets.faults : config.run.faults;
  const specs = await resolveSpecs([]);
  const keyHeaders: Partial<Record<SpecId, string>> = {};
  for (const [spec, model] of Object.entries(specs.set) as [SpecId, NonNullable<(typeof specs.set)[SpecId]>][]) keyHeaders[spec] = keyHeaderOf(model) ?? "x-api-key";
  const resolved = await resolveTarget({ ...config.run, faults }, summary.targets.reference ?? "js", keyHeaders, () => undefined);
  try {
    const endpoint = endpointOf(resolved.target, finding.spec);
    if (!endpoint) throw new CliError(`the target given does not serve the ${finding.spec} API the finding is about`);
    const original = finding.spec === "managed-deep-agents" ? summary.targets.managedDeepAgents : summary.targets.agentServer;
    const request = rebase(finding.exchange.request, original, endpoint);
    log(`replaying ${finding.fingerprint} ${finding.check} on ${finding.spec} ${finding.operationId}${finding.replay ? ` (replay ${formatReplay(finding.replay)})` : ""} against ${embedded ? `the embedded reference${faults.length ? ` with ${faults.join(", ")}` : " (healthy)"}` : endpoint.baseUrl}`);
    log(`> ${request.method} ${request.url}${request.body !== undefined ? ` ${request.body.slice(0, 500)}` : ""}`);
    let exchange: Exchange;
    try {
      exchange = await new ApiClient({ baseUrl: endpoint.baseUrl }).send(request);
    } catch (error) {
      throw new CliError(`no usable answer: ${(error as Error).message}`, EXIT.unreachable);
    }
    log(`< ${exchange.response.status} ${exchange.response.headers["content-type"] ?? ""} ${exchange.response.body.slice(0, 500)}`);
    if (!embedded && request.method !== "GET" && exchange.response.status < 300) await removeCreated(resolved.target, request, log);
    const intent = intentOf(finding);
    const violations = oracleFor(specs.set)(finding.spec, finding.operationId, exchange, intent).filter((v) => v.check === finding.check);
    const prints = violations.map((v) => ({ ...v, fingerprint: fingerprintOf({ ...v, spec: finding.spec, operationId: finding.operationId, streamMode: finding.streamMode, strategy: finding.strategy }) }));
    const same = prints.find((v) => v.fingerprint === finding.fingerprint);
    if (same) {
      log(`reproduced: ${finding.check}: ${same.message}`);
      return EXIT.findings;
    }
    if (prints.length) {
      log(`still failing, differently: ${prints.map((v) => `${v.fingerprint} ${v.check}: ${v.message}`).join("; ")}`);
      return EXIT.findings;
    }
    // A request naming what the original run created meets a target without it: that is no verdict.
    const was = finding.exchange.status;
    if (intent.kind === "valid" && exchange.response.status === 404 && was !== 404) {
      log(`not judged: answered 404 where the run got ${was ?? "an answer"}; the request may name resources that run created, which are gone`);
      return EXIT.findings;
    }
    log(`gone: ${finding.check} holds for this exchange`);
    return EXIT.conforms;
  } finally {
    await resolved.stop();
  }
}

/** What an accepted replay made on someone's target is deleted, found by the run's tag it carries, as a run does. */
async function removeCreated(target: Target, request: HttpRequest, log: (line: string) => void) {
  const tag = RUN_TAG.exec(request.body ?? "")?.[0];
  if (!tag) return log("note: the request was accepted and carries no run tag: anything it made is not looked for");
  const left = await leftoversOf(target, tag, [], undefined);
  log(left.length ? `left on the target (delete by hand): ${left.map((l) => `${l.method} ${l.path} (${l.reason})`).join("; ")}` : `deleted what carries the tag ${tag}`);
}

function readSummary(from: string): Summary {
  const file = existsSync(from) && statSync(from).isDirectory() ? join(from, "summary.json") : from;
  if (!existsSync(file)) throw new CliError(`${file} does not exist: name the report folder of the run with --from`);
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as Summary;
    if (!Array.isArray(s.findings)) throw new Error("not an agentwire summary.json");
    return s;
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message.split("\n")[0]}`);
  }
}

function pick(findings: Finding[], id: string, from: string): Finding {
  const withPrint = findings.map((f) => ({ ...f, fingerprint: f.fingerprint ?? fingerprintOf(f) }));
  const matching = /^[0-9a-f]{4,16}$/.test(id) ? withPrint.filter((f) => f.fingerprint.startsWith(id)) : withPrint.filter((f) => f.replay && formatReplay(f.replay) === id);
  const prints = [...new Set(matching.map((f) => f.fingerprint))];
  if (prints.length === 0) throw new CliError(`no finding ${id} in ${from} (give a fingerprint, or a replay id such as 1:2:0 from the report)`);
  if (prints.length > 1) throw new CliError(`${id} names ${prints.length} findings in ${from} (${prints.slice(0, 5).join(", ")}): give the fingerprint`);
  return matching[0]!;
}

/** The request as sent, at the new base URL, with the new target's key where the original carried one. */
function rebase(req: HttpRequest, originalBase: string | undefined, endpoint: { baseUrl: string; auth?: { header: string; value: string } }): HttpRequest {
  const url = originalBase && req.url.startsWith(originalBase) ? endpoint.baseUrl + req.url.slice(originalBase.length) : req.url;
  if (url === req.url && originalBase) throw new CliError(`the finding's request (${req.url}) is not under the run's base URL ${originalBase}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value.includes("***")) {
      if (endpoint.auth && name === endpoint.auth.header) headers[name] = endpoint.auth.value;
      continue;
    }
    headers[name] = value;
  }
  return { ...req, url, headers };
}

/** Why the request was sent, from the unit that sent it and what the finding says. */
function intentOf(f: Finding): Intent {
  switch (f.unit?.family) {
    case "negative":
      return { kind: "invalid", what: /\(([^)]*)\)/.exec(f.message)?.[1] ?? "the finding's input" };
    case "auth":
      return /unknown API key/.test(f.message) ? { kind: "bad-auth" } : { kind: "no-auth" };
    case "unknown-ids":
      return { kind: "unknown-id", parameter: /an unknown (\w+)/.exec(f.message)?.[1] ?? "id" };
    default:
      return { kind: "valid" };
  }
}
