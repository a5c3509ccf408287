"""A graph that streams a few tokens and then raises, so runs end with an `error` event."""

from langchain_core.runnables import RunnableConfig
from langgraph.graph import START, MessagesState, StateGraph

from graphs.scripted_model import Script, ScriptedChatModel


# The server shows the message of builtin error kinds only (others become "An internal error occurred"),
# so this subclasses RuntimeError to carry its message like the JS reference.
class ReferenceFailure(RuntimeError):
    pass


model = ScriptedChatModel(script=Script(tokens=3))


async def agent(state: MessagesState, config: RunnableConfig) -> dict:
    await model.ainvoke(state["messages"], config)
    raise ReferenceFailure("the reference error graph failed on purpose")


builder = StateGraph(MessagesState)
builder.add_node("agent", agent)
builder.add_edge(START, "agent")
graph = builder.compile()
