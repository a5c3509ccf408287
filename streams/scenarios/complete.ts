/**
 * stream_complete: what a stream delivered matches what the run produced. Once the thread is idle, its
 * final AI message must equal the text its messages-tuple chunks spelled, and the last `values` event must
 * hold that same message. A stream cut short (or one that lost events) fails this, whatever its framing.
 */
import type { HttpRequest } from "../../core/exchange.ts";
import { pollUntil } from "../../core/poll.ts";
import type { SpecId } from "../../core/target.ts";
import type { JudgedStream } from "../judge.ts";
import { aiText, isAiMessage } from "../grammar/tokens.ts";
import type { ScenarioContext } from "./context.ts";

interface Message {
  id?: string;
  type?: string;
  content?: unknown;
}

const lastAi = (messages: unknown): Message | undefined =>
  Array.isArray(messages) ? [...(messages as Message[])].reverse().find(isAiMessage) : undefined;

/** Reads the thread's status and final state values; undefined values when the API does not expose them. */
export type ThreadReader = () => Promise<{ status?: string; values?: { messages?: unknown } }>;

export async function checkComplete(ctx: ScenarioContext, spec: SpecId, operationId: string, mode: string, modes: string[], req: HttpRequest, judged: JudgedStream, read: ThreadReader) {
  if (judged.status >= 300) return;
  const final = (await pollUntil(read, (t) => t.status !== "busy", { everyMs: 100 })).at(-1);
  const expected = lastAi(final?.values?.messages);
  if (!expected) return; // the API does not show the final state: not judged
  const want = aiText(expected);
  const problems: string[] = [];
  if (modes.includes("messages-tuple")) {
    const got = expected.id ? judged.output.textById.get(expected.id) : undefined;
    if (got !== want) problems.push(`the final answer is ${JSON.stringify(want.slice(0, 80))} but its streamed chunks spell ${got === undefined ? "nothing (message never streamed)" : JSON.stringify(got.slice(0, 80))}`);
  }
  if (modes.includes("values")) {
    const last = lastAi((judged.output.lastValues as { messages?: unknown } | undefined)?.messages);
    const got = last ? aiText(last) : undefined;
    if (got !== want) problems.push(`the last values event ends with ${got === undefined ? "no AI message" : JSON.stringify(got.slice(0, 80))}, the final state with ${JSON.stringify(want.slice(0, 80))}`);
  }
  ctx.verdict(spec, operationId, mode, "stream_complete", problems, req);
}
