/**
 * Which SSE events carry model output. A "token event" is one streamed chunk of model text: the timing model
 * counts chunks, not tokenizer tokens (the APIs report no usage per chunk), and says so in its definitions.
 */

/** Stream modes whose events carry model output chunk by chunk. */
export type TokenMode = "messages-tuple" | "messages";

/** Where model output appears, per API and stream mode; printed with the metric definitions. */
export const TOKEN_SOURCES: { api: string; mode: TokenMode; rule: string }[] = [
  {
    api: "Agent Server, Managed API",
    mode: "messages-tuple",
    rule: "event `messages` (or `messages|<namespace>`), data `[chunk, metadata]`, chunk of type ai/AIMessageChunk with non-empty text content: one token event per chunk",
  },
  {
    api: "Agent Server",
    mode: "messages",
    rule: "event `messages/partial`, data `[message]` holding the accumulated AI message: one token event each time its text grows",
  },
];

export interface NamedEvent {
  event: string;
  data: string;
}

/** Counts token events in one stream; create one per stream (the `messages` mode needs per-message state). */
export type TokenClassifier = (e: NamedEvent) => boolean;

export function tokenClassifier(mode: TokenMode): TokenClassifier {
  return mode === "messages-tuple" ? tupleChunk : partialGrowth();
}

const baseName = (event: string) => {
  const bar = event.indexOf("|");
  return bar === -1 ? event : event.slice(0, bar);
};

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

const AI_TYPES = new Set(["ai", "AIMessageChunk", "AIMessage"]);

/** Text of a message's content: a string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (typeof part === "object" && part !== null && (part as { type?: unknown }).type === "text") {
      const t = (part as { text?: unknown }).text;
      if (typeof t === "string") text += t;
    }
  }
  return text;
}

export const isAiMessage = (message: unknown): boolean => {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === "string" && AI_TYPES.has(type);
};

/** Text of an AI message or chunk; "" for any other message. */
export const aiText = (message: unknown): string => (isAiMessage(message) ? contentText((message as { content?: unknown }).content) : "");

function tupleChunk(e: NamedEvent): boolean {
  if (baseName(e.event) !== "messages") return false;
  const data = parse(e.data);
  return Array.isArray(data) && aiText(data[0]).length > 0;
}

function partialGrowth(): TokenClassifier {
  const seen = new Map<string, number>();
  return (e) => {
    if (baseName(e.event) !== "messages/partial") return false;
    const data = parse(e.data);
    if (!Array.isArray(data)) return false;
    let grew = false;
    for (const message of data) {
      const length = aiText(message).length;
      const id = String((message as { id?: unknown } | null)?.id ?? "");
      if (length > (seen.get(id) ?? 0)) grew = true;
      if (length > 0) seen.set(id, Math.max(length, seen.get(id) ?? 0));
    }
    return grew;
  };
}
