/** (c) A parent graph whose "research" node is the agent graph, so stream_subgraphs yields `mode|ns` events. */
import { END, START, StateGraph } from "@langchain/langgraph";
import { MessagesState } from "./state.ts";
import { AIMessage } from "@langchain/core/messages";
import { buildAgent } from "./agent.ts";

export const graph = new StateGraph(MessagesState)
  .addNode("research", buildAgent().compile())
  .addNode("summarize", async () => ({ messages: [new AIMessage({ content: "summary done" })] }))
  .addEdge(START, "research")
  .addEdge("research", "summarize")
  .addEdge("summarize", END)
  .compile();
