/** One agentwire run of one document against its own embedded reference, as a user runs it (the CLI), timed. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SpecId } from "../../../core/target.ts";
import type { Summary } from "../../../results/summary.ts";
import { agentwireFindings, agentwireWaived, type PeerFinding } from "./findings.ts";
import type { DocOperation } from "./scope.ts";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "bin", "agentwire.mjs");

export interface AgentwireRun {
  spec: SpecId;
  profile: string;
  /** The phases (`--only`). */
  only: string;
  fault?: string;
  out: string;
  /** SIGINT at this wall time (the CLI then writes its reports, marked interrupted). */
  capMs: number;
  /** Each document's operations, which findings judged over several requests are put on. */
  documents: Partial<Record<SpecId, DocOperation[]>>;
}

export interface AgentwireResult {
  wallMs: number;
  requests: number;
  exit: number | null;
  capped: boolean;
  findings: PeerFinding[];
  waived: number;
  error?: string;
}

export async function runAgentwire(o: AgentwireRun): Promise<AgentwireResult> {
  // Contract units start with the document's id ("agent-server › …"), the Managed API's stream scenarios with
  // "managed ›": --grep keeps one document's units of both phases.
  const titles = o.spec === "managed-deep-agents" ? "(managed-deep-agents|managed) ›" : `${o.spec} ›`;
  const args = [CLI, "run", "--only", o.only, "--profile", o.profile, "--grep", titles, "--out", o.out, ...(o.fault ? ["--fault", o.fault] : [])];
  const started = performance.now();
  let capped = false;
  let stderr = "";
  const exit = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
    const cap = setTimeout(() => {
      capped = true;
      child.kill("SIGINT");
    }, o.capMs);
    child.on("exit", (code) => {
      clearTimeout(cap);
      resolve(code);
    });
  });
  const wallMs = Math.round(performance.now() - started);
  const file = join(o.out, "summary.json");
  if (!existsSync(file)) return { wallMs, requests: 0, exit, capped, findings: [], waived: 0, error: `no summary.json (exit ${exit}): ${stderr.trim().split("\n").at(-1) ?? ""}` };
  const summary = JSON.parse(readFileSync(file, "utf8")) as Summary;
  const requests = summary.operations.filter((op) => op.spec === o.spec).reduce((n, op) => n + op.requests, 0);
  return { wallMs, requests, exit, capped, findings: agentwireFindings(summary, o.documents), waived: agentwireWaived(summary) };
}
