/**
 * The HTML report's cost with many findings: the size of index.html, the time to render it from the
 * summary, and in headless Chromium (Debian's, via Playwright) the time to first contentful paint, to the
 * load event, and for one search over every finding. Synthetic summaries of 60 and 2,000 findings.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { renderHtml } from "../reporters/html.ts";
import { syntheticSummary } from "../test/support/synthetic-summary.ts";
import { CHROMIUM_HINT, findChromium } from "./chromium.mjs";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

export async function benchReport(o: { repeats: number; log(line: string): void }) {
  const executablePath = findChromium();
  if (!executablePath) return { error: `Chromium not found: ${CHROMIUM_HINT}` };
  const dir = mkdtempSync(join(tmpdir(), "agentwire-bench-report-"));
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  try {
    const rows = [];
    for (const findings of [60, 2000]) {
      const summary = syntheticSummary(findings);
      const renders: number[] = [];
      let html = "";
      for (let i = 0; i < o.repeats; i++) {
        const t = performance.now();
        html = renderHtml(summary);
        renders.push(performance.now() - t);
      }
      const file = join(dir, `report-${findings}.html`);
      writeFileSync(file, html);
      const paints: number[] = [];
      const loads: number[] = [];
      const searches: number[] = [];
      const nextSearches: number[] = [];
      let nodes = 0;
      for (let i = 0; i < o.repeats; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(`file://${file}`, { waitUntil: "load" });
        // Runs in the page (the project compiles without the DOM's types).
        const m = await page.evaluate(`(() => {
          const paint = performance.getEntriesByName("first-contentful-paint")[0];
          const nav = performance.getEntriesByType("navigation")[0];
          const q = document.getElementById("f-q");
          const search = (text) => {
            const t = performance.now();
            q.value = text;
            q.dispatchEvent(new Event("change"));
            void document.body.offsetHeight;
            return performance.now() - t;
          };
          const first = search("answered 4");
          const next = search("answered 41");
          return { fcp: paint ? paint.startTime : -1, load: nav.loadEventEnd, search: first, next, nodes: document.getElementsByTagName("*").length };
        })()`) as { fcp: number; load: number; search: number; next: number; nodes: number };
        paints.push(m.fcp);
        loads.push(m.load);
        searches.push(m.search);
        nextSearches.push(m.next);
        nodes = m.nodes;
        await page.close();
      }
      const row = { findings, bytes: statSync(file).size, renderMs: round(median(renders)), firstPaintMs: round(median(paints)), loadMs: round(median(loads)), searchMs: round(median(searches)), nextSearchMs: round(median(nextSearches)), domElements: nodes };
      o.log(`  ${findings} findings: ${(row.bytes / 1024 / 1024).toFixed(2)} MiB, rendered in ${row.renderMs} ms; Chromium: first paint ${row.firstPaintMs} ms, load ${row.loadMs} ms, a search over every finding ${row.searchMs} ms (the next ${row.nextSearchMs} ms), ${nodes} elements`);
      rows.push(row);
    }
    return { repeats: o.repeats, rows };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
