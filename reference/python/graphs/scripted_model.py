"""A deterministic chat model mirroring reference/upstream/scripted-model.ts.

It streams `tokens` chunks with `delay_ms` before each one, optionally emits one tool call first, and its
output depends only on its input messages and its settings, so concurrent runs stay reproducible.
Per-run overrides come from `config["configurable"]`: fake_tokens, fake_delay_ms,
fake_first_token_delay_ms, and fake_tool="none".
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.language_models import LangSmithParams
from langchain_core.language_models.chat_models import BaseChatModel, agenerate_from_stream, generate_from_stream
from langchain_core.messages import AIMessageChunk, BaseMessage, ToolCallChunk
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langgraph.config import get_config


@dataclass(frozen=True)
class ToolCall:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Script:
    tokens: int = 20
    delay_ms: int = 5
    first_token_delay_ms: int = 0
    tool_call: ToolCall | None = None
    # Only call the tool when the last human message starts with this prefix.
    tool_prefix: str | None = None


def _int(value: object, fallback: int, maximum: int) -> int:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return fallback
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return min(value, maximum)
    return fallback


def settings_from_configurable(base: Script, configurable: dict[str, Any] | None) -> Script:
    c = configurable or {}
    script = replace(
        base,
        tokens=_int(c.get("fake_tokens"), base.tokens, 100_000),
        delay_ms=_int(c.get("fake_delay_ms"), base.delay_ms, 60_000),
        first_token_delay_ms=_int(c.get("fake_first_token_delay_ms"), base.first_token_delay_ms, 600_000),
    )
    return replace(script, tool_call=None) if c.get("fake_tool") == "none" else script


def _text(content: str | list[str | dict[str, Any]]) -> str:
    if isinstance(content, str):
        return content
    return "".join(str(p.get("text", "")) if isinstance(p, dict) else "" for p in content)


# Plain JSON.stringify output, so tool-call args are byte-identical to the JS reference's.
def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class ScriptedChatModel(BaseChatModel):
    script: Script = Script()

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    # Real chat models name themselves in their tracing metadata; messages-tuple metadata carries these keys.
    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = super()._get_ls_params(stop=stop, **kwargs)
        params["ls_provider"] = "scripted"
        params["ls_model_name"] = "scripted-fake"
        return params

    # Agent factories bind tools; the script decides on its own when to call one.
    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        return self

    def _settings(self) -> Script:
        try:
            configurable = get_config().get("configurable")
        except RuntimeError:
            configurable = None  # called outside a graph run
        return settings_from_configurable(self.script, configurable)

    @staticmethod
    def _wants_tool_call(messages: list[BaseMessage], s: Script) -> bool:
        if s.tool_call is None:
            return False
        humans = [i for i, m in enumerate(messages) if m.type == "human"]
        if not humans:
            return False
        if any(m.type == "tool" for m in messages[humans[-1] + 1 :]):
            return False
        return s.tool_prefix is None or _text(messages[humans[-1]].content).startswith(s.tool_prefix)

    def _plan(self, messages: list[BaseMessage]) -> Iterator[tuple[float, ChatGenerationChunk]]:
        """The chunks to send, each with the seconds to wait before it."""
        s = self._settings()
        first = (s.first_token_delay_ms + s.delay_ms) / 1000
        if self._wants_tool_call(messages, s):
            call = s.tool_call
            assert call is not None
            chunk = ToolCallChunk(name=call.name, args=_json(call.args), id=f"call_{call.name}_{len(messages)}", index=0)
            yield first, ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[chunk]))
            return
        for i in range(s.tokens):
            piece = f"tok{i}" + ("" if i == s.tokens - 1 else " ")
            yield (first if i == 0 else s.delay_ms / 1000), ChatGenerationChunk(message=AIMessageChunk(content=piece))

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for wait, chunk in self._plan(messages):
            time.sleep(wait)
            yield chunk

    async def _astream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        for wait, chunk in self._plan(messages):
            await asyncio.sleep(wait)
            yield chunk

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        return generate_from_stream(self._stream(messages))

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        return await agenerate_from_stream(self._astream(messages))
