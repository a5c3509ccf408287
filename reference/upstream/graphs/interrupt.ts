/** (e) A graph that asks for human input with interrupt(); resuming with Command({resume}) finishes it. */
import { END, START, StateGraph, interrupt } from "@langchain/langgraph";
import { MessagesState } from "./state.ts";
import { AIMessage } from "@langchain/core/messages";

export const graph = new StateGraph(MessagesState)
  .addNode("ask", () => {
    const answer = interrupt({ question: "Approve the plan?" });
    return { messages: [new AIMessage({ content: `human said: ${JSON.stringify(answer)}` })] };
  })
  .addEdge(START, "ask")
  .addEdge("ask", END)
  .compile();
