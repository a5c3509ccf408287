/** The peer benchmark as Markdown: the README's `peers` section (`npm run bench -- --only peers --readme`). */
import type { PeersResult } from "./index.ts";
import type { PeerFinding } from "./findings.ts";

const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
const min = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
const n = (x: number) => x.toLocaleString("en-US");
const checks = (fs: PeerFinding[]) => [...new Set(fs.map((f) => `\`${f.check}\``))].join(", ");
const DOC: Record<string, string> = { "managed-deep-agents": "Managed", "agent-server": "Agent Server" };

interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
}

/**
 * The speed paragraph and table of an earlier section, for a run that skipped the speed part
 * (`--no-speed`): kept, and said to be from that run.
 */
export function earlierSpeed(section: string): string | undefined {
  const lines = section.split("\n");
  const from = lines.findIndex((l) => l.startsWith("Speed on the healthy reference"));
  if (from < 0) return undefined;
  // Its sentence, a blank line, then the table's rows.
  let to = from + 2;
  while (lines[to]?.startsWith("|")) to++;
  const earlier = /^From the earlier run of (\S+)/m.exec(section)?.[1] ?? /^Measured (\S+)/m.exec(section)?.[1];
  return `From the earlier run of ${earlier} (this run skipped the speed part):\n\n${lines.slice(from, to).join("\n")}`;
}

/** Schemathesis' runs stopped at a cap, and which runs its medians are over (load/bench/peers speedOf). */
export function stalls(x: { runs: { capped: boolean }[]; finished: number }): string {
  const of = x.runs.length;
  if (x.finished === of) return "";
  if (x.finished === 0) return of > 1 ? ` (each of its ${of} runs stalled and was stopped at the cap)` : " (it stalled and was stopped at the cap)";
  return ` (median of the ${x.finished} of ${of} runs that finished; ${of - x.finished} stalled in its stateful phase and ${of - x.finished > 1 ? "were" : "was"} stopped at the cap)`;
}

type Tried = PeersResult["detection"][number]["documents"][number];

const scopeCell = (d: Tried) =>
  d.scope.by === "any" ? `any † (${d.scope.why === "emulator" ? "lives in the emulator" : "its match needs more than method and path"})` : d.scope.names.length <= 3 ? d.scope.names.map((x) => `\`${x}\``).join(", ") : `${d.scope.names.length} operations`;
const elsewhere = (fs: PeerFinding[]) => (fs.length ? `; ${fs.length} new elsewhere, not credited` : "");
const noise = (fs: PeerFinding[]) => (fs.length ? `; ${checks(fs)} seen without the fault, not credited` : "");
const capped = (r: { capped: boolean; cappedIn?: string }) => (r.capped ? ` (capped${r.cappedIn ? ` in ${r.cappedIn}` : ""})` : "");
const names = (xs: string[]) => (xs.length ? xs.map((x) => `\`${x}\``).join(", ") : "none");

export function renderPeers(r: PeersResult, machine: Machine, date: string, previousSpeed?: string): string {
  const st = r.settings.schemathesis;
  const lines = [
    `Measured ${date} on ${machine.cpus} vCPUs (${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node.replace(/^v/, "")}); Schemathesis ${st.version} ` +
      `(\`--phases ${st.phases} --checks ${st.checks} --workers ${st.workers} --seed ${st.seed} --request-timeout ${st.requestTimeoutS}\`, every operation of both documents).`,
    "",
  ];
  if (r.speed.length) {
    lines.push(
      `Speed on the healthy reference, ${r.settings.repeats > 1 ? `medians of ${r.settings.repeats}` : "one run each"}: agentwire \`--profile ${r.settings.speed.profile} --only ${r.settings.speed.only}\` ` +
        `(its wall time includes starting its own reference), Schemathesis \`--max-examples ${r.settings.speed.maxExamples}\` capped at ${s(r.settings.speed.capMs)}:`,
      "",
      "| document | agentwire | Schemathesis | req/s ratio |",
      "|---|---|---|---|",
      ...r.speed.map((x) => {
        const cell = (m: { wallMs: number; requests: number; reqPerS: number }) => `${s(m.wallMs)}, ${n(m.requests)} requests, ${m.reqPerS} req/s`;
        const internal = Math.max(0, ...x.schemathesis.runs.map((q) => q.internalErrors ?? 0));
        const own = internal ? `; ${internal} test cases ended in its own internal error` : "";
        const awCapped = x.agentwire.runs.some((q) => q.capped) ? " (capped)" : "";
        return `| ${DOC[x.spec]} | ${cell(x.agentwire.median)}${awCapped} | ${cell(x.schemathesis.median)}${stalls(x.schemathesis)}${own} | ${x.ratio ?? "—"}× |`;
      }),
      "",
    );
  } else if (previousSpeed) lines.push(previousSpeed, "");
  if (r.detection.length) {
    const d = r.detection;
    const tried = d.flatMap((x) => x.documents.map((doc) => ({ ...doc, fault: x.fault, phases: x.phases })));
    const aw = d.filter((x) => x.agentwire.detected).map((x) => x.fault);
    const sc = d.filter((x) => x.schemathesis.detected).map((x) => x.fault);
    // A fault's time on a document is its slower tool's run.
    const slower = (x: Tried) => Math.max(x.agentwire.wallMs, x.schemathesis.wallMs);
    const times = tried.map(slower).sort((a, b) => a - b);
    const longest = tried.reduce((m, x) => (slower(x) > slower(m) ? x : m));
    lines.push(
      `Detection: each fault on each document it breaks, each tool on a reference of its own with the fault, two tool runs at a time; agentwire \`--profile ${r.settings.detect.profile}\` ` +
        "with the phases that judge the checks the fault declares (`--only`), " +
        `Schemathesis \`--max-examples ${r.settings.detect.maxExamples}\` capped at ${s(r.settings.detect.capMs)}, its stateful phase at ${s(r.settings.detect.statefulCapMs)}. ` +
        `A tool reports a fault when, on one of its documents, the faulty run has a finding none of its ${r.settings.healthyRuns} healthy runs had, ` +
        "on an operation the fault changes: those its own request match takes, asked about every operation of the document (and about the methods a path does not declare); " +
        "† where it takes none by method and path, any operation counts. A broken load gate or a finding of the multitask bursts is on the operations that part of the load phase sends; " +
        "‡ a finding judged over several requests by a check the fault declares counts on whichever operation it names. " +
        "New findings on other operations are counted, not credited, and so is a finding the runs of two other faults had on operations their faults do not change " +
        "(found there with nothing it is on broken: exploration noise). ✓ by the check the fault is declared to break; ✓* by another one:",
      "",
      "| fault | document | operations it changes | agentwire `--only` | agentwire | Schemathesis | s (agentwire / Schemathesis) |",
      "|---|---|---|---|---|---|---|",
      ...tried.map((x) => {
        const found = x.agentwire.findings.map((f) => ({ ...f, check: x.agentwire.offScope.some((o) => o.key === f.key) ? `${f.check}‡` : f.check }));
        const a = `${x.agentwire.detected ? `${x.agentwire.byExpectedCheck ? "✓" : "✓*"} ${checks(found)}` : "✗"}${noise(x.agentwire.noise)}${elsewhere(x.agentwire.elsewhere)}`;
        const b = `${x.schemathesis.detected ? `✓ ${checks(x.schemathesis.findings)}` : "✗"}${noise(x.schemathesis.noise)}${elsewhere(x.schemathesis.elsewhere)}${capped(x.schemathesis)}`;
        return `| \`${x.fault}\` | ${DOC[x.spec]} | ${scopeCell(x)} | ${x.phases.join(", ")} | ${a} | ${b} | ${(x.agentwire.wallMs / 1000).toFixed(0)} / ${(x.schemathesis.wallMs / 1000).toFixed(0)} |`;
      }),
      "",
      `agentwire reports ${aw.length} of ${d.length} faults, Schemathesis ${sc.length}. Reported by Schemathesis and not by agentwire: ${names(sc.filter((f) => !aw.includes(f)))}. ` +
        `By neither: ${names(d.filter((x) => !x.agentwire.detected && !x.schemathesis.detected).map((x) => x.fault))}.` +
        r.leftOut.map((l) => ` Not tried: \`${l.fault}\`, since the shipped documents allow what it does (${l.why}).`).join(""),
      "",
      `Time: ${min(r.time.wallMs)} for the healthy baselines and the ${d.length} faults on ${tried.length} fault–document pairs, two tool runs at a time, the next one starting as soon as one ends ` +
        `(agentwire's runs ${min(r.time.agentwireMs)} in all, Schemathesis' ${min(r.time.schemathesisMs)}); a pair's slower run takes ${s(times[Math.floor(times.length / 2)]!)} at the median, ` +
        `the longest ${s(slower(longest))} (\`${longest.fault}\` on the ${DOC[longest.spec]} document).`,
      "",
      `On the healthy reference at the same budget (what a tool reports there is a false alarm or a true deviation of the reference; agentwire's waivers name the latter with reasons); the first of the ${r.settings.healthyRuns} runs, and what differed between them:`,
      "",
      "| document | agentwire `--only` | agentwire open (waived) | Schemathesis | differed between the runs |",
      "|---|---|---|---|---|",
      ...r.healthy.map(
        (h) =>
          `| ${DOC[h.spec]} | ${h.phases.join(", ")} | ${h.agentwire.open.length} (${h.agentwire.waived}) | ${h.schemathesis.length}: ${checks(h.schemathesis) || "—"} | ` +
          `agentwire ${h.unstable.agentwire.length}, Schemathesis ${h.unstable.schemathesis.length} |`,
      ),
    );
  }
  return lines.join("\n");
}
