/** (d) A graph that streams a few tokens and then throws, so runs end with an `error` event. */
import { START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { MessagesState } from "./state.ts";
import { DEFAULT_SCRIPT, ScriptedChatModel } from "../scripted-model.ts";

export class ReferenceFailure extends Error {
  override name = "ReferenceFailure";
}

const model = new ScriptedChatModel({ ...DEFAULT_SCRIPT, tokens: 3 });

export const graph = new StateGraph(MessagesState)
  .addNode("agent", async (state, config: LangGraphRunnableConfig) => {
    await model.invoke(state.messages, config);
    throw new ReferenceFailure("the reference error graph failed on purpose");
  })
  .addEdge(START, "agent")
  .compile();
