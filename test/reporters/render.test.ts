import { test } from "node:test";
import assert from "node:assert/strict";
import { renderHtml } from "../../reporters/html.ts";
import { renderJunit } from "../../reporters/junit.ts";
import { renderMarkdown, renderSideBySideMarkdown } from "../../reporters/markdown.ts";
import { sideBySide } from "../../results/side-by-side.ts";
import { mergeTimeReports, timeReport } from "../../results/timing.ts";
import { verdictOf } from "../../results/summary.ts";
import { summary } from "../support/summary.ts";

test("the verdict fails on an open finding, a broken gate or an interruption, and passes otherwise", () => {
  const s = summary();
  assert.equal(verdictOf(s), "fail");
  assert.equal(verdictOf({ ...s, findings: s.findings.filter((f) => f.waived) }), "pass");
  assert.equal(verdictOf({ ...s, findings: [], gates: [{ name: "g", passed: false, detail: "" }] }), "fail");
  assert.equal(verdictOf({ ...s, findings: [], interrupted: true }), "fail");
});

test("the HTML report is one self-contained page that escapes what the target sent", () => {
  const html = renderHtml(summary());
  // One inline script (the filters), nothing loaded from anywhere: no src, no stylesheet link, no url(), links only within the page.
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
  assert.match(html, /<script>\(\(\) => \{/);
  assert.doesNotMatch(html, /<link\b|\bsrc=|url\(|@import/);
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^#[\w-]+$/, href);
  assert.match(html, /&lt;script&gt;/);
  assert.doesNotMatch(html, /must be string <script>/);
  for (const text of ["FAIL", "getManagedDeepAgent", "1 open, 1 waived", "Waived: known", "waived: w", "load_ttft_slo", "Highest concurrency within SLO"]) assert.ok(html.toLowerCase().includes(text.toLowerCase()), text);
});

test("the JUnit report has a failing case per operation with open findings, waived ones not failing", () => {
  const xml = renderJunit(summary());
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
  assert.match(xml, /<testsuites name="agentwire" tests="3" failures="1"/);
  assert.equal((xml.match(/<failure /g) ?? []).length, 1);
  assert.match(xml, /&lt;script&gt;/);
});

test("the HTML and JUnit reports show each multitask strategy's checks", () => {
  const multitask = {
    threadsPerStrategy: 2, runsPerThread: 4, gapMs: [10, 150] as [number, number], seed: 1, deadlineMs: 30_000, wallMs: 1500,
    strategies: [{ strategy: "enqueue" as const, threads: 2, runsSent: 8, created: 8, refused: 0, fates: { success: 7, deleted: 1 }, maxRunningOnOneThread: 1,
      checks: [{ check: "multitask_load_no_lost_runs" as const, verdict: "failed" as const }, { check: "multitask_load_outcome" as const, verdict: "waived" as const }] }],
  };
  const lost = { fingerprint: "f2", check: "multitask_load_no_lost_runs" as const, spec: "agent-server" as const, operationId: "create_run_threads__thread_id__runs_post", message: "run 1 (r1) was accepted but no longer exists", strategy: "enqueue", reproducer: "curl" };
  const s = summary({ load: { ...summary().load!, multitask }, findings: [lost] });
  const html = renderHtml(s);
  for (const text of ["Concurrent runs on one thread", "7 success, 1 deleted", "no_lost_runs", "v-failed", "v-waived"]) assert.ok(html.includes(text), text);
  const xml = renderJunit(s);
  assert.match(xml, /<testcase classname="agent-server multitask under load" name="enqueue multitask_load_no_lost_runs"><failure /);
  assert.match(xml, /name="enqueue multitask_load_outcome"><\/testcase>/);
});

test("a unit not judged fails the verdict unless it does not apply; the reports show it as an error, never a pass", () => {
  const clean = summary({ findings: [] });
  const na = { unit: "agent-server › docs_get › negative", spec: "agent-server" as const, operationId: "docs_get", reason: "the document allows any input to this operation", cause: "not-applicable" as const };
  const blocked = { unit: "managed-deep-agents › getManagedDeepAgent › positive", spec: "managed-deep-agents" as const, operationId: "getManagedDeepAgent", reason: "could not prepare it: POST /agents answered 500", cause: "target" as const };
  const rule = { unit: "managed › stream mode values › stream_terminates", spec: "managed-deep-agents" as const, reason: "the scenario did not get far enough", cause: "target" as const };
  assert.equal(verdictOf({ ...clean, notJudged: [na] }), "pass");
  assert.equal(verdictOf({ ...clean, notJudged: [na, blocked] }), "fail");
  assert.equal(verdictOf({ ...clean, unusable: "target unusable: connection refused" }), "fail");
  const nothing = { ...clean, operations: clean.operations.map((o) => ({ ...o, verdict: "skipped" as const })), streams: [], gates: [], notJudged: [na] };
  assert.equal(verdictOf(nothing), "fail", "a run in which nothing applied judged nothing");

  const s = summary({ findings: [], notJudged: [na, blocked, rule], unusable: "target unusable: stopped sending", leftovers: [{ spec: "agent-server", method: "DELETE", path: "/threads/t1", reason: "DELETE answered 500" }] });
  const xml = renderJunit(s);
  assert.match(xml, /<testcase classname="managed-deep-agents" name="getManagedDeepAgent \(GET \/agents\/\{agent_id\}\)"><error message="not judged: managed-deep-agents › getManagedDeepAgent › positive: could not prepare it: POST \/agents answered 500"\/>/);
  assert.match(xml, /<testcase classname="not judged" name="managed › stream mode values › stream_terminates"><error /);
  assert.match(xml, /<testcase classname="target" name="the target answers"><error message="unusable: target unusable: stopped sending"\/>/);
  assert.match(xml, /<testsuites name="agentwire" tests="\d+" failures="0" errors="3"/);
  const html = renderHtml(s);
  for (const text of ["Not judged (2)", "Not applicable (1)", "Target unusable", "Left on the target (1)", "DELETE /threads/t1"]) assert.ok(html.includes(text), text);
});

test("JUnit for CI: a timestamp, per-operation times, waived and not-implemented operations skipped with the reason, a not-judged gate an error", () => {
  const base = summary();
  const op = base.operations[0]!;
  const s = summary({
    operations: [{ ...op, verdict: "waived", durationMs: 1234 }, { ...op, operationId: "listManagedDeepAgents", verdict: "not-implemented" }],
    findings: [base.findings[1]!],
    gates: [{ name: "threshold ttft_ms p(95)<1500", passed: false, detail: "not judged", notJudged: "judged on 1 samples at concurrency 1, fewer than min_samples 5" }],
  });
  const xml = renderJunit(s);
  assert.match(xml, /<testsuites [^>]*timestamp="2026-11-22T00:00:00"/);
  assert.match(xml, /name="getManagedDeepAgent \(GET \/agents\/\{agent_id\}\)" time="1.234"><skipped message="waived: w \(known\)"\/>/);
  assert.match(xml, /name="listManagedDeepAgents[^"]*"><skipped message="not implemented: /);
  assert.match(xml, /name="threshold ttft_ms p\(95\)&lt;1500"><error message="not judged: judged on 1 samples/);
});

test("--reference both: one Markdown summary with the verdict of both, then each reference's own, named", () => {
  const js = summary({ targets: { embedded: true, reference: "js", faults: [] }, verdict: "pass", findings: [] });
  const python = summary({ targets: { embedded: true, reference: "python", faults: [] } });
  const md = renderSideBySideMarkdown(sideBySide([js, python]));
  assert.match(md, /^## agentwire, both references: ❌ FAIL\n\njs PASS · python FAIL/);
  assert.match(md, /\n### js reference: ✅ PASS\n[\s\S]*\n### python reference: ❌ FAIL\n[\s\S]*#### Open findings \(1\)[\s\S]*`0123456789abcdef`/);
  assert.equal(md.match(/#### Open findings/g)?.length, 1, "only python has open findings");
});

test("the Markdown summary has the verdict, the gates and the open findings with fingerprint and reproducer", () => {
  const md = renderMarkdown(summary());
  for (const text of ["## agentwire: ❌ FAIL", "| load_ttft_slo | ✅ met | ok |", "`response_schema`", "`0123456789abcdef`", "curl -X GET 'http://x/agents/1'", "1 open findings, 1 waived"]) assert.ok(md.includes(text), `${text}\n${md}`);
  assert.ok(!md.includes("fedcba9876543210"), "waived findings are not listed as open");
});

test("where the time went: every unit's time in summary.json, the slowest in the HTML report with their wait on the target", () => {
  const timings = [
    { unit: "agent-server › cancel_run › negative", phase: "contract" as const, ms: 7000, targetMs: 6900 },
    { unit: "managed › stream mode values", phase: "streams" as const, ms: 1200, targetMs: 1100 },
    ...Array.from({ length: 20 }, (_, i) => ({ unit: `agent-server › op${i} › positive`, phase: "contract" as const, ms: 100 + i, targetMs: 50 })),
  ];
  const time = timeReport(timings);
  assert.equal(time.units?.length, 22);
  assert.deepEqual(time.units?.slice(0, 2).map((u) => u.unit), ["agent-server › cancel_run › negative", "managed › stream mode values"]);
  assert.equal(time.slowest.length, 15);
  const merged = mergeTimeReports([time, timeReport(timings.slice(0, 1))]);
  assert.equal(merged.units?.length, 23);
  const html = renderHtml({ ...summary(), time });
  assert.match(html, /Where the time went: the 15 slowest units/);
  assert.match(html, /<td>agent-server › cancel_run › negative<\/td><td>contract<\/td><td>7\.0 s<\/td><td>99 %<\/td>/);
  assert.doesNotMatch(html, /op0 › positive/);
});
