/** (b) A plain streaming agent: model → echo tool → model. A message starting with "tool:" calls echo first. */
import { END, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { MessagesState } from "./state.ts";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { tool } from "@langchain/core/tools";
import type { AIMessage } from "@langchain/core/messages";
import { z } from "zod";
import { DEFAULT_SCRIPT, ScriptedChatModel } from "../scripted-model.ts";

export const echo = tool(async ({ text }: { text: string }) => `echo: ${text}`, {
  name: "echo",
  description: "Returns its input.",
  schema: z.object({ text: z.string() }),
});

const model = new ScriptedChatModel({ ...DEFAULT_SCRIPT, toolCall: { name: "echo", args: { text: "ping" } }, toolPrefix: "tool:" });

export function buildAgent() {
  return new StateGraph(MessagesState)
    .addNode("agent", async (state, config: LangGraphRunnableConfig) => {
      config.writer?.({ phase: "model-start" });
      const message = await model.invoke(state.messages, config);
      config.writer?.({ phase: "model-end" });
      return { messages: [message] };
    })
    .addNode("tools", new ToolNode([echo]))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (state) => ((state.messages.at(-1) as AIMessage).tool_calls?.length ? "tools" : END), ["tools", END])
    .addEdge("tools", "agent");
}

export const graph = buildAgent().compile();
