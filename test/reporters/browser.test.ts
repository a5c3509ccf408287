/**
 * The report as a person sees it: index.html of a synthetic run (open and waived findings on both APIs,
 * streams, load) opened in headless Chromium — Debian's `chromium`, driven by Playwright with
 * `executablePath` — at 1024, 1280 and 1920 px. Asserts on the DOM: the matrix cells and their links,
 * the filters, the charts' points, no request leaving the page, and nothing wider than the window.
 * Screenshots are kept beside the report (its folder is printed).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "@playwright/test";
import { renderCompareHtml } from "../../reporters/html-compare.ts";
import { writeReports } from "../../reporters/index.ts";
import { compareSummaries } from "../../results/compare.ts";
import { conformanceMatrix, findingCells, streamMatrix } from "../../results/matrix.ts";
import { CHROMIUM_HINT, findChromium } from "../../scripts/chromium.mjs";
import { syntheticSummary } from "../support/synthetic-summary.ts";

const WIDTHS = [1024, 1280, 1920];
// The callbacks below run in the page; the project compiles without the DOM's types.
declare const document: any, window: any;

/** Elements whose box reaches past the window's right edge (none may), and the page's own scroll width. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { width, scrollWidth: document.documentElement.scrollWidth, wide };
  });

const visibleOccurrences = (page: Page) =>
  page.$$eval("details.occ", (els) => els.filter((e) => !(e as any).hidden && !e.closest("[hidden]")).map((e) => ({ id: e.id, verdict: (e as any).dataset.verdict, spec: (e as any).dataset.spec, cells: (e as any).dataset.cells })));

test("the report opens in Chromium: matrix, links, filters, charts, no request out, nothing wider than the window", async (t) => {
  const executablePath = findChromium();
  assert.ok(executablePath, `Chromium not found, so the report cannot be tested in a browser: ${CHROMIUM_HINT}`);

  const dir = join(tmpdir(), "agentwire-report-browser-test");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "screenshots"), { recursive: true });
  const s = syntheticSummary(60);
  writeReports(s, dir);
  t.diagnostic(`report and screenshots: ${dir}`);

  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  page.on("request", (r) => void (r.url().startsWith("file://") || requests.push(r.url())));
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`file://${join(dir, "index.html")}`);

  // Summary first: the verdict and the gates are above the matrix.
  const order = await page.$$eval("h1, #gates, #matrix", (els) => els.map((e) => e.id || e.tagName));
  assert.deepEqual(order, ["H1", "gates", "matrix"]);

  // The open findings are one click from the top: each open check links to one of its findings, shown open.
  const openChecks = new Set(s.findings.filter((f) => !f.waived).map((f) => f.check));
  const openLinks = await page.$$eval(".open-list a", (as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
  assert.equal(openLinks.length, Math.min(12, openChecks.size));
  await page.click(".open-list a");
  const target = await page.$eval(openLinks[0]![0]!, (e) => ({ open: (e as any).open, verdict: (e as any).dataset.verdict, check: (e as any).dataset.check }));
  assert.deepEqual(target, { open: true, verdict: "open", check: openLinks[0]![1] });

  // The conformance matrix: one row per operation, one cell per column, each cell the model's verdict.
  const m = conformanceMatrix(s);
  const shown = await page.$$eval("table.matrix.ops tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("[data-verdict]")].map((c) => (c as any).dataset.verdict)));
  assert.equal(shown.length, s.operations.length);
  assert.deepEqual(shown, m.rows.map((r) => r.cells.map((c) => c.verdict)));
  const streamCells = await page.$$eval("table.matrix.streams tbody tr", (rows) => rows.length);
  assert.equal(streamCells, streamMatrix(s).rows.length);

  // Every cell with findings links to one of its findings, and the link's target carries that cell.
  const links = await page.$$eval("a.c[data-cell]", (as) => as.map((a) => ({ href: a.getAttribute("href")!, cell: (a as any).dataset.cell!, n: Number(a.querySelector(".n")?.textContent ?? 0) })));
  const cellsWithFindings = new Set(s.findings.flatMap(findingCells));
  assert.equal(links.length, cellsWithFindings.size);
  for (const l of links) {
    const cells = await page.$eval(l.href, (e) => (e as any).dataset.cells ?? "");
    assert.ok(cells.split(" ").includes(l.cell), `${l.href} is a finding of ${l.cell}`);
  }
  // Following a failed cell shows exactly its findings, opened.
  const failed = (await page.$$eval("a.c.failed[data-cell]", (as) => as.map((a) => (a as any).dataset.cell!)))[0]!;
  const expected = links.find((l) => l.cell === failed)!.n;
  await page.click(`a.c[data-cell="${failed}"]`);
  const inCell = await visibleOccurrences(page);
  assert.equal(inCell.length, expected);
  assert.ok(inCell.every((o) => o.cells!.split(" ").includes(failed)));
  assert.ok(await page.$eval(`#${inCell[0]!.id}`, (e) => (e as any).open && e.closest("details.fgroup")!.hasAttribute("open")));
  await page.click("#f-cell-clear");
  assert.equal((await visibleOccurrences(page)).length, s.findings.length);

  // Filters: verdict, API, search; the count says how many are shown.
  const open = s.findings.filter((f) => !f.waived).length;
  await page.selectOption("#f-verdict", "waived");
  let visible = await visibleOccurrences(page);
  assert.equal(visible.length, s.findings.length - open);
  assert.ok(visible.every((o) => o.verdict === "waived"));
  assert.equal(await page.textContent("#f-count"), `${s.findings.length - open} of ${s.findings.length} findings`);
  await page.selectOption("#f-verdict", "");
  await page.selectOption("#f-spec", "managed-deep-agents");
  visible = await visibleOccurrences(page);
  assert.equal(visible.length, s.findings.filter((f) => f.spec === "managed-deep-agents").length);
  await page.selectOption("#f-spec", "");
  const op = s.findings[4]!.operationId;
  // A search applies after a pause in typing, or at once on Enter ("change").
  await page.fill("#f-q", op);
  await page.dispatchEvent("#f-q", "change");
  visible = await visibleOccurrences(page);
  assert.equal(visible.length, s.findings.filter((f) => f.operationId.includes(op) || f.message.includes(op) || f.reproducer.includes(op)).length);
  await page.fill("#f-q", "no finding says this");
  await page.waitForFunction(() => document.getElementById("f-count").textContent.startsWith("0 of"));
  assert.equal((await visibleOccurrences(page)).length, 0);
  assert.equal(await page.isVisible("#f-none"), true);
  await page.fill("#f-q", "");
  await page.dispatchEvent("#f-q", "change");

  // Every finding has its reproducer with a copy button, and its replay command.
  assert.equal(await page.$$eval("details.occ", (els) => els.filter((e) => e.querySelector(".repro pre") && e.querySelector("button.copy") && e.querySelector("code.cmd")?.textContent?.includes("agentwire run")).length), s.findings.length);

  // Charts: a CDF per latency metric with a point per distribution point and p50/p95/p99 marked; the sweep; a timeline per strategy.
  const load = s.load!;
  for (const key of ["ttft_ms", "itl_ms", "tpot_ms", "e2e_ms"]) {
    const chart = await page.$eval(`.cdf[data-metric="${key}"]`, (e) => ({ points: e.querySelectorAll("circle.pt").length, marks: [...e.querySelectorAll("[data-mark]")].map((m) => (m as any).dataset.mark), caption: e.querySelector("figcaption")!.textContent! }));
    assert.equal(chart.points, load.distributions![key]!.length, key);
    // Every point lies within its plot's axes (the x axis ends at or past the largest value).
    const outside = await page.$eval(`.cdf[data-metric="${key}"] svg`, (svg) => {
      const axis = [...svg.querySelectorAll("line.axis")].map((l: any) => Math.max(Number(l.getAttribute("x1")), Number(l.getAttribute("x2"))));
      const right = Math.max(...axis);
      return [...svg.querySelectorAll("circle.pt")].filter((c: any) => Number(c.getAttribute("cx")) > right + 0.5).length;
    });
    assert.equal(outside, 0, `${key}: points past the x axis`);
    assert.deepEqual(chart.marks, ["p50", "p95", "p99"]);
    assert.match(chart.caption, new RegExp(`at concurrency ${load.measuredAtConcurrency}, ${load.metrics[key]!.count} samples`));
  }
  assert.equal(await page.$$eval('.sweep [data-series="ttft"]', (e) => e.length), load.sweep!.length);
  assert.equal(await page.$$eval('.sweep [data-series="tokens"]', (e) => e.length), load.sweep!.length);
  assert.equal(await page.$$eval(".sweep line.slo", (e) => e.length), 1);
  const timelines = await page.$$eval("figure.timeline", (fs) => fs.map((f) => [(f as any).dataset.strategy, f.querySelectorAll("g.run").length]));
  assert.deepEqual(timelines, load.multitask!.strategies.map((st) => [st.strategy, st.timeline!.flat().length]));

  // Fits the screen: at every width nothing is wider than the window, with every finding and group open.
  await page.evaluate(() => document.querySelectorAll("details").forEach((d: any) => (d.open = true)));
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const o = await overflow(page);
    assert.deepEqual(o.wide, [], `nothing wider than ${width} px`);
    assert.ok(o.scrollWidth <= o.width, `no horizontal scrollbar at ${width} px (${o.scrollWidth} > ${o.width})`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(dir, "screenshots", `report-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => document.getElementById("findings")!.scrollIntoView());
  await page.screenshot({ path: join(dir, "screenshots", "findings-1280.png") });

  // A healthy run's report (every finding waived): it passes, has no open list, and fits too.
  const healthyDir = join(dir, "healthy");
  const healthy = syntheticSummary(60, { healthy: true });
  writeReports(healthy, healthyDir);
  await page.goto(`file://${join(healthyDir, "index.html")}`);
  assert.equal(await page.textContent("h1 .verdict"), "PASS");
  assert.equal(await page.$$eval(".open-list", (e) => e.length), 0);
  assert.equal(await page.$$eval("td .c.failed, td .c.not-judged", (e) => e.length), 0);
  assert.ok(await page.$$eval("a.c.waived", (e) => e.length) > 0);
  const o = await overflow(page);
  assert.deepEqual(o.wide, [], "the healthy report fits at 1280 px");
  await page.screenshot({ path: join(dir, "screenshots", "healthy-1280.png") });

  // The compare page of the two (the healthy run as BASE): both runs overlaid, and it fits too.
  const c = compareSummaries(healthy, s, { base: "healthy/summary.json", head: "summary.json" }, { name: "agentwire", version: "0" });
  writeFileSync(join(dir, "compare.html"), renderCompareHtml(c, { base: healthy, head: s }));
  await page.goto(`file://${join(dir, "compare.html")}`);
  assert.equal(await page.$$eval('.compare-metric[data-metric="ttft_ms"] [data-run="head"]', (e) => e.length), load.distributions!.ttft_ms!.length);
  for (const width of [1024, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    assert.deepEqual((await overflow(page)).wide, [], `the compare page fits at ${width} px`);
  }
  await page.screenshot({ path: join(dir, "screenshots", "compare-1280.png"), fullPage: false });

  assert.deepEqual(requests, [], "the report loads nothing from anywhere");
  assert.deepEqual(errors, [], "the inline script runs without an error");
});
