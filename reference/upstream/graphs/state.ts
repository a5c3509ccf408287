/**
 * The messages state of the reference graphs, declared as a runtime schema: the Agent Server then answers
 * schema and subgraph requests from it at once, instead of parsing the graphs' TypeScript (15 s per graph).
 */
import { MessagesValue, StateSchema } from "@langchain/langgraph";

export const MessagesState = new StateSchema({ messages: MessagesValue });
