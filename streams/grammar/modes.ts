/**
 * Stream modes and the SSE event names each one produces, for both APIs, and the one place where
 * tolerated exceptions to "only requested modes appear" are listed.
 */

/** Every stream_mode value of the Agent Server, and the event names (before any `|namespace`) it yields. */
export const MODE_EVENTS: Record<string, string[]> = {
  values: ["values"],
  updates: ["updates"],
  "messages-tuple": ["messages"],
  messages: ["messages/metadata", "messages/partial", "messages/complete"],
  events: ["events"],
  debug: ["debug"],
  custom: ["custom"],
  tasks: ["tasks"],
  checkpoints: ["checkpoints"],
  tools: ["tools"],
};

/** The stream modes the Agent Server's document lists (the JS server also knows `tools`). */
export const AGENT_SERVER_MODES = ["values", "messages", "messages-tuple", "tasks", "checkpoints", "updates", "events", "debug", "custom"];

/** The only modes the Managed Deep Agents API accepts. */
export const MANAGED_MODES = ["values", "updates", "messages-tuple"];

/** Events any stream may carry whatever the modes: the run's metadata first, an error last. */
const ALWAYS_ALLOWED = ["metadata", "error"];

export interface ModeException {
  /** Event name (before namespaces) that may appear although its mode was not requested. */
  event: string;
  applies(modes: string[], subgraphs: boolean): boolean;
  reason: string;
}

/** Tolerated appearances of unrequested events. Each is shown in the report with its reason. */
export const MODE_EXCEPTIONS: ModeException[] = [
  {
    event: "checkpoints",
    applies: (modes, subgraphs) => subgraphs && modes.includes("values"),
    reason:
      "With stream_subgraphs and values, the JS Agent Server forwards LangGraph's lightweight checkpoint envelopes as `checkpoints` events even when that mode was not requested; its own test suite filters them out.",
  },
];

/** Event names (before namespaces) a stream with these modes may carry. */
export function allowedEvents(modes: string[], subgraphs: boolean): Set<string> {
  const names = new Set(ALWAYS_ALLOWED);
  for (const m of modes) for (const e of MODE_EVENTS[m] ?? []) names.add(e);
  for (const x of MODE_EXCEPTIONS) if (x.applies(modes, subgraphs)) names.add(x.event);
  return names;
}

/** Splits `mode|ns1|ns2` into the base name and namespace segments. */
export function splitEventName(name: string): { base: string; namespace: string[] } {
  const [base, ...namespace] = name.split("|");
  return { base: base!, namespace };
}
