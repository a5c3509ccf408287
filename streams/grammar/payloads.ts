/**
 * The payload grammar of each event name, from the Agent Server's wire behaviour and the Managed API docs.
 * Each function returns a description of what is wrong with a parsed `data` value, or undefined.
 */

export interface PayloadContext {
  /** Keys the metadata half of every messages-tuple event must carry. */
  tupleMetadataKeys: string[];
  /** Further keys it must carry when the chunk comes from the model (an AI chunk, not a tool message). */
  modelMetadataKeys: string[];
}

type Shape = (data: unknown, ctx: PayloadContext) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A LangChain message or message chunk as the server serialises it: a `type` and a `content`. */
function messageProblem(m: unknown, where: string): string | undefined {
  if (!isObject(m)) return `${where} is not a message object`;
  if (typeof m.type !== "string") return `${where} has no string "type"`;
  if (typeof m.content !== "string" && !Array.isArray(m.content)) return `${where} has no "content" (string or content blocks)`;
  return undefined;
}

function messageList(data: unknown, what: string): string | undefined {
  if (!Array.isArray(data)) return `${what} data is not an array of messages`;
  for (const [i, m] of data.entries()) {
    const p = messageProblem(m, `${what}[${i}]`);
    if (p) return p;
  }
  return undefined;
}

export const PAYLOADS: Record<string, Shape> = {
  metadata: (d) => {
    if (!isObject(d)) return "metadata data is not an object";
    if (typeof d.run_id !== "string" || !UUID.test(d.run_id)) return "metadata has no uuid run_id";
    if (!Number.isInteger(d.attempt) || (d.attempt as number) < 1) return "metadata has no integer attempt ≥ 1";
    return undefined;
  },
  values: (d) => (isObject(d) ? undefined : "values data is not a state object"),
  updates: (d) => (isObject(d) ? undefined : "updates data is not an object keyed by node name"),
  messages: (d, ctx) => {
    if (!Array.isArray(d) || d.length !== 2) return "messages data is not a two-element [chunk, metadata] array";
    const chunk = messageProblem(d[0], "the chunk");
    if (chunk) return chunk;
    if (!isObject(d[1])) return "the metadata half of [chunk, metadata] is not an object";
    const fromModel = ["ai", "AIMessageChunk"].includes((d[0] as { type: string }).type);
    const missing = [...ctx.tupleMetadataKeys, ...(fromModel ? ctx.modelMetadataKeys : [])].filter((k) => !(k in (d[1] as object)));
    return missing.length ? `the [chunk, metadata] metadata lacks ${missing.join(", ")}` : undefined;
  },
  "messages/partial": (d) => messageList(d, "messages/partial"),
  "messages/complete": (d) => messageList(d, "messages/complete"),
  "messages/metadata": (d) => {
    if (!isObject(d)) return "messages/metadata data is not an object keyed by message id";
    for (const [id, v] of Object.entries(d)) if (!isObject(v) || !isObject(v.metadata)) return `messages/metadata entry ${id} has no metadata object`;
    return undefined;
  },
  events: (d) => (isObject(d) && typeof d.event === "string" && d.event.startsWith("on_") ? undefined : 'events data is not an {event: "on_…"} object'),
  debug: (d) => {
    if (!isObject(d)) return "debug data is not an object";
    if (!["checkpoint", "task", "task_result"].includes(d.type as string)) return `debug type ${JSON.stringify(d.type)} is not checkpoint, task or task_result`;
    return Number.isInteger(d.step) ? undefined : "debug data has no integer step";
  },
  tasks: (d) => (isObject(d) && typeof d.id === "string" && typeof d.name === "string" ? undefined : "tasks data lacks id and name"),
  checkpoints: (d) => (isObject(d) ? undefined : "checkpoints data is not an object"),
  custom: () => undefined,
  tools: () => undefined,
  error: (d) => (isObject(d) && typeof d.error === "string" && typeof d.message === "string" ? undefined : "error data is not {error: string, message: string}"),
};
