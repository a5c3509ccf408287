/**
 * The conformance matrix of a run, read from its summary: each operation's verdict per check family and
 * flow, each stream mode's verdict per stream rule, each multitask strategy's per check. A cell says
 * "passed" only where a unit was judged to its end (summary.units, or a stream rule's own verdict); where
 * nothing says what happened it is "none", never a pass.
 */
import type { Finding } from "./finding.ts";
import { blocksVerdict, type OperationResult, type StreamResult, type Summary } from "./summary.ts";

export type CellVerdict = "passed" | "failed" | "waived" | "not-implemented" | "not-judged" | "not-applicable" | "none";

/** Worst first: the verdict a cell shows when several apply. */
export const CELL_RANK: CellVerdict[] = ["failed", "not-judged", "not-implemented", "waived", "passed", "not-applicable", "none"];

export interface Cell {
  verdict: CellVerdict;
  /** Identifies the cell; every finding it covers carries the same key (see findingCells). */
  key: string;
  open: number;
  waived: number;
  /** Why the cell was not judged or does not apply. */
  reason?: string;
}

export interface OperationRow {
  op: OperationResult;
  cells: Cell[];
}

export interface FlowRow {
  spec: string;
  title: string;
  cell: Cell;
  operations: string[];
}

export interface ConformanceMatrix {
  columns: string[];
  /** Operations by API, in document order. */
  rows: OperationRow[];
  flows: FlowRow[];
}

export interface StreamMatrix {
  checks: string[];
  rows: { spec: string; streamMode: string; operations: string[]; cells: Cell[] }[];
}

/** The families every contract run knows, in the order a reader expects them; others found are added after. */
const KNOWN_FAMILIES = ["positive", "coverage", "negative", "auth", "unknown-ids", "methods"];
export const FLOWS_COLUMN = "flows";

export const opCellKey = (spec: string, operationId: string, column: string) => `op|${spec}|${operationId}|${column}`;
export const flowCellKey = (spec: string, title: string) => `flow|${spec}|${title}`;
export const streamCellKey = (spec: string, streamMode: string, check: string) => `stream|${spec}|${streamMode}|${check}`;
export const strategyCellKey = (strategy: string, check: string) => `mt|${strategy}|${check}`;

/** The matrix cells a finding belongs to (a flow finding is in its flow's row and in its operation's flows cell). */
export function findingCells(f: Finding): string[] {
  if (f.streamMode) return [streamCellKey(f.spec, f.streamMode, f.check)];
  if (f.strategy) return [strategyCellKey(f.strategy, f.check)];
  if (f.unit?.flow) return [opCellKey(f.spec, f.operationId, FLOWS_COLUMN), flowCellKey(f.spec, f.unit.flow)];
  if (f.unit?.family) return [opCellKey(f.spec, f.operationId, f.unit.family)];
  return [];
}

/** The family of an operation's own unit ("<api> › <operationId> › <family>"), not of a unit over a path or a flow. */
const familyOf = (n: { unit: string; operationId?: string }) => {
  const [, op, family] = n.unit.split(" › ");
  return op === n.operationId ? family : undefined;
};
const worst = (vs: CellVerdict[]) => CELL_RANK.find((v) => vs.includes(v)) ?? "none";

function fromFindings(list: Finding[]): { verdict?: CellVerdict; open: number; waived: number } {
  const open = list.filter((f) => !f.waived).length;
  const waived = list.length - open;
  return { verdict: open ? "failed" : waived ? "waived" : undefined, open, waived };
}

export function conformanceMatrix(s: Summary): ConformanceMatrix {
  const units = s.units ?? [];
  const notJudged = new Map(s.notJudged.map((n) => [n.unit, n]));
  const seen = new Set([...units.flatMap((u) => (u.family ? [u.family] : [])), ...s.findings.flatMap((f) => (f.unit?.family && !f.streamMode ? [f.unit.family] : [])), ...s.notJudged.flatMap((n) => familyOf(n) ?? [])]);
  const columns = [...KNOWN_FAMILIES.filter((f) => seen.has(f)), ...[...seen].filter((f) => f && !KNOWN_FAMILIES.includes(f)).sort(), FLOWS_COLUMN];
  const judged = new Set(units.map((u) => u.unit));
  const flowUnits = units.filter((u) => u.flow);
  const byCell = new Map<string, Finding[]>();
  for (const f of s.findings) for (const k of findingCells(f)) byCell.set(k, [...(byCell.get(k) ?? []), f]);

  const rows = s.operations.map((op): OperationRow => ({
    op,
    cells: columns.map((column): Cell => {
      const key = opCellKey(op.spec, op.operationId, column);
      const found = fromFindings(byCell.get(key) ?? []);
      const base = { key, open: found.open, waived: found.waived };
      if (found.verdict === "failed") return { ...base, verdict: "failed" };
      if (op.verdict === "not-implemented") return { ...base, verdict: "not-implemented" };
      if (column === FLOWS_COLUMN) {
        if (found.verdict) return { ...base, verdict: found.verdict };
        return { ...base, verdict: flowUnits.some((u) => u.spec === op.spec && u.operations.includes(op.operationId)) ? "passed" : "none" };
      }
      const title = `${op.spec} › ${op.operationId} › ${column}`;
      const nj = notJudged.get(title);
      if (nj && blocksVerdict(nj)) return { ...base, verdict: "not-judged", reason: nj.reason };
      if (found.verdict) return { ...base, verdict: found.verdict };
      if (nj) return { ...base, verdict: "not-applicable", reason: nj.reason };
      return { ...base, verdict: judged.has(title) ? "passed" : "none" };
    }),
  }));

  const flowTitles = new Map<string, { spec: string; title: string }>();
  for (const u of flowUnits) flowTitles.set(u.unit, { spec: u.spec, title: u.flow! });
  for (const n of s.notJudged) {
    const [spec, kind, ...rest] = n.unit.split(" › ");
    if (kind === "flow" && spec) flowTitles.set(n.unit, { spec, title: rest.join(" › ") });
  }
  for (const f of s.findings) if (f.unit?.flow) flowTitles.set(`${f.spec} › flow › ${f.unit.flow}`, { spec: f.spec, title: f.unit.flow });
  const flows = [...flowTitles].map(([unit, { spec, title }]): FlowRow => {
    const key = flowCellKey(spec, title);
    const list = byCell.get(key) ?? [];
    const found = fromFindings(list);
    const nj = notJudged.get(unit);
    const verdict: CellVerdict = found.verdict === "failed" ? "failed" : nj && blocksVerdict(nj) ? "not-judged" : (found.verdict ?? (nj ? "not-applicable" : judged.has(unit) ? "passed" : "none"));
    const ops = units.find((u) => u.unit === unit)?.operations ?? [...new Set(list.map((f) => f.operationId))];
    return { spec, title, operations: ops, cell: { key, verdict, open: found.open, waived: found.waived, ...(nj ? { reason: nj.reason } : {}) } };
  });
  return { columns, rows, flows };
}

const STREAM_VERDICT: Record<Exclude<StreamResult["verdict"], "skipped">, CellVerdict> = { passed: "passed", failed: "failed", waived: "waived" };

/** Stream modes (per API) × the stream rules judged on them, over every operation that streamed that mode. */
export function streamMatrix(s: Summary): StreamMatrix {
  const checks = [...new Set(s.streams.map((r) => r.check))];
  const modes = new Map<string, { spec: string; streamMode: string; results: StreamResult[] }>();
  for (const r of s.streams) {
    const id = `${r.spec}|${r.streamMode}`;
    const m = modes.get(id) ?? { spec: r.spec, streamMode: r.streamMode, results: [] };
    m.results.push(r);
    modes.set(id, m);
  }
  // A rule a stream could not judge has a notJudged entry with its cause ("<scenario> › <check>", same reason):
  // only when every such entry says "does not apply" is the cell not applicable; otherwise it is not judged.
  const causes = new Map<string, boolean>();
  for (const n of s.notJudged) {
    const check = n.unit.split(" › ").at(-1);
    const key = `${n.spec}|${check}|${n.reason}`;
    causes.set(key, (causes.get(key) ?? true) && !blocksVerdict(n));
  }
  const skipped = (r: StreamResult): CellVerdict => (causes.get(`${r.spec}|${r.check}|${r.reason}`) ? "not-applicable" : "not-judged");
  const rows = [...modes.values()].map((m) => ({
    spec: m.spec,
    streamMode: m.streamMode,
    operations: [...new Set(m.results.map((r) => r.operationId))],
    cells: checks.map((check): Cell => {
      const key = streamCellKey(m.spec, m.streamMode, check);
      const mine = m.results.filter((r) => r.check === check);
      const found = fromFindings(s.findings.filter((f) => f.spec === m.spec && f.streamMode === m.streamMode && f.check === check));
      const reason = mine.find((r) => r.verdict === "skipped")?.reason;
      const verdict = mine.length ? worst(mine.map((r) => (r.verdict === "skipped" ? skipped(r) : STREAM_VERDICT[r.verdict]))) : "none";
      return { key, verdict, open: found.open, waived: found.waived, ...(reason ? { reason } : {}) };
    }),
  }));
  return { checks, rows };
}
