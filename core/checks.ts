/**
 * The one registry of every check the suite runs, whatever its kind: its name, what it judges, and the
 * documented rule in one sentence. Implementations refer to these names (a typo does not type-check), the
 * reference's faults name the checks that catch them, and the README's tables are checked against it.
 */

export type CheckKind =
  /** A function of one exchange and the document (contract). */
  | "exchange"
  /** A stateful sequence across real resources (contract flows). */
  | "flow"
  /** A rule judged over one event stream. */
  | "stream"
  /** A rule over a run's lifecycle, judged from a scenario of several requests. */
  | "lifecycle"
  /** A rule over concurrent runs on shared threads under load. */
  | "multitask"
  /** A gate on measured figures (load). */
  | "gate"
  /** The suite could not prepare what a unit needs: its checks were not judged. */
  | "setup";

export interface CheckInfo {
  kind: CheckKind;
  rule: string;
}

const registry = {
  // ── exchange ──────────────────────────────────────────────────────────────────────────────────────
  not_a_server_error: { kind: "exchange", rule: "The target never answers with a 5xx status." },
  status_code_documented: { kind: "exchange", rule: "The status code is one the document lists for the operation." },
  content_type_documented: { kind: "exchange", rule: "The response's media type is one documented for its status." },
  response_schema: { kind: "exchange", rule: "The body is valid against the schema documented for its status and media type." },
  response_headers_documented: { kind: "exchange", rule: "Required documented response headers are present, and documented headers carry valid values." },
  positive_data_accepted: { kind: "exchange", rule: "A request valid against the document is accepted (a documented 404, 409 or 422 may answer it; a redirect is not judged)." },
  negative_data_rejected: { kind: "exchange", rule: "A request that breaks the document is rejected with a 4xx (a redirect is not judged)." },
  auth_enforced: { kind: "exchange", rule: 'Without the API key the answer is 401 {"error": …}; with an unknown key it is 403 {"error": …}.' },
  unknown_id_not_found: {
    kind: "exchange",
    rule: "An id that does not exist gets 404 where the document lists it (a DELETE may instead succeed: idempotent); where no 404 is documented, any status the operation lists (or 404), never a 5xx.",
  },
  operation_implemented: { kind: "exchange", rule: "Every documented operation is implemented: its valid requests are not answered like a path the target does not have." },
  undocumented_method_refused: { kind: "exchange", rule: "A method the document does not list for a path (GET, PUT, POST, PATCH, DELETE) is refused with a 4xx (a redirect is not judged)." },
  allow_header_on_405: { kind: "exchange", rule: "A 405 carries Allow (RFC 9110) naming every method the document lists for the path and none the target refuses there." },
  response_time: {
    kind: "exchange",
    rule: "With a limit set (--response-time MS), every answer that is not a stream ends within it, from request sent to body end, except where the document says the operation waits (a long poll, a join, a run's final output).",
  },
  // ── flow ──────────────────────────────────────────────────────────────────────────────────────────
  resource_available_after_create: { kind: "flow", rule: "A resource can be read as soon as its creation was answered." },
  listed_after_create: { kind: "flow", rule: "A created resource appears in the lists and searches that cover it." },
  update_persisted: { kind: "flow", rule: "An update is stored: reading the resource afterwards shows it." },
  use_after_delete: {
    kind: "flow",
    rule: "A deleted resource is gone: every operation that needs it (by path, or a required body field) answers as for an unknown id — 404 where documented (a DELETE may succeed again), else a status it documents, never a 5xx.",
  },
  busy_thread_conflict: {
    kind: "flow",
    rule: "While a thread's run is in flight, a second run with multitask_strategy reject and resolve-interrupt are refused: 409 where the operation documents it, else a 4xx it documents.",
  },
  secret_headers_not_echoed: { kind: "flow", rule: "Stored MCP server header values are never returned in clear." },
  mcp_tools_listed: { kind: "flow", rule: "Listing MCP tools returns the tools the registered server offers." },
  oauth_provider_per_user_only: { kind: "flow", rule: "A per-user OAuth provider is registered only for an MCP server in per-user dynamic client mode (one with static headers is refused with a 4xx)." },
  auth_session_completes: { kind: "flow", rule: "An auth session starts PENDING and becomes COMPLETED once its verification URL is visited." },
  auth_session_reuse: { kind: "flow", rule: "Strategy REUSE with a completed session answers 200 with its token." },
  content_location_resolves: { kind: "flow", rule: "The Content-Location of a created run is that run's URL." },
  pagination_consistent: { kind: "flow", rule: "Paging through a search with limit and offset gives each matching item exactly once." },
  count_matches_list: { kind: "flow", rule: "A count equals the number of items the same filter lists." },
  // ── stream ────────────────────────────────────────────────────────────────────────────────────────
  stream_content_type: { kind: "stream", rule: "Run streams are served as text/event-stream." },
  sse_framing: { kind: "stream", rule: "The body follows the event-stream format: `field: value` lines, events ended by a blank line, UTF-8." },
  stream_terminates: { kind: "stream", rule: "A run stream ends by itself once the run is over, cleanly at an event boundary." },
  metadata_first: { kind: "stream", rule: "Every run stream starts with a `metadata` event (except one resumed mid-run)." },
  event_names: { kind: "stream", rule: "Only events of the requested stream modes appear, named as documented, namespaced only with stream_subgraphs." },
  event_payloads: { kind: "stream", rule: "Each event's data is JSON of the shape its stream mode documents." },
  error_event: { kind: "stream", rule: "A run that fails ends its stream with an `error` event; a run that succeeds has none." },
  ids_present: { kind: "stream", rule: "Events of a resumable run stream (stream_resumable=true) and of its joins carry ids, so a client can resume." },
  delivered_incrementally: { kind: "stream", rule: "Run streams are delivered as they happen, not held back until the run ends (judged where the run's pace is known)." },
  stream_complete: { kind: "stream", rule: "What a stream delivered matches what the run produced: its final message and last values." },
  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────────────
  run_status_forward_only: { kind: "lifecycle", rule: "A run's status only moves forward: pending → running → a terminal status that stays." },
  thread_status_lifecycle: { kind: "lifecycle", rule: "A thread is busy while it has a run in flight and goes back to idle, error or interrupted after it." },
  cancel_interrupts_run: { kind: "lifecycle", rule: "Cancelling a running run interrupts it." },
  resume_after_interrupt: { kind: "lifecycle", rule: "A run with command.resume on an interrupted thread hands the value to the interrupted node: the run succeeds and that interrupt is no longer pending." },
  multitask_reject: { kind: "lifecycle", rule: "multitask_strategy reject refuses a second run with 409 and lets the first finish." },
  multitask_enqueue: { kind: "lifecycle", rule: "multitask_strategy enqueue runs both runs, the second after the first." },
  multitask_interrupt: { kind: "lifecycle", rule: "multitask_strategy interrupt interrupts the first run and runs the second." },
  multitask_rollback: { kind: "lifecycle", rule: "multitask_strategy rollback deletes the first run and runs the second." },
  multitask_default: { kind: "lifecycle", rule: "Without a multitask_strategy the documented default, enqueue, applies." },
  on_disconnect_cancel: { kind: "lifecycle", rule: "With on_disconnect cancel, a run whose streaming client leaves is cancelled." },
  on_disconnect_continue: { kind: "lifecycle", rule: "With on_disconnect continue, a run whose streaming client leaves runs to its end." },
  resume_replay_equals_original: { kind: "lifecycle", rule: "Joining a resumable run's stream with Last-Event-ID -1 replays exactly the events it streamed." },
  resume_after_id_exact: { kind: "lifecycle", rule: "Joining with a Last-Event-ID gives exactly the events after that one." },
  managed_stream_modes_restricted: { kind: "lifecycle", rule: "The Managed run stream accepts only the values, updates and messages-tuple stream modes (400 otherwise)." },
  managed_assistant_id_rejected: { kind: "lifecycle", rule: "The Managed run stream rejects `assistant_id` with 400." },
  managed_resolve_interrupt: { kind: "lifecycle", rule: "resolve-interrupt resumes an interrupted thread, which then runs to idle." },
  managed_approval_configured_tools: { kind: "lifecycle", rule: "With interrupt_config {\"<server>::<tool>\": true}, a run stops for approval before that tool and no other." },
  // ── multitask under load ──────────────────────────────────────────────────────────────────────────
  multitask_load_no_lost_runs: { kind: "multitask", rule: "Every accepted run is accounted for: it ends and is listed on its thread (only rollback may delete one)." },
  multitask_load_no_duplicate_runs: { kind: "multitask", rule: "No run twice: distinct ids, no repeats in the run list, no input executed twice." },
  multitask_load_one_run_at_a_time: { kind: "multitask", rule: "A thread runs one run at a time." },
  multitask_load_outcome: { kind: "multitask", rule: "Each multitask_strategy does what it documents under concurrent bursts." },
  multitask_load_thread_consistent: { kind: "multitask", rule: "The thread ends consistent with its runs: idle after a last success, exactly the successful runs' inputs in its state." },
  // ── gates ─────────────────────────────────────────────────────────────────────────────────────────
  load_ttft_slo: { kind: "gate", rule: "p95 time to first token and the error rate stay within the SLO at concurrency 1." },
  load_multitask_ran: { kind: "gate", rule: "The concurrent-runs part of the load phase ran to its end." },
  load_json_slo: { kind: "gate", rule: "Under concurrent reads, each JSON endpoint (get, list, search, count) answers with p95 ≤ 1000 ms and at most 1 % failures." },
  // ── setup ─────────────────────────────────────────────────────────────────────────────────────────
  fixture_setup: { kind: "setup", rule: "The resources a unit needs (an agent, a thread, an assistant) can be created with valid requests." },
} as const satisfies Record<string, CheckInfo>;

export type CheckName = keyof typeof registry;

export const CHECKS: Readonly<Record<CheckName, CheckInfo>> = registry;

export const CHECK_NAMES = Object.keys(registry) as CheckName[];

export const isCheckName = (name: string): name is CheckName => Object.hasOwn(registry, name);

/** The phase of a run (`--only`) that judges each kind of check. */
const PHASE_OF_KIND: Record<CheckKind, "contract" | "streams" | "load"> = { exchange: "contract", flow: "contract", setup: "contract", stream: "streams", lifecycle: "streams", multitask: "load", gate: "load" };

export const phaseOf = (check: CheckName) => PHASE_OF_KIND[CHECKS[check].kind];
