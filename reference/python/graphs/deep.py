"""A real deep agent driven by the scripted model: it plans with write_todos, then streams its answer.

`deep_hitl` is the same agent with human approval required before write_todos, so runs stop at an
interrupt that a resume command continues. `deep_echo_hitl` has the reference MCP server's `echo` among
its tools and calls it, with approval required before echo alone: what an agent whose interrupt_config
names one MCP tool does.
"""

from deepagents import create_deep_agent
from langchain.agents.middleware import TodoListMiddleware

from graphs.agent import echo
from graphs.scripted_model import Script, ScriptedChatModel, ToolCall

PLAN = ToolCall("write_todos", {"todos": [{"content": "Say hello", "status": "completed"}]})
SYSTEM_PROMPT = "You are the reference deep agent of the agentwire conformance suite."

deep_agent = create_deep_agent(
    model=ScriptedChatModel(script=Script(tool_call=PLAN)),
    system_prompt=SYSTEM_PROMPT,
    middleware=[TodoListMiddleware()],
)

deep_hitl = create_deep_agent(
    model=ScriptedChatModel(script=Script(tool_call=PLAN)),
    system_prompt=SYSTEM_PROMPT,
    middleware=[TodoListMiddleware()],
    interrupt_on={"write_todos": True},
)

deep_echo_hitl = create_deep_agent(
    model=ScriptedChatModel(script=Script(tool_call=ToolCall("echo", {"text": "hello"}))),
    system_prompt=SYSTEM_PROMPT,
    tools=[echo],
    middleware=[TodoListMiddleware()],
    interrupt_on={"echo": True},
)
