/**
 * The metric definitions this suite implements, stated once so reports print exactly what was measured.
 * Peer tools disagree on these names (TTFT with or without empty chunks, ITL per gap or averaged), so every
 * report carries this table.
 */
import { TOKEN_SOURCES } from "../../streams/grammar/tokens.ts";

export interface MetricDefinition {
  key: string;
  unit: string;
  definition: string;
}

export const METRIC_DEFINITIONS: MetricDefinition[] = [
  { key: "send", unit: "instant", definition: "performance.now() just before the stream request is written; thread creation happens before it and is not timed" },
  { key: "time_to_headers", unit: "ms", definition: "send → response headers received" },
  { key: "time_to_first_event", unit: "ms", definition: "send → first SSE event of any kind (metadata included)" },
  { key: "ttft", unit: "ms", definition: "send → first token event (first event carrying model text; see token sources)" },
  { key: "itl", unit: "ms", definition: "every gap between consecutive token events of a run, pooled over all runs (vLLM style; one chunk = one sample); includes gaps of runs that later failed" },
  { key: "tpot", unit: "ms", definition: "per run (last token − first token) / (n − 1); only runs with n ≥ 2 token events" },
  { key: "e2e", unit: "ms", definition: "send → stream over (closed by the server, including any close tail)" },
  { key: "start_lag", unit: "ms", definition: "open loop: actual send − intended arrival time; shows when the driver could not keep the offered rate" },
  { key: "output_tokens_per_s", unit: "1/s", definition: "token events of successful runs / window; a token event is one streamed chunk, not a tokenizer token" },
  { key: "runs_per_s", unit: "1/s", definition: "successful runs / window (window = first send → last stream end)" },
  { key: "goodput", unit: "1/s", definition: "successful runs meeting every per-run SLO (ttft_ms, tpot_ms, itl_ms = largest gap, e2e_ms) / window" },
  { key: "errors", unit: "count", definition: "failed runs by kind: setup, connect, http_<status>, error-event, partial-event, stream-broken, deadline, idle-timeout, max-events, max-bytes, line-too-long, event-too-large, cut-at-cap (aborted at duration + grace), driver (a failure of the suite itself)" },
];

const DEFINITIONS_NOTE =
  "Latency percentiles come from HDR histograms (µs, 3 significant digits) over successful runs only; failed runs count under errors.";

/** The definitions and token sources as a Markdown table a report can print. */
export function definitionsTable(): string {
  const rows = METRIC_DEFINITIONS.map((d) => `| ${d.key} | ${d.unit} | ${d.definition} |`);
  const sources = TOKEN_SOURCES.map((s) => `| ${s.api} | ${s.mode} | ${s.rule} |`);
  return [
    "| metric | unit | definition |",
    "|---|---|---|",
    ...rows,
    "",
    DEFINITIONS_NOTE,
    "",
    "| API | stream mode | token event |",
    "|---|---|---|",
    ...sources,
  ].join("\n");
}
