"""A graph that asks for human input with interrupt(); resuming with Command(resume=...) finishes it."""

import json

from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import interrupt


def ask(state: MessagesState) -> dict:
    answer = interrupt({"question": "Approve the plan?"})
    # JSON.stringify's spelling, as the JS reference writes it.
    said = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
    return {"messages": [AIMessage(content=f"human said: {said}")]}


builder = StateGraph(MessagesState)
builder.add_node("ask", ask)
builder.add_edge(START, "ask")
builder.add_edge("ask", END)
graph = builder.compile()
