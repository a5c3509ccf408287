import { test } from "node:test";
import assert from "node:assert/strict";
import { renderCompareHtml } from "../../reporters/html-compare.ts";
import { compareSummaries } from "../../results/compare.ts";
import { syntheticSummary } from "../support/synthetic-summary.ts";

test("the compare page lists new and fixed findings and overlays both runs' distributions, self-contained", () => {
  const base = syntheticSummary(30);
  const head = syntheticSummary(40);
  // HEAD is slower: its distributions are BASE's shifted by 50 ms.
  head.load = { ...head.load!, distributions: Object.fromEntries(Object.entries(base.load!.distributions!).map(([k, pts]) => [k, pts.map(([p, ms]): [number, number] => [p, ms + 50])])) };
  const c = compareSummaries(base, head, { base: "base/summary.json", head: "head/summary.json" }, { name: "agentwire", version: "0" });
  const html = renderCompareHtml(c, { base, head });
  assert.doesNotMatch(html, /<script\b|<link\b|\bsrc=|url\(|@import/);
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^#[\w-]+$/, href);
  assert.ok(c.findings.new.length > 0);
  for (const f of c.findings.new) assert.ok(html.includes(f.fingerprint), f.fingerprint);
  assert.match(html, /&lt;b&gt;/, "the target's text is escaped");
  for (const m of c.metrics) {
    const chart = html.slice(html.indexOf(`data-metric="${m.metric}"`)).split('<div class="compare-metric"')[0]!;
    const points = base.load!.distributions![m.metric]!.length;
    assert.equal((chart.match(/data-run="base"/g) ?? []).length, points, m.metric);
    assert.equal((chart.match(/data-run="head"/g) ?? []).length, points, m.metric);
  }
  // The margin rule is stated, and a note about the machine is shown.
  assert.match(html, /beyond its margin \(10 % of BASE/);
  assert.match(renderCompareHtml({ ...c, notes: ["the machine <was> busier"] }), /<p class="note">Note: the machine &lt;was&gt; busier\.<\/p>/);
  // Without the summaries there is nothing to overlay, and the page says so.
  assert.match(renderCompareHtml(c), /the summaries were not at hand/);
});
