/**
 * (a) A real deep agent (`createDeepAgent`) driven by the scripted model: it plans with write_todos, then
 * streams its answer. `deepHitl` is the same agent with human approval required before write_todos,
 * so runs stop at an interrupt that the Managed API's resolve-interrupt resumes.
 */
import { createDeepAgent } from "deepagents";
import { todoListMiddleware } from "langchain";
import { DEFAULT_SCRIPT, ScriptedChatModel } from "../scripted-model.ts";

const plan = { name: "write_todos", args: { todos: [{ content: "Say hello", status: "completed" }] } };
const systemPrompt = "You are the reference deep agent of the agentwire conformance suite.";

export const deepAgent = createDeepAgent({
  model: new ScriptedChatModel({ ...DEFAULT_SCRIPT, toolCall: plan }),
  systemPrompt,
  middleware: [todoListMiddleware()],
});

export const deepHitl = createDeepAgent({
  model: new ScriptedChatModel({ ...DEFAULT_SCRIPT, toolCall: plan }),
  systemPrompt,
  middleware: [todoListMiddleware()],
  interruptOn: { write_todos: true },
});
