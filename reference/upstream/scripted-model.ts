/**
 * A deterministic chat model for the reference target. It streams `tokens` chunks with `delayMs` before
 * each one, optionally emits one tool call first, and its output depends only on its input messages and
 * its settings — never on call order — so concurrent runs stay reproducible.
 */
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { getConfig } from "@langchain/langgraph";
import { SCRIPTED_MODEL_KNOBS } from "../knobs.ts";
import { sleep } from "../../core/poll.ts";

export interface ScriptSettings {
  /** Number of streamed text chunks. */
  tokens: number;
  /** Delay before each chunk, in milliseconds. */
  delayMs: number;
  /** Delay before the first chunk only (added to delayMs); 0 by default. */
  firstTokenDelayMs: number;
  /** Tool to call before answering, or undefined for a plain answer. */
  toolCall?: { name: string; args: Record<string, unknown> };
  /** Only call the tool when the last human message starts with this prefix. */
  toolPrefix?: string;
}

export const DEFAULT_SCRIPT: ScriptSettings = { tokens: 20, delayMs: 5, firstTokenDelayMs: 0 };

const int = (v: unknown, fallback: number, max: number) => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
};

const KEYS = SCRIPTED_MODEL_KNOBS.configurable;

/** Reads per-run or per-assistant overrides from `config.configurable` (fake_tokens, fake_delay_ms, ...). */
function settingsFromConfigurable(base: ScriptSettings, configurable: Record<string, unknown> | undefined): ScriptSettings {
  const c = configurable ?? {};
  const s: ScriptSettings = {
    ...base,
    tokens: int(c[KEYS.tokens], base.tokens, 100_000),
    delayMs: int(c[KEYS.delayMs], base.delayMs, 60_000),
    firstTokenDelayMs: int(c[KEYS.firstTokenDelayMs], base.firstTokenDelayMs, 600_000),
  };
  if (c.fake_tool === "none") delete s.toolCall;
  return s;
}


function text(content: BaseMessage["content"]): string {
  if (typeof content === "string") return content;
  return content.map((p) => (typeof p === "object" && p && "text" in p ? String(p.text) : "")).join("");
}

export class ScriptedChatModel extends BaseChatModel {
  constructor(private readonly base: ScriptSettings = DEFAULT_SCRIPT) {
    super({});
  }

  _llmType() {
    return "scripted-fake";
  }

  // Real chat models name themselves in their tracing metadata; messages-tuple metadata carries these keys.
  override getLsParams(options: this["ParsedCallOptions"]) {
    return { ...super.getLsParams(options), ls_provider: "scripted", ls_model_name: "scripted-fake" };
  }

  // The agent factories bind tools; the script decides on its own when to call one.
  override bindTools(): this {
    return this;
  }

  /** Knobs come from the run's configurable, or its runtime context (what a run that sets context uses). */
  private settings(): ScriptSettings {
    let knobs: Record<string, unknown> | undefined;
    try {
      const config = getConfig() as { configurable?: Record<string, unknown>; context?: Record<string, unknown> } | undefined;
      knobs = { ...config?.context, ...config?.configurable };
    } catch {
      knobs = undefined; // called outside a graph run
    }
    return settingsFromConfigurable(this.base, knobs);
  }

  private wantsToolCall(messages: BaseMessage[], s: ScriptSettings): boolean {
    if (!s.toolCall) return false;
    const lastHuman = messages.findLastIndex((m) => m.getType() === "human");
    if (lastHuman < 0) return false;
    if (messages.slice(lastHuman + 1).some((m) => m.getType() === "tool")) return false;
    return s.toolPrefix === undefined || text(messages[lastHuman]!.content).startsWith(s.toolPrefix);
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    _options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const s = this.settings();
    if (this.wantsToolCall(messages, s)) {
      await sleep(s.firstTokenDelayMs + s.delayMs);
      const call = s.toolCall!;
      const message = new AIMessageChunk({
        content: "",
        tool_call_chunks: [
          { name: call.name, args: JSON.stringify(call.args), id: `call_${call.name}_${messages.length}`, index: 0, type: "tool_call_chunk" },
        ],
      });
      const chunk = new ChatGenerationChunk({ text: "", message });
      yield chunk;
      await runManager?.handleLLMNewToken("", undefined, undefined, undefined, undefined, { chunk });
      return;
    }
    for (let i = 0; i < s.tokens; i++) {
      await sleep(i === 0 ? s.firstTokenDelayMs + s.delayMs : s.delayMs);
      const piece = `tok${i}` + (i === s.tokens - 1 ? "" : " ");
      const chunk = new ChatGenerationChunk({ text: piece, message: new AIMessageChunk({ content: piece }) });
      yield chunk;
      await runManager?.handleLLMNewToken(piece, undefined, undefined, undefined, undefined, { chunk });
    }
  }

  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    let acc: AIMessageChunk | undefined;
    for await (const c of this._streamResponseChunks(messages, options, runManager)) {
      acc = acc ? acc.concat(c.message as AIMessageChunk) : (c.message as AIMessageChunk);
    }
    const message = new AIMessage({
      content: acc?.content ?? "",
      tool_calls: acc?.tool_calls ?? [],
    });
    return { generations: [{ text: text(message.content), message }] };
  }
}
