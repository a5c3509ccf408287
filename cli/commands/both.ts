/**
 * `agentwire run --reference both`: the same run against the JS and then the Python reference, each in its
 * own process with its own reports in <out>/js and <out>/python, then one side-by-side summary.json,
 * index.html and junit.xml in <out> (and one --summary-md covering both). Exits like `run`, on the worse of the two.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeMarkdownSummary, writeSideBySide } from "../../reporters/index.ts";
import { sideBySide } from "../../results/side-by-side.ts";
import type { Summary } from "../../results/summary.ts";
import type { RunConfig } from "../args.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { onInterrupt } from "../interrupt.ts";
import { PACKAGE_ROOT } from "../package-info.ts";

const REFERENCES = ["js", "python"] as const;

/** Flags each reference's run gets its own value of. */
const OWN = ["--reference", "--out", "--summary-md"];

/**
 * This invocation's arguments for one reference: its own --reference and --out, and its own Markdown
 * summary in its folder (the one asked for covers both, and is written here). `--history` passes as is:
 * each run adds its summary, named after its reference.
 */
function argsFor(reference: string, outDir: string, summaryMd: boolean): string[] {
  const args = process.argv.slice(2);
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (OWN.includes(a)) i++;
    else if (!OWN.some((f) => a.startsWith(`${f}=`))) kept.push(a);
  }
  return [...kept, "--reference", reference, "--out", outDir, ...(summaryMd ? ["--summary-md", join(outDir, "summary.md")] : [])];
}

export async function runBoth(config: RunConfig): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const children = new Set<ReturnType<typeof spawn>>();
  let interrupted = false;
  // Each run stops itself (a second signal makes it stop at once, reports written); the side-by-side
  // report is then made of what they wrote.
  const forward = () => {
    interrupted = true;
    for (const c of children) c.kill("SIGINT");
  };
  onInterrupt(forward, forward);
  const summaries: Summary[] = [];
  const codes: number[] = [];
  for (const reference of REFERENCES) {
    if (interrupted) break;
    log(`\n── ${reference} reference ──`);
    const outDir = join(config.outDir, reference);
    // The job page gets the one summary of both, not one per reference.
    const { GITHUB_STEP_SUMMARY: _, ...env } = process.env;
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, "bin", "agentwire.mjs"), ...argsFor(reference, outDir, Boolean(config.summaryMd))], { stdio: ["ignore", "inherit", "inherit"], env });
    children.add(child);
    const code = await new Promise<number>((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? EXIT.interrupted : 70))));
    children.delete(child);
    codes.push(code);
    const file = join(outDir, "summary.json");
    if (existsSync(file)) summaries.push(JSON.parse(readFileSync(file, "utf8")) as Summary);
    // A usage error or an unreachable reference is the same for the other one: stop there.
    if (code === EXIT.usage || code === EXIT.unreachable) return code;
  }
  if (!summaries.length) throw new CliError("neither reference run wrote a summary", 70);
  const combined = sideBySide(summaries);
  writeSideBySide(combined, config.outDir);
  log(`\nboth references: ${Object.entries(combined.references).map(([r, s]) => `${r} ${s.verdict.toUpperCase()}`).join(", ")} — ${join(config.outDir, "index.html")}`);
  try {
    writeMarkdownSummary(combined, config.summaryMd, process.env.GITHUB_STEP_SUMMARY);
    if (config.summaryMd) log(`summary-md: ${config.summaryMd} (both references; each one's own in its folder as summary.md)`);
  } catch (error) {
    log(`note: the Markdown summary could not be written: ${(error as Error).message}`);
  }
  if (interrupted || combined.interrupted) return EXIT.interrupted;
  if (codes.some((c) => c !== EXIT.conforms && c !== EXIT.findings)) return Math.max(...codes);
  return combined.verdict === "pass" ? EXIT.conforms : EXIT.findings;
}
