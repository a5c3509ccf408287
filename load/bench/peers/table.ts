/** The peer benchmark as Markdown: the README's `peers` section (`npm run bench -- --only peers --readme`). */
import type { PeersResult } from "./index.ts";
import type { PeerFinding } from "./findings.ts";

const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
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

const scopeCell = (d: PeersResult["detection"][number]) =>
  d.scope.by === "any" ? `any † (${d.scope.why === "emulator" ? "lives in the emulator" : "its match needs more than method and path"})` : d.scope.names.length <= 3 ? d.scope.names.map((x) => `\`${x}\``).join(", ") : `${d.scope.names.length} operations`;
const elsewhere = (fs: PeerFinding[]) => (fs.length ? `; ${fs.length} new elsewhere, not credited` : "");

export function renderPeers(r: PeersResult, machine: Machine, date: string, previousSpeed?: string): string {
  const st = r.settings.schemathesis;
  const lines = [
    `Measured ${date} on ${machine.cpus} vCPUs (${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node.replace(/^v/, "")}); Schemathesis ${st.version} ` +
      `(\`--phases ${st.phases} --checks ${st.checks} --workers ${st.workers} --seed ${st.seed} --request-timeout ${st.requestTimeoutS}\`; ` +
      `on the Agent Server document without its ${st.excluded["agent-server"].length} event-stream operations).`,
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
        const cell = (m: { wallMs: number; requests: number; reqPerS: number }, capped: boolean) => `${s(m.wallMs)}, ${n(m.requests)} requests, ${m.reqPerS} req/s${capped ? " (capped)" : ""}`;
        const internal = Math.max(0, ...x.schemathesis.runs.map((q) => q.internalErrors ?? 0));
        const own = internal ? `; ${internal} test cases ended in its own internal error` : "";
        return `| ${DOC[x.spec]} | ${cell(x.agentwire.median, x.agentwire.runs.some((q) => q.capped))} | ${cell(x.schemathesis.median, x.schemathesis.runs.some((q) => q.capped))}${own} | ${x.ratio ?? "—"}× |`;
      }),
      "",
    );
  } else if (previousSpeed) lines.push(previousSpeed, "");
  if (r.detection.length) {
    lines.push(
      `Detection: each fault on the document it breaks, both tools at once, each on its own reference with the fault; agentwire \`--profile ${r.settings.detect.profile} --only ${r.settings.detect.only}\`, ` +
        `Schemathesis \`--max-examples ${r.settings.detect.maxExamples}\` capped at ${s(r.settings.detect.capMs)}. A tool reports a fault when the faulty run has a finding its healthy run did not, ` +
        "on an operation the fault changes: those its own request match takes, asked about every operation of the document (and about the methods a path does not declare); " +
        "† where it takes none by method and path, any operation counts. New findings on other operations are counted, not credited " +
        "(✓ by the check the fault is declared to break; ✓* by another one):",
      "",
      "| fault | document | operations it changes | agentwire | Schemathesis |",
      "|---|---|---|---|---|",
      ...r.detection.map((d) => {
        const aw = `${d.agentwire.detected ? `${d.agentwire.byExpectedCheck ? "✓" : "✓*"} ${checks(d.agentwire.findings)}` : "✗"}${elsewhere(d.agentwire.elsewhere)}`;
        const sc = `${d.schemathesis.detected ? `✓ ${checks(d.schemathesis.findings)}` : "✗"}${elsewhere(d.schemathesis.elsewhere)}`;
        return `| \`${d.fault}\` | ${DOC[d.spec]} | ${scopeCell(d)} | ${aw} | ${sc}${d.schemathesis.capped ? " (capped)" : ""} |`;
      }),
      "",
      "On the healthy reference at the same budget (what a tool reports there is a false alarm or a true deviation of the reference; agentwire's waivers name the latter with reasons):",
      "",
      "| document | agentwire open (waived) | Schemathesis |",
      "|---|---|---|",
      ...r.healthy.map((h) => `| ${DOC[h.spec]} | ${h.agentwire.open.length} (${h.agentwire.waived}) | ${h.schemathesis.length}: ${checks(h.schemathesis) || "—"} |`),
    );
  }
  return lines.join("\n");
}
