/**
 * A walk as a shell script of curl commands: ids an answer carried are captured into shell variables and
 * used from them in the later steps, so the script repeats the walk on any target. Secrets are environment
 * variable references (as in every reproducer); it needs sh, curl and python3 (to read a JSON field).
 */
import type { HttpRequest } from "../../core/exchange.ts";
import { redact } from "../../core/redact.ts";
import { curl } from "../../core/reproducer.ts";

export interface WalkStep {
  req: HttpRequest;
  status: number;
  /** Ids the answer carried, each captured from a top-level field into a shell variable. */
  captures: { field: string; variable: string; id: string }[];
  /** The step started a run: the walk went on once its thread was no longer busy. */
  settles?: boolean;
}

/** A JSON field of the answer on stdin (top-level), with python3: portable where jq is not installed. */
const FIELD = `field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }`;

/** The script; its last step is the one that showed the finding (printed with its headers). */
export function walkScript(steps: WalkStep[]): string {
  const lines = [
    "#!/bin/sh",
    `# ${steps.length} request${steps.length === 1 ? "" : "s"}; the last one shows the finding. Needs sh, curl and python3.`,
    "# Every request but the last prints its status.",
    "set -u",
    FIELD,
  ];
  const captured: { id: string; variable: string }[] = [];
  steps.forEach((step, i) => {
    const final = i === steps.length - 1;
    // Every id sits inside a single-quoted word: close the quotes around the variable.
    let command = captured.reduce((c, { id, variable }) => c.split(id).join(`'"$${variable}"'`), curl(step.req));
    if (!final) command = command.replace(/^curl -sS -i /, step.captures.length ? "curl -sS " : "curl -sS -o /dev/null -w '%{http_code}\\n' ");
    lines.push(`# ${i + 1}. ${step.req.method} ${new URL(step.req.url).pathname} answered ${step.status}`);
    if (step.captures.length && !final) {
      lines.push(`answer=$(${command})`, `echo "$answer" | head -c 300; echo`);
      for (const c of step.captures) {
        lines.push(`${c.variable}=$(printf '%s' "$answer" | field ${c.field})`);
        captured.push({ id: c.id, variable: c.variable });
      }
    } else lines.push(command);
    if (step.settles && !final) lines.push("sleep 2  # the run ends before the next step");
  });
  return redact(lines.join("\n"));
}
