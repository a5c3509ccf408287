/**
 * (a) A real deep agent (`createDeepAgent`) driven by the scripted model: it plans with write_todos, then
 * streams its answer. `deepHitl` is the same agent with human approval required before write_todos,
 * so runs stop at an interrupt that the Managed API's resolve-interrupt resumes. `deepEchoHitl` has the
 * reference MCP server's `echo` among its tools and calls it, with approval required before echo alone:
 * what an agent whose interrupt_config names one MCP tool does.
 */
import { createDeepAgent } from "deepagents";
import { todoListMiddleware } from "langchain";
import { DEFAULT_SCRIPT, ScriptedChatModel } from "../scripted-model.ts";
import { echo } from "./agent.ts";

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

export const deepEchoHitl = createDeepAgent({
  model: new ScriptedChatModel({ ...DEFAULT_SCRIPT, toolCall: { name: "echo", args: { text: "hello" } } }),
  systemPrompt,
  tools: [echo],
  middleware: [todoListMiddleware()],
  interruptOn: { echo: true },
});
