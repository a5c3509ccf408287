"""A parent graph whose "research" node is the agent graph, so stream_subgraphs yields `mode|ns` events."""

from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph

from graphs.agent import build_agent


async def summarize(state: MessagesState) -> dict:
    return {"messages": [AIMessage(content="summary done")]}


builder = StateGraph(MessagesState)
builder.add_node("research", build_agent().compile())
builder.add_node("summarize", summarize)
builder.add_edge(START, "research")
builder.add_edge("research", "summarize")
builder.add_edge("summarize", END)
graph = builder.compile()
