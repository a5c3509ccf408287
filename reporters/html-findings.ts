/**
 * The findings section: open findings first, grouped by check and expanded; waived ones grouped by waiver
 * and collapsed. A message seen on several operations is shown once with the list of them; each
 * occurrence keeps its own reproducer (with a copy button), seed and replay command. Every occurrence
 * carries what the filters and the matrix links need as data attributes.
 */
import { formatReplay, type Finding } from "../results/finding.ts";
import type { Summary } from "../results/summary.ts";
import { esc } from "./html-escape.ts";

/** Cell key → the short id used in links and data attributes. */
export type CellIds = Map<string, string>;

interface Group {
  title: string;
  note?: string;
  findings: Finding[];
}

/** Entries of an open group whose first finding is shown expanded: enough to read, short enough to scan. */
const EXPANDED_ENTRIES = 5;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const regexEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Playwright's --grep sees a test's title path joined by spaces; a unit is named with " › " between its parts. */
const titlePattern = (unit: string) => `(^| )${unit.split(" › ").map(regexEscape).join("[ ›]+")}( |$)`;

/**
 * The command that runs the unit which found it again with the same inputs: the run's seed and profile,
 * the same target, narrowed to that unit (AGENTWIRE_GREP) where the unit is known.
 */
export function replayCommand(s: Pick<Summary, "seed" | "profile" | "targets">, f: Finding): string {
  const t = s.targets;
  const target = t.embedded
    ? [...(t.reference && t.reference !== "js" ? [`--reference ${t.reference}`] : []), ...t.faults.map((x) => `--fault ${x}`)]
    : [...(t.managedDeepAgents ? [`--target ${shellQuote(t.managedDeepAgents)}`] : []), ...(t.agentServer ? [`--agent-server ${shellQuote(t.agentServer)}`] : [])];
  // A multitask finding of the load phase has a strategy and no stream; it is replayed with the load phase's seed.
  const only = f.strategy && !f.streamMode ? "load" : f.streamMode || f.unit?.scenario ? "streams" : "contract";
  const unit = f.unit?.family ? `${f.spec} › ${f.operationId} › ${f.unit.family}` : f.unit?.flow ? `${f.spec} › flow › ${f.unit.flow}` : only === "streams" ? f.unit?.scenario : undefined;
  const grep = unit && only !== "load" ? `AGENTWIRE_GREP=${shellQuote(titlePattern(unit))} ` : "";
  return `${grep}npx agentwire run --only ${only} --seed ${s.seed} --profile ${s.profile}${target.length ? ` ${target.join(" ")}` : ""}`;
}

/** Findings with the same check, message and waiver are one entry, listing the operations they were seen on. */
const byMessage = (list: Finding[]) => [...groupBy(list, (f) => `${f.check}\u0000${f.message}\u0000${f.waived?.waiver ?? ""}`).values()];

function groupBy(list: Finding[], key: (f: Finding) => string): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of list) {
    const k = key(f);
    const group = out.get(k);
    if (group) group.push(f);
    else out.set(k, [f]);
  }
  return out;
}

/** Open findings by check (the most frequent first), then waived ones by waiver: the order the section shows. */
function groups(list: Finding[]): { open: Group[]; waived: Group[] } {
  const open = [...groupBy(list.filter((f) => !f.waived), (f) => f.check)].sort((a, b) => b[1].length - a[1].length).map(([check, fs]) => ({ title: check, findings: fs }));
  const waived = [...groupBy(list.filter((f) => f.waived), (f) => f.waived!.waiver)].map(([waiver, fs]) => ({ title: waiver, note: fs[0]!.waived!.reason, findings: fs }));
  return { open, waived };
}

/** Every finding in the order the section shows it (the matrix links point at the first of a cell's). */
export function displayOrder(list: Finding[]): Finding[] {
  const g = groups(list);
  return [...g.open, ...g.waived].flatMap((x) => byMessage(x.findings).flat());
}

export interface FindingLinks {
  cells: CellIds;
  cellsOf: (f: Finding) => string[];
  /** The element id of a finding (the matrix links point at it). */
  idOf: (f: Finding) => string;
}

export function findingsSection(s: Summary, links: FindingLinks): string {
  const { cells, cellsOf } = links;
  const open = s.findings.filter((f) => !f.waived);
  const waived = s.findings.filter((f) => f.waived);
  const { open: openGroups, waived: waivedGroups } = groups(s.findings);
  const specs = [...new Set(s.findings.map((f) => f.spec))].sort();
  const checks = [...new Set(s.findings.map((f) => f.check))].sort();
  const option = (v: string, label = v) => `<option value="${esc(v)}">${esc(label)}</option>`;
  const toolbar = `<div class="toolbar" role="search">
<label>Search <input id="f-q" type="search" placeholder="operation, message, check…" autocomplete="off"></label>
<label>Verdict <select id="f-verdict">${option("", "all")}${option("open")}${option("waived")}</select></label>
<label>API <select id="f-spec">${option("", "all")}${specs.map((x) => option(x)).join("")}</select></label>
<label>Check <select id="f-check">${option("", "all")}${checks.map((x) => option(x)).join("")}</select></label>
<span id="f-count" aria-live="polite">${s.findings.length} findings</span>
<span id="f-cell" hidden>only the findings of <code id="f-cell-name"></code> <button type="button" id="f-cell-clear">show all</button></span>
</div>`;
  const group = (g: Group, expanded: boolean, kind: "check" | "waiver") => {
    const entries = byMessage(g.findings);
    const ops = new Set(g.findings.map((f) => `${f.spec} ${f.operationId}`)).size;
    // The first few entries of an open group show their evidence; the rest stay one line each until opened.
    const body = entries.map((e, i) => entry(e, expanded && i < EXPANDED_ENTRIES)).join("");
    return `<details class="fgroup ${kind}"${expanded ? " open" : ""}><summary><span class="gtitle"><code>${esc(g.title)}</code></span> <span class="muted">${g.findings.length} finding${g.findings.length === 1 ? "" : "s"} on ${ops} operation${ops === 1 ? "" : "s"}${entries.length < g.findings.length ? `, ${entries.length} distinct message${entries.length === 1 ? "" : "s"}` : ""}</span>${g.note ? `<div class="reason">Waived: ${esc(g.note)}</div>` : ""}</summary>${body}</details>`;
  };
  const entry = (fs: Finding[], expanded: boolean) => {
    const f0 = fs[0]!;
    const occurrences = fs.map((f, i) => occurrence(f, expanded && i === 0)).join("");
    const opsList = fs.length > 1 ? `<p class="ops">Seen on ${fs.length}: ${fs.map((f) => `<code>${esc(f.operationId)}</code>${f.streamMode ? ` [${esc(f.streamMode)}]` : ""}${f.strategy ? ` [${esc(f.strategy)}]` : ""}`).join(", ")}</p>` : "";
    return `<div class="fentry" data-check="${esc(f0.check)}"><p class="msg"><code>${esc(f0.check)}</code> ${esc(f0.message)}${f0.waived ? ` <span class="badge v-waived" title="${esc(f0.waived.reason)}">waived: ${esc(f0.waived.waiver)}</span>` : ` <span class="badge v-failed">open</span>`}</p>${opsList}${occurrences}</div>`;
  };
  // A walk's finding: the whole sequence of requests that leads to it, as a script.
  const sequence = (f: Finding) =>
    f.sequence ? `<p class="seq">The sequence that leads to it, as a shell script:</p><div class="repro"><button type="button" class="copy" aria-label="copy the sequence">Copy</button><pre>${esc(f.sequence)}</pre></div>` : "";
  const occurrence = (f: Finding, expanded: boolean) => {
    const id = links.idOf(f);
    const cellIds = cellsOf(f).map((k) => cells.get(k)).filter(Boolean);
    const where = [f.spec, f.operationId, f.streamMode && `stream ${f.streamMode}`, f.strategy && `strategy ${f.strategy}`, f.unit?.family && `family ${f.unit.family}`, f.unit?.flow && `flow “${f.unit.flow}”`, f.unit?.scenario && `scenario “${f.unit.scenario}”`].filter(Boolean).join(" · ");
    const seed = f.replay ? `<dt>Seed</dt><dd><code>${esc(formatReplay(f.replay))}</code>${"example" in f.replay ? " (the document's own request example)" : "case" in f.replay ? " (a coverage case: run seed, case name)" : f.replay.path ? " (run seed : fast-check path of the shrunk input)" : " (the run's seed)"}</dd>` : "";
    const status = f.exchange?.status !== undefined ? `<dt>Status</dt><dd>${f.exchange.status}</dd>` : "";
    return `<details class="occ" id="${id}" data-spec="${esc(f.spec)}" data-check="${esc(f.check)}" data-verdict="${f.waived ? "waived" : "open"}" data-cells="${cellIds.join(" ")}"${expanded ? " open" : ""}><summary><code>${esc(f.operationId)}</code>${f.streamMode ? ` <span class="tag">${esc(f.streamMode)}</span>` : ""}${f.strategy ? ` <span class="tag">${esc(f.strategy)}</span>` : ""}</summary>
<dl class="facts"><dt>Where</dt><dd>${esc(where)}</dd>${status}${seed}<dt>Fingerprint</dt><dd><code>${esc(f.fingerprint)}</code>${f.expiredWaiver ? ` · waiver ${esc(f.expiredWaiver.waiver)} expired on ${esc(f.expiredWaiver.expires)}` : ""}</dd><dt>Replay</dt><dd><code class="cmd">${esc(replayCommand(s, f))}</code></dd></dl>
<div class="repro"><button type="button" class="copy" aria-label="copy the reproducer">Copy</button><pre>${esc(f.reproducer)}</pre></div>${sequence(f)}</details>`;
  };
  const openHtml = openGroups.length ? openGroups.map((g) => group(g, true, "check")).join("") : `<p class="ok-note">No open findings.</p>`;
  const waivedHtml = waivedGroups.length ? `<h3>Waived (${waived.length}) — known deviations, by waiver</h3>${waivedGroups.map((g) => group(g, false, "waiver")).join("")}` : "";
  return `<section id="findings"><h2>Findings (${open.length} open, ${waived.length} waived)</h2>${s.findings.length ? toolbar : ""}<h3>Open (${open.length}) — by check</h3>${openHtml}${waivedHtml}<p id="f-none" hidden>No finding matches the filters.</p></section>`;
}
