/**
 * junit.xml: one test case per operation, stream check and multitask check, failures carrying the findings;
 * what could not be judged is an error (never a pass), and so is a target the suite stopped sending to.
 */
import { formatReplay, type Finding } from "../results/finding.ts";
import type { SideBySide } from "../results/side-by-side.ts";
import { blocksVerdict, type Summary } from "../results/summary.ts";
import { ofStrategyCheck, ofStream } from "../results/verdicts.ts";

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

interface Failure {
  type: string;
  message: string;
  text: string;
}

interface Case {
  suite: string;
  name: string;
  failures: Failure[];
  skipped?: string;
  /** Why it could not be judged. */
  error?: string;
  /** Seconds, where the run measured it. */
  time?: number;
}

const failure = (f: Finding): Failure => ({ type: f.check, message: f.message, text: `${f.message}\n${f.reproducer}${f.replay ? `\nreplay ${formatReplay(f.replay)}` : ""}\nfingerprint ${f.fingerprint}` });

export const renderJunit = (s: Summary): string => junitDocument(casesOf(s), s.durationMs, s.startedAt);

/** One document for a run against each reference: every suite named after its reference. */
export const renderJunitSideBySide = (x: SideBySide): string =>
  junitDocument(Object.entries(x.references).flatMap(([reference, s]) => casesOf(s, `${reference} › `)), x.durationMs, x.startedAt);

function casesOf(s: Summary, prefix = ""): Case[] {
  const cases: Case[] = [];
  const open = s.findings.filter((f) => !f.waived);
  const unjudged = s.notJudged.filter(blocksVerdict);
  if (s.unusable) cases.push({ suite: "target", name: "the target answers", failures: [], error: `unusable: ${s.unusable}` });
  for (const op of s.operations) {
    const why = unjudged.find((n) => n.spec === op.spec && n.operationId === op.operationId);
    const waivedHere = s.findings.filter((f) => f.waived && f.spec === op.spec && f.operationId === op.operationId);
    cases.push({
      suite: op.spec,
      name: `${op.operationId} (${op.method} ${op.path})`,
      failures: open.filter((f) => f.spec === op.spec && f.operationId === op.operationId).map(failure),
      skipped:
        op.verdict === "skipped"
          ? "not run"
          : op.verdict === "not-implemented"
            ? "not implemented: the target answers its valid requests like a path it does not have"
            : op.verdict === "waived"
              ? `waived: ${[...new Set(waivedHere.map((f) => `${f.waived!.waiver} (${f.waived!.reason})`))].join("; ")}`
              : undefined,
      error: why && `not judged: ${why.unit}: ${why.reason}`,
      ...(op.durationMs !== undefined ? { time: op.durationMs / 1000 } : {}),
    });
  }
  for (const n of unjudged.filter((x) => !x.operationId)) cases.push({ suite: "not judged", name: n.unit, failures: [], error: `not judged (${n.cause}): ${n.reason}` });
  for (const st of s.streams) {
    cases.push({
      suite: `${st.spec} streams`,
      name: `${st.operationId} ${st.streamMode} ${st.check}`,
      failures: st.verdict === "failed" ? open.filter(ofStream(st)).map(failure) : [],
      skipped: st.verdict === "skipped" ? `not judged: ${st.reason ?? "not run"}` : undefined,
    });
  }
  for (const st of s.load?.multitask?.strategies ?? []) {
    for (const c of st.checks) {
      cases.push({ suite: "agent-server multitask under load", name: `${st.strategy} ${c.check}`, failures: c.verdict === "failed" ? open.filter(ofStrategyCheck(st.strategy, c.check)).map(failure) : [] });
    }
  }
  for (const g of s.gates) {
    cases.push({ suite: "gates", name: g.name, failures: g.passed || g.notJudged ? [] : [{ type: g.name, message: g.detail, text: g.detail }], ...(g.notJudged ? { error: `not judged: ${g.notJudged}` } : {}) });
  }
  return cases.map((c) => ({ ...c, suite: `${prefix}${c.suite}` }));
}

function junitDocument(cases: Case[], durationMs: number, startedAt: string): string {
  const timestamp = startedAt.replace(/\.\d+Z$/, "");
  const suites = new Map<string, Case[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const body = [...suites]
    .map(([name, cs]) => {
      const failures = cs.filter((c) => c.failures.length).length;
      const errors = cs.filter((c) => c.error && !c.failures.length).length;
      const skipped = cs.filter((c) => c.skipped && !c.error && !c.failures.length).length;
      const time = cs.reduce((t, c) => t + (c.time ?? 0), 0);
      return `  <testsuite name="${esc(name)}" tests="${cs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${timestamp}" time="${time.toFixed(3)}">\n${cs.map(renderCase).join("")}  </testsuite>\n`;
    })
    .join("");
  const total = cases.length;
  const failed = cases.filter((c) => c.failures.length).length;
  const errors = cases.filter((c) => c.error && !c.failures.length).length;
  const skipped = cases.filter((c) => c.skipped && !c.error && !c.failures.length).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="agentwire" tests="${total}" failures="${failed}" errors="${errors}" skipped="${skipped}" timestamp="${timestamp}" time="${(durationMs / 1000).toFixed(3)}">\n${body}</testsuites>\n`;
}

function renderCase(c: Case): string {
  const inner = c.failures.length
    ? c.failures.map((f) => `<failure type="${esc(f.type)}" message="${esc(f.message)}">${esc(f.text)}</failure>`).join("")
    : c.error
      ? `<error message="${esc(c.error)}"/>`
      : c.skipped
        ? `<skipped message="${esc(c.skipped)}"/>`
        : "";
  return `    <testcase classname="${esc(c.suite)}" name="${esc(c.name)}"${c.time !== undefined ? ` time="${c.time.toFixed(3)}"` : ""}>${inner}</testcase>\n`;
}
