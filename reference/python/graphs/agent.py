"""A plain streaming agent: model → echo tool → model. A message starting with "tool:" calls echo first."""

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import tool
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from graphs.scripted_model import Script, ScriptedChatModel, ToolCall


@tool
def echo(text: str) -> str:
    """Returns its input."""
    return f"echo: {text}"


model = ScriptedChatModel(script=Script(tool_call=ToolCall("echo", {"text": "ping"}), tool_prefix="tool:"))


async def agent(state: MessagesState, config: RunnableConfig) -> dict:
    writer = get_stream_writer()
    writer({"phase": "model-start"})
    message = await model.ainvoke(state["messages"], config)
    writer({"phase": "model-end"})
    return {"messages": [message]}


def build_agent() -> StateGraph:
    builder = StateGraph(MessagesState)
    builder.add_node("agent", agent)
    builder.add_node("tools", ToolNode([echo]))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition, ["tools", END])
    builder.add_edge("tools", "agent")
    return builder


graph = build_agent().compile()
