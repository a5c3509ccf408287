/**
 * `agentwire run`: resolve the target (starting the embedded reference when none is given), run the
 * phases, write summary.json, index.html and junit.xml, and exit with a code a CI gate can trust.
 */
import { join } from "node:path";
import { registerSecret } from "../../core/redact.ts";
import type { SpecId } from "../../core/target.ts";
import { keyHeaderOf } from "../../contract/oracle.ts";
import { lint } from "../../contract/model/lint.ts";
import { runLoadPhase } from "../../load/phase.ts";
import { writeReports } from "../../reporters/index.ts";
import type { Finding } from "../../results/finding.ts";
import { describeMachine } from "../../results/machine.ts";
import { mergeResults, type UnitResult } from "../../results/recorder.ts";
import { SCHEMA_VERSION, verdictOf, type Gate, type LoadReport, type Summary } from "../../results/summary.ts";
import { multitaskVerdicts, operationVerdicts, streamVerdicts } from "../../results/verdicts.ts";
import { applyWaivers } from "../../results/waivers.ts";
import type { RunConfig } from "../args.ts";
import { EXIT } from "../exit-codes.ts";
import { onInterrupt } from "../interrupt.ts";
import { packageInfo } from "../package-info.ts";
import { runConformance } from "../phases/conformance.ts";
import { resolveSpecs, resolveWaivers } from "../specs.ts";
import { assertReachable, isEmbedded, resolveTarget } from "../target.ts";

export async function run(config: RunConfig): Promise<number> {
  if (config.reference === "both" && isEmbedded(config)) return (await import("./both.ts")).runBoth(config);
  const startedAt = new Date();
  const t0 = performance.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  registerSecret(config.apiKey);
  registerSecret(config.agentServerKey);
  const pkg = packageInfo();
  log(`agentwire ${pkg.version} — seed ${config.seed} (same inputs again: --seed ${config.seed}), profile ${config.profile}`);

  // Every file is read before anything starts, so a bad one is exit 2 without waiting for a target.
  const specs = await resolveSpecs(config.specs);
  const server = config.reference === "python" ? "python" : "js";
  const waivers = resolveWaivers(config, isEmbedded(config) ? server : undefined);
  const interrupt = new AbortController();
  onInterrupt(() => {
    log("interrupted: stopping, writing what was measured so far (Ctrl-C again to force)");
    interrupt.abort();
  });

  const keyHeaders: Partial<Record<SpecId, string>> = {};
  for (const [spec, model] of Object.entries(specs.set) as [SpecId, NonNullable<(typeof specs.set)[SpecId]>][]) {
    const header = keyHeaderOf(model);
    if (header) keyHeaders[spec] = header;
  }
  const tag = `agentwire-${config.seed}-${process.pid}`;
  const resolved = await resolveTarget(config, server, keyHeaders, log);
  try {
    await assertReachable(resolved.target);
    const phases: Summary["phases"] = [];
    const results: UnitResult[] = [];
    let load: LoadReport | null = null;
    const gates: Gate[] = [];
    const loadFindings: Finding[] = [];
    const conformance = config.only.filter((p) => p !== "load") as ("contract" | "streams")[];

    if (conformance.length && !interrupt.signal.aborted) {
      const started = performance.now();
      const out = await runConformance({ config, target: resolved.target, specs: specs.files, waivers, projects: conformance, tag, signal: interrupt.signal, log });
      results.push(out.result);
      for (const p of conformance) phases.push({ name: p, ran: true, durationMs: performance.now() - started, note: out.note });
    }
    if (config.only.includes("load") && !interrupt.signal.aborted) {
      const started = performance.now();
      const out = await runLoadPhase({ target: resolved.target, profile: config.profile, seed: config.seed, allowHosts: config.allowHosts, tag, signal: interrupt.signal, log });
      load = out.load;
      gates.push(...out.gates);
      loadFindings.push(...out.findings);
      phases.push({ name: "load", ran: out.ran, durationMs: performance.now() - started, note: out.note });
    }
    for (const name of ["contract", "streams", "load"]) if (!phases.some((p) => p.name === name)) phases.push({ name, ran: false, durationMs: 0 });

    const merged = mergeResults(results);
    const { findings, unused } = applyWaivers([...merged.findings, ...loadFindings], waivers.waivers);
    // The reference's own waivers cover deviations some seeds do not reach; only the user's are worth a note.
    if (unused.length && config.waivers.length && !interrupt.signal.aborted) log(`note: waivers that matched nothing this run: ${unused.join(", ")}`);
    const partial: Omit<Summary, "verdict"> = {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: pkg.name, version: pkg.version },
      interrupted: interrupt.signal.aborted,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      targets: { embedded: resolved.target.embedded, ...(resolved.target.reference ? { reference: resolved.target.reference } : {}), managedDeepAgents: resolved.target.managedUrl, agentServer: resolved.target.agentServerUrl, faults: resolved.faults },
      seed: config.seed,
      profile: config.profile,
      phases,
      operations: operationVerdicts(documentedOperations(specs.set), merged.operations, findings),
      lint: Object.entries(specs.set).flatMap(([spec, model]) => lint(model!.spec, model!.validator).map((i) => ({ spec, ...i }))),
      findings,
      streams: streamVerdicts(merged.streams, findings),
      notJudged: merged.notJudged,
      load: load && multitaskVerdicts(load, findings),
      gates,
      machine: describeMachine(),
    };
    const summary: Summary = { ...partial, verdict: verdictOf(partial) };
    writeReports(summary, config.outDir);
    printOutcome(summary, config.outDir, log);
    if (summary.interrupted) return EXIT.interrupted;
    return summary.verdict === "pass" ? EXIT.conforms : EXIT.findings;
  } finally {
    await resolved.stop();
  }
}

export function printOutcome(s: Summary, outDir: string, log: (line: string) => void) {
  const open = s.findings.filter((f) => !f.waived).length;
  const waived = s.findings.length - open;
  const counts = s.operations.reduce<Record<string, number>>((acc, o) => ((acc[o.verdict] = (acc[o.verdict] ?? 0) + 1), acc), {});
  log("");
  log(`operations: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ") || "none"}`);
  log(`findings: ${open} open, ${waived} waived`);
  for (const g of s.gates) log(`gate ${g.name}: ${g.passed ? "met" : "BROKEN"} — ${g.detail}`);
  log(`reports: ${join(outDir, "index.html")}, ${join(outDir, "summary.json")}, ${join(outDir, "junit.xml")}`);
  log(`verdict: ${s.verdict.toUpperCase()}${s.interrupted ? " (interrupted)" : ""}`);
}

const documentedOperations = (set: Awaited<ReturnType<typeof resolveSpecs>>["set"]) =>
  (Object.entries(set) as [SpecId, NonNullable<(typeof set)[SpecId]>][]).flatMap(([spec, model]) => model.operations.map((op) => ({ spec, operationId: op.operationId, method: op.method, path: op.path })));
