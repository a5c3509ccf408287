/**
 * Which reference fault each check is shown to fail on, and in which unit: the one table behind the
 * fault-matrix tests, checked against each fault's declared `caughtBy` (test/fault-coverage.test.ts).
 */
import type { CheckName } from "../../core/checks.ts";
import type { Strategy } from "../../load/multitask/observe.ts";
import type { ContractUnit } from "./units.ts";

const M = "managed-deep-agents" as const;
const A = "agent-server" as const;

export const CONTRACT_CASES: { check: CheckName; fault: string; unit: ContractUnit }[] = [
  { check: "not_a_server_error", fault: "server-error", unit: { spec: M, operationId: "listManagedDeepAgents", family: "positive" } },
  // Only a sequence reaches it (create, update, clone): the random walks find it and shrink it to those three.
  { check: "not_a_server_error", fault: "clone-after-update-500", unit: { spec: M, flow: "random walks", walks: { walks: 30, steps: 12 } } },
  { check: "status_code_documented", fault: "undocumented-status", unit: { spec: M, operationId: "createManagedDeepAgent", family: "positive" } },
  // Only a thread for an agent that is gone reaches it: the flow's uses of its deleted agent.
  { check: "status_code_documented", fault: "thread-unknown-agent-404", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "content_type_documented", fault: "wrong-content-type", unit: { spec: M, operationId: "getManagedDeepAgent", family: "positive" } },
  { check: "response_schema", fault: "wrong-field-type", unit: { spec: M, operationId: "createManagedDeepAgent", family: "positive" } },
  { check: "response_schema", fault: "error-body-shape", unit: { spec: M, operationId: "getManagedDeepAgent", family: "unknown-ids" } },
  { check: "response_schema", fault: "bulk-echoes-bad-ids", unit: { spec: M, operationId: "bulkUpdateManagedDeepAgentThreads", family: "positive" } },
  { check: "response_schema", fault: "missing-required-field", unit: { spec: A, operationId: "get_run_http_threads__thread_id__runs__run_id__get", family: "positive" } },
  { check: "response_schema", fault: "run-status-out-of-enum", unit: { spec: A, operationId: "get_run_http_threads__thread_id__runs__run_id__get", family: "positive" } },
  { check: "response_headers_documented", fault: "missing-content-location", unit: { spec: A, operationId: "create_run_threads__thread_id__runs_post", family: "positive", strict: "content-location" } },
  { check: "positive_data_accepted", fault: "rejects-valid-input", unit: { spec: M, operationId: "createManagedDeepAgent", family: "positive" } },
  { check: "negative_data_rejected", fault: "accepts-invalid-input", unit: { spec: M, operationId: "createManagedDeepAgent", family: "negative" } },
  { check: "negative_data_rejected", fault: "threads-accept-missing-agent-id", unit: { spec: M, operationId: "createManagedDeepAgentThread", family: "coverage" } },
  { check: "auth_enforced", fault: "auth-not-enforced", unit: { spec: M, operationId: "getManagedDeepAgent", family: "auth" } },
  { check: "auth_enforced", fault: "wrong-auth-error", unit: { spec: M, operationId: "getManagedDeepAgent", family: "auth" } },
  { check: "unknown_id_not_found", fault: "unknown-id-500", unit: { spec: M, operationId: "getManagedDeepAgent", family: "unknown-ids" } },
  { check: "operation_implemented", fault: "missing-route", unit: { spec: M, operationId: "bulkUpdateManagedDeepAgentThreads", family: "positive" } },
  { check: "undocumented_method_refused", fault: "undocumented-method-served", unit: { spec: M, methods: "/agents" } },
  { check: "allow_header_on_405", fault: "allow-lists-other-path", unit: { spec: M, methods: "/threads/count" } },
  // One request per id, each held back 1.5 s by the fault: over a 1 s limit, far above the healthy answer.
  { check: "response_time", fault: "slow-reads", unit: { spec: M, operationId: "getManagedDeepAgentThread", family: "unknown-ids", responseTimeMs: 1000 } },
  { check: "use_after_delete", fault: "resurrect-after-delete", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "busy_thread_conflict", fault: "busy-thread-status-swapped", unit: { spec: M, flow: "requests on a busy thread" } },
  { check: "resource_available_after_create", fault: "read-after-create-404", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "listed_after_create", fault: "list-omits-new", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "update_persisted", fault: "update-not-persisted", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "count_matches_list", fault: "attention-count-off", unit: { spec: M, flow: "agent, thread and run lifecycle" } },
  { check: "secret_headers_not_echoed", fault: "echo-secrets", unit: { spec: M, flow: "MCP server secrets and tools" } },
  { check: "mcp_tools_listed", fault: "mcp-tools-empty", unit: { spec: M, flow: "MCP server secrets and tools" } },
  { check: "oauth_provider_per_user_only", fault: "oauth-provider-for-headers", unit: { spec: M, flow: "MCP server secrets and tools" } },
  { check: "auth_session_completes", fault: "auth-session-stuck", unit: { spec: M, flow: "auth session from PENDING to COMPLETED" } },
  { check: "auth_session_reuse", fault: "reuse-ignored", unit: { spec: M, flow: "auth session from PENDING to COMPLETED" } },
  { check: "content_location_resolves", fault: "wrong-content-location", unit: { spec: A, flow: "assistant, thread and run lifecycle" } },
  { check: "pagination_consistent", fault: "page-overlaps", unit: { spec: A, flow: "paging and counts" } },
  { check: "count_matches_list", fault: "count-off-by-one", unit: { spec: A, flow: "paging and counts" } },
];

export const STREAM_CASES: { check: CheckName; fault: string; scenario: string }[] = [
  { check: "stream_content_type", fault: "stream-content-type", scenario: "managed › stream mode values" },
  { check: "sse_framing", fault: "broken-framing", scenario: "managed › stream mode values" },
  { check: "stream_terminates", fault: "endless-stream", scenario: "managed › stream mode values" },
  { check: "metadata_first", fault: "no-metadata-event", scenario: "managed › stream mode values" },
  { check: "event_names", fault: "wrong-event-name", scenario: "managed › stream mode messages-tuple" },
  { check: "event_names", fault: "unrequested-mode", scenario: "managed › stream mode values" },
  { check: "event_payloads", fault: "messages-not-tuple", scenario: "managed › stream mode messages-tuple" },
  { check: "event_payloads", fault: "error-event-shape", scenario: "agent-server › a failing run ends with an error event" },
  { check: "error_event", fault: "error-event-dropped", scenario: "agent-server › a failing run ends with an error event" },
  { check: "ids_present", fault: "ids-dropped", scenario: "agent-server › resumable stream replays and resumes exactly" },
  { check: "delivered_incrementally", fault: "buffered-stream", scenario: "managed › stream mode messages-tuple" },
  { check: "stream_complete", fault: "truncated-stream", scenario: "managed › stream mode messages-tuple" },
  { check: "managed_stream_modes_restricted", fault: "accepts-any-stream-mode", scenario: "managed › refuses other stream modes and assistant_id" },
  { check: "managed_assistant_id_rejected", fault: "accepts-assistant-id", scenario: "managed › refuses other stream modes and assistant_id" },
  { check: "managed_resolve_interrupt", fault: "resolve-interrupt-noop", scenario: "managed › interrupt then resolve-interrupt" },
  { check: "managed_approval_configured_tools", fault: "approval-wrong-tool", scenario: "managed › approval for the configured tool only" },
  { check: "run_status_forward_only", fault: "run-status-regresses", scenario: "agent-server › run status only moves forward" },
  { check: "thread_status_lifecycle", fault: "thread-stays-busy", scenario: "agent-server › thread status follows its runs" },
  { check: "cancel_interrupts_run", fault: "cancel-ignored", scenario: "agent-server › cancel interrupts a running run" },
  { check: "resume_after_interrupt", fault: "resume-ignored", scenario: "agent-server › resume an interrupted thread" },
  { check: "multitask_reject", fault: "multitask-swapped", scenario: "agent-server › multitask reject" },
  { check: "multitask_enqueue", fault: "multitask-swapped", scenario: "agent-server › multitask enqueue" },
  { check: "multitask_interrupt", fault: "multitask-swapped", scenario: "agent-server › multitask interrupt" },
  { check: "multitask_rollback", fault: "multitask-swapped", scenario: "agent-server › multitask rollback" },
  { check: "multitask_default", fault: "multitask-swapped", scenario: "agent-server › multitask default" },
  { check: "on_disconnect_cancel", fault: "on-disconnect-swapped", scenario: "agent-server › on_disconnect cancel" },
  { check: "on_disconnect_continue", fault: "on-disconnect-swapped", scenario: "agent-server › on_disconnect continue" },
  { check: "resume_replay_equals_original", fault: "drop-event-on-resume", scenario: "agent-server › resumable stream replays and resumes exactly" },
  { check: "resume_after_id_exact", fault: "drop-event-on-resume", scenario: "agent-server › resumable stream replays and resumes exactly" },
  { check: "resume_after_id_exact", fault: "ids-rewritten", scenario: "agent-server › resumable stream replays and resumes exactly" },
];

export const MULTITASK_CASES: { check: CheckName; fault: string; strategies: Strategy[] }[] = [
  { check: "multitask_load_no_lost_runs", fault: "enqueue-drops-run", strategies: ["enqueue"] },
  { check: "multitask_load_no_duplicate_runs", fault: "run-listed-twice", strategies: ["enqueue"] },
  { check: "multitask_load_one_run_at_a_time", fault: "runs-overlap", strategies: ["enqueue"] },
  { check: "multitask_load_outcome", fault: "multitask-swapped", strategies: ["reject", "enqueue", "interrupt", "rollback"] },
  { check: "multitask_load_thread_consistent", fault: "thread-stays-busy", strategies: ["enqueue"] },
];

/** Pairs proven elsewhere: every stream mode against renamed events, and the load gates. */
export const OTHER_CASES: { check: CheckName; fault: string; where: string }[] = [
  { check: "event_names", fault: "mode-events-renamed", where: "test/streams/fault-matrix.test.ts, every stream mode" },
  { check: "load_ttft_slo", fault: "slow-first-token", where: "test/cli/run.test.ts" },
  { check: "load_json_slo", fault: "slow-reads", where: "test/load/json-load.test.ts" },
];
