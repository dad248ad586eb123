"""Shared fixtures: the built-in advisor, a way to ask it things, and throwaway knowledge folders."""

from __future__ import annotations

import itertools
import os
import shutil
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import pytest
import yaml

from bot import Advisor, Reply


class Ask(Protocol):
    """Ask the built-in advisor one question."""

    def __call__(self, text: str, conversation_id: str | None = None) -> Reply: ...


WriteKnowledge = Callable[..., Path]


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    """The advisor over the built-in knowledge, loaded once for the whole run."""
    return Advisor.load()


@pytest.fixture
def fresh_advisor(advisor: Advisor) -> Advisor:
    """An advisor over the same knowledge with empty conversation memory."""
    return Advisor(advisor.knowledge)


@pytest.fixture
def ask(advisor: Advisor, request: pytest.FixtureRequest) -> Ask:
    """``ask(text)`` asks in a brand-new conversation; ``ask(text, "alice")`` continues alice's.

    Named conversations are private to the test, so two tests that both talk as "alice"
    never see each other's context on the shared advisor.
    """
    fresh = itertools.count(1)
    prefix = request.node.nodeid

    def ask(text: str, conversation_id: str | None = None) -> Reply:
        name = conversation_id if conversation_id is not None else f"fresh-{next(fresh)}"
        return advisor.ask(text, conversation_id=f"{prefix}::{name}")

    return ask


@pytest.fixture
def write_knowledge(tmp_path: Path) -> WriteKnowledge:
    """``write_knowledge({"a.yml": {...} or "yaml text"}, folder="kb")`` writes a knowledge folder.

    Mappings are dumped as YAML; strings are written as they are (dedented), for files
    that must be malformed in a particular way. Returns the folder.
    """

    def write(files: Mapping[str, Mapping[str, Any] | str], *, folder: str = "knowledge") -> Path:
        directory = tmp_path / folder
        directory.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            if isinstance(content, str):
                text = textwrap.dedent(content).lstrip("\n")
            else:
                text = yaml.safe_dump(dict(content), sort_keys=False, allow_unicode=True)
            (directory / name).write_text(text, encoding="utf-8")
        return directory

    return write


@pytest.fixture
def require_tool() -> Callable[[str, str], str]:
    """``require_tool("redis-server", "the Redis tests")`` is the tool's path; when it is not installed
    the test skips, unless ``WHOSWHO_REQUIRE_SERVICES=1`` (set by ``.ci/run``), when it fails."""

    def require(name: str, purpose: str) -> str:
        path = shutil.which(name)
        if path is not None:
            return path
        reason = f"{name} is not installed, needed by {purpose} (Debian: apt-get install {name})"
        if os.environ.get("WHOSWHO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}; WHOSWHO_REQUIRE_SERVICES=1 requires it")
        pytest.skip(reason)

    return require


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock for stores and advisors, starting at 1000 seconds."""
    return FakeClock()
