/**
 * `agentwire run`: resolve the target (starting the embedded reference when none is given), run the
 * phases, write summary.json, index.html and junit.xml, and exit with a code a CI gate can trust. An
 * interrupt writes the reports at once (marked interrupted), then again once the run has stopped.
 */
import { join } from "node:path";
import { trippedBreaker } from "../../core/client.ts";
import { limits } from "../../core/limits.ts";
import { redact, registerSecret } from "../../core/redact.ts";
import { endpointOf, type SpecId } from "../../core/target.ts";
import { responseTimeNotJudged } from "../../contract/checks/timing.ts";
import { keyHeaderOf } from "../../contract/oracle.ts";
import { runLoadPhase } from "../../load/phase.ts";
import { writeMarkdownSummary, writeReports } from "../../reporters/index.ts";
import { blocksVerdict, judgedAnything, type Summary } from "../../results/summary.ts";
import type { TimeReport } from "../../results/timing.ts";
import { removeParts } from "../../runner/shared.ts";
import type { RunConfig } from "../args.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { onInterrupt, signalGroups } from "../interrupt.ts";
import { appendHistory } from "../history.ts";
import { leftoversOf, runTag } from "../leftovers.ts";
import { checkOutFile, prepareOutDir } from "../out-dir.ts";
import { packageInfo } from "../package-info.ts";
import { conformanceSoFar, runConformance } from "../phases/conformance.ts";
import { resolveSpecs, resolveWaivers } from "../specs.ts";
import { walkSummary, RunRecord, type PhaseName } from "../summary.ts";
import { assertReachable, isEmbedded, resolveTarget } from "../target.ts";

export async function run(config: RunConfig): Promise<number> {
  if (config.reference === "both" && isEmbedded(config)) return (await import("./both.ts")).runBoth(config);
  const log = (line: string) => process.stderr.write(`${redact(line)}\n`);
  try {
    limits();
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  registerSecret(config.apiKey);
  registerSecret(config.agentServerKey);
  prepareOutDir(config.outDir);
  if (config.record?.file) checkOutFile("--record", config.record.file);
  log(`agentwire ${packageInfo().version} — seed ${config.seed} (same inputs again: --seed ${config.seed}), profile ${config.profile}`);

  // Every file is read before anything starts, so a bad one is exit 2 without waiting for a target.
  const specs = await resolveSpecs(config.specs);
  const known = new Set(Object.values(specs.set).flatMap((m) => m!.operations.map((o) => o.operationId)));
  for (const id of config.operations) if (!known.has(id)) throw new CliError(`--operation ${id}: no such operationId in the documents`);
  const server = config.reference === "python" ? "python" : "js";
  const waivers = resolveWaivers(config, isEmbedded(config) ? server : undefined);
  const record = new RunRecord(config, specs.set, waivers.waivers);
  if (config.only.includes("contract")) {
    const w = walkSummary(specs.set, config.profile);
    log(`random walks: ${w.walks} per API of up to ${w.steps} steps (seed ${config.seed}), over ${w.links.map((l) => `${l.documented + l.inferred} links of ${l.spec} (${l.documented} documented, ${l.inferred} inferred)`).join(", ")}`);
  }
  const interrupt = new AbortController();
  let conformanceRunning = false;
  /** The reports of what was measured so far (the conformance runner's results are read from its parts). */
  const write = () => {
    const { summary } = record.summary(conformanceRunning ? conformanceSoFar(config.outDir).result : undefined);
    writeReports(summary, config.outDir);
  };
  onInterrupt(
    () => {
      log("interrupted: stopping and cleaning up; the reports hold what was measured so far (interrupt again to stop at once)");
      record.interrupted = true;
      interrupt.abort();
      write();
    },
    () => {
      log("interrupted again: stopping now");
      signalGroups("SIGKILL");
      write();
      process.exit(EXIT.interrupted);
    },
  );

  const keyHeaders: Partial<Record<SpecId, string>> = {};
  for (const [spec, model] of Object.entries(specs.set) as [SpecId, NonNullable<(typeof specs.set)[SpecId]>][]) {
    const header = keyHeaderOf(model);
    if (header) keyHeaders[spec] = header;
  }
  const tag = runTag(config.seed, process.pid);
  const resolved = await resolveTarget(config, server, keyHeaders, log);
  record.target = resolved.target;
  record.faults = resolved.faults;
  try {
    try {
      await assertReachable(resolved.target);
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== EXIT.unreachable) throw error;
      record.unusable = error.message;
    }
    const conformance = config.only.filter((p) => p !== "load") as ("contract" | "streams")[];
    const skipWhy = () => (record.unusable ? "not started: the target is unusable" : "not started: the run was interrupted");
    // A phase under way when an interrupt writes the reports is shown as such.
    const begin = (p: PhaseName) => record.phases.set(p, { name: p, ran: true, durationMs: 0, note: "under way when the run was interrupted" });
    if (conformance.length && !interrupt.signal.aborted && !record.unusable) {
      const started = performance.now();
      conformance.forEach(begin);
      conformanceRunning = true;
      const out = await runConformance({ config, target: resolved.target, specs: specs.files, waivers, phases: conformance, tag, signal: interrupt.signal, log });
      record.conformance = out.result;
      // Off, or on but not for the operations the document says wait: said, never silently absent.
      if (conformance.includes("contract")) {
        const models = Object.fromEntries(Object.entries(specs.set).filter(([spec]) => endpointOf(resolved.target, spec as SpecId)));
        out.result.notJudged.push(...responseTimeNotJudged(models, config.responseTimeMs, config.operations));
      }
      conformanceRunning = false;
      record.leftovers.push(...out.leftovers);
      // After an interrupt a failing target says nothing: the interrupt (and the reference it stops) explains it.
      if (!interrupt.signal.aborted) record.unusable ??= unusable(out.unusable);
      for (const p of conformance) record.phases.set(p, { name: p, ran: true, durationMs: performance.now() - started, ...(interrupt.signal.aborted ? { note: "interrupted" } : {}) });
    }
    for (const p of conformance) record.notStarted(p, skipWhy());
    if (config.only.includes("load") && !interrupt.signal.aborted && !record.unusable) {
      const started = performance.now();
      begin("load");
      const out = await runLoadPhase({ target: resolved.target, profile: config.profile, seed: config.seed, allowHosts: config.allowHosts, workers: config.loadWorkers, tag, signal: interrupt.signal, log, thresholds: config.thresholds, shape: config.loadShape });
      record.load = out.load;
      record.gates.push(...out.gates);
      record.loadFindings.push(...out.findings);
      record.leftovers.push(...out.leftovers);
      record.phases.set("load", { name: "load", ran: out.ran, durationMs: performance.now() - started, ...(out.note ? { note: out.note } : {}) });
    }
    if (config.only.includes("load")) record.notStarted("load", skipWhy());
    if (!interrupt.signal.aborted) record.unusable ??= unusable(trippedBreaker());
    // An embedded reference takes everything with it when it stops.
    if (!(interrupt.signal.aborted && resolved.target.embedded)) record.leftovers.push(...(await leftoversOf(resolved.target, tag, record.leftovers.splice(0), record.unusable)));
  } finally {
    await resolved.stop();
  }
  const { summary } = record.summary();
  writeReports(summary, config.outDir);
  removeParts(config.outDir);
  printOutcome(summary, config.outDir, log);
  try {
    writeMarkdownSummary(summary, config.summaryMd, process.env.GITHUB_STEP_SUMMARY);
  } catch (error) {
    log(`note: the Markdown summary could not be written: ${(error as Error).message}`);
  }
  if (config.history) log(`history: added as ${appendHistory(config.history, join(config.outDir, "summary.json"))} in ${config.history}`);
  if (summary.interrupted) return EXIT.interrupted;
  if (summary.unusable) return EXIT.unreachable;
  return summary.verdict === "pass" ? EXIT.conforms : EXIT.findings;
}

/** Where the conformance units' time went, in one line. */
function describeTime(t: TimeReport): string | undefined {
  if (!t.phases.length) return undefined;
  const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const phases = t.phases.map((p) => `${p.name} ${s(p.ms)} in ${p.units} units`).join(", ");
  const slowest = t.slowest[0];
  return `time: ${phases}; ${Math.round(t.targetShare * 100)} % of it waiting on the target${slowest ? `; slowest ${slowest.unit} (${s(slowest.ms)})` : ""}`;
}

const unusable = (why: string | undefined) => why && `target unusable: ${why}`;

export function printOutcome(s: Summary, outDir: string, log: (line: string) => void) {
  const open = s.findings.filter((f) => !f.waived).length;
  const waived = s.findings.length - open;
  const counts = s.operations.reduce<Record<string, number>>((acc, o) => ((acc[o.verdict] = (acc[o.verdict] ?? 0) + 1), acc), {});
  const unjudged = s.notJudged.filter(blocksVerdict);
  log("");
  log(`operations: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ") || "none"}`);
  log(`findings: ${open} open, ${waived} waived`);
  if (unjudged.length) log(`not judged: ${unjudged.length} units (e.g. ${unjudged[0]!.unit}: ${unjudged[0]!.reason})`);
  if (!judgedAnything(s)) log(`nothing was judged${s.notJudged[0] ? `: every unit was not applicable (e.g. ${s.notJudged[0].unit}: ${s.notJudged[0].reason})` : ""}`);
  for (const g of s.gates) log(`gate ${g.name}: ${g.notJudged ? "NOT JUDGED" : g.passed ? "met" : "BROKEN"} — ${g.detail}`);
  for (const w of s.waivers?.expired ?? []) log(`waiver ${w.id} expired on ${w.expires}${w.owner ? ` (owner ${w.owner}${w.ticket ? `, ${w.ticket}` : ""})` : w.ticket ? ` (${w.ticket})` : ""}: its ${w.findings} finding${w.findings === 1 ? " is" : "s are"} open`);
  if (s.waivers?.stale.length) log(`stale waivers (matched nothing this run): ${s.waivers.stale.map((w) => w.id).join(", ")}`);
  const time = describeTime(s.time);
  if (time) log(time);
  if (s.leftovers.length) log(`left on the target: ${s.leftovers.map((l) => `${l.spec} ${l.path} (${l.reason})`).join("; ")}`);
  log(`reports: ${join(outDir, "index.html")}, ${join(outDir, "summary.json")}, ${join(outDir, "junit.xml")}`);
  log(`verdict: ${s.verdict.toUpperCase()}${s.interrupted ? " (interrupted)" : ""}`);
  // Why the target could not be tested is the run's one error line.
  if (s.unusable) log(`agentwire: ${s.unusable}`);
}
