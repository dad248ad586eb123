"""The core stays platform-neutral (nothing under bot/ imports a chat platform or reads the environment), and
the house keeps its shape: small files and functions, platforms named only in their subpackages and the registry,
adapters on the advisor's public methods."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import bot

BOT_DIR = Path(bot.__file__).resolve().parent
MODULES = sorted(BOT_DIR.rglob("*.py"))
FORBIDDEN = {"slack_bolt", "slack_sdk", "discord", "aiohttp", "os", "adapters"}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports, including through importlib or __import__."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def test_the_walk_sees_the_core_and_its_imports():
    names = {path.name for path in MODULES}
    assert {"__init__.py", "advisor.py", "knowledge.py", "loading.py", "matcher.py", "text.py"} <= names
    assert "rapidfuzz" in imported_modules(BOT_DIR / "lexical.py")
    assert {"onnxruntime", "tokenizers"} <= imported_modules(BOT_DIR / "semantic.py")
    assert "yaml" in imported_modules(BOT_DIR / "loading.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(BOT_DIR)))
def test_core_module_imports_no_platform_library_nor_os(path):
    assert imported_modules(path) & FORBIDDEN == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(BOT_DIR)))
def test_core_module_does_not_read_the_environment(path):
    source = path.read_text(encoding="utf-8")
    assert "os.environ" not in source
    assert "getenv" not in source


def test_the_walk_catches_every_way_of_importing(tmp_path):
    module = tmp_path / "leaky.py"
    module.write_text(
        "import os.path\n"
        "from slack_bolt.app import App\n"
        "import importlib\n"
        "discord = importlib.import_module('discord')\n"
        "aiohttp = __import__('aiohttp')\n"
        "from . import sibling\n",
        encoding="utf-8",
    )
    assert imported_modules(module) & FORBIDDEN == {"os", "slack_bolt", "discord", "aiohttp"}


# The shape of the house: small files and functions, each platform in its own subpackage, adapters on the
# advisor's public methods. Each check is first shown to catch a planted example, then run over bot/ and adapters/.

ROOT = BOT_DIR.parent
ADAPTERS_DIR = ROOT / "adapters"
CHECKED = sorted([*BOT_DIR.rglob("*.py"), *ADAPTERS_DIR.rglob("*.py")])
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
#: The platforms, whose subpackages (adapters/<platform>/) and the registry alone may name them or their libraries.
PLATFORM_WORDS = re.compile(r"slack|discord", re.IGNORECASE)
REGISTRY = ADAPTERS_DIR / "platforms.py"
#: The advisor's parts an adapter reaches only through the advisor's own methods.
ADVISOR_PARTS = {"matcher", "memory", "settings"}


def long_functions(path: Path, *, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """``name (lines)`` of every function (methods and nested ones too) longer than ``limit`` lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{node.name} ({node.end_lineno - node.lineno + 1})" for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None
            and node.end_lineno - node.lineno + 1 > limit]


def file_lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def platform_words(path: Path) -> set[str]:
    """The platforms a file names in its code: imports, names, attributes, parameters and strings other than
    docstrings (comments may still say which platform a quirk comes from)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(statement.value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        for statement in node.body[:1]
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    }
    texts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            texts.append(node.id)
        elif isinstance(node, ast.Attribute):
            texts.append(node.attr)
        elif isinstance(node, ast.alias):
            texts += [node.name, node.asname or ""]
        elif isinstance(node, ast.ImportFrom):
            texts.append(node.module or "")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            texts.append(node.name)
        elif isinstance(node, ast.arg | ast.keyword):
            texts.append(node.arg or "")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            texts.append(node.value)
    return {word.lower() for text in texts for word in PLATFORM_WORDS.findall(text)}


def may_name_platforms(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return path == REGISTRY or relative.parts[:2] in (("adapters", "slack"), ("adapters", "discord"))


def advisor_parts(path: Path) -> set[str]:
    """The advisor's parts a file reaches: ``advisor.matcher``, ``turns.advisor.memory``, ``x.matcher``,
    ``getattr(advisor, "settings")``. ``matcher`` and ``memory`` are the advisor's words wherever they appear;
    ``settings`` only on something named an advisor."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in ADVISOR_PARTS:
            owner = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
            if node.attr != "settings" or "advisor" in owner.lower():
                found.add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and node.args[1].value in ADVISOR_PARTS:
            found.add(str(node.args[1].value))
    return found


def test_the_shape_checks_catch_a_planted_example(tmp_path):
    long_module = tmp_path / "long.py"
    body = "".join(f"    x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES))
    long_module.write_text(f"def short():\n    return 1\n\n\nasync def long():\n{body}\n"
                           + "\n" * (MAX_FILE_LINES - MAX_FUNCTION_LINES), encoding="utf-8")
    assert file_lines(long_module) > MAX_FILE_LINES
    assert long_functions(long_module) == [f"long ({MAX_FUNCTION_LINES + 1})"]
    chatty = tmp_path / "chatty.py"
    chatty.write_text(
        '"""Says Slack and Discord in its docstring, which is allowed."""\n'
        "# and Slack in a comment\n"
        "import slack_sdk\n"
        "from adapters.discord import render\n"
        "PLATFORM = 'slack'\n"
        "def f(turns, advisor):\n"
        "    return advisor.matcher, turns.advisor.memory, advisor.settings, getattr(advisor, 'settings')\n"
        "def g(watch, store):\n"
        "    return watch.settings, store.count\n",
        encoding="utf-8",
    )
    assert platform_words(chatty) == {"slack", "discord"}
    assert advisor_parts(chatty) == {"matcher", "memory", "settings"}
    quiet = tmp_path / "quiet.py"
    quiet.write_text('"""Slack."""\ndef g(watch):\n    """Discord."""\n    return watch.settings\n', encoding="utf-8")
    assert platform_words(quiet) == set() and advisor_parts(quiet) == set()


def test_the_shape_checks_see_the_whole_house():
    names = {path.relative_to(ROOT).as_posix() for path in CHECKED}
    assert {"bot/advisor.py", "adapters/cli.py", "adapters/slack/render.py", "adapters/discord/render.py"} <= names
    assert may_name_platforms(ADAPTERS_DIR / "slack" / "render.py") and may_name_platforms(REGISTRY)
    assert not may_name_platforms(ADAPTERS_DIR / "cli.py")
    assert platform_words(ADAPTERS_DIR / "slack" / "render.py") == {"slack"}


def test_no_file_is_over_400_lines():
    assert [f"{path.relative_to(ROOT)} ({file_lines(path)})" for path in CHECKED
            if file_lines(path) > MAX_FILE_LINES] == []


def test_no_function_is_over_60_lines():
    assert {str(path.relative_to(ROOT)): found for path in CHECKED if (found := long_functions(path))} == {}


def test_only_a_platforms_subpackage_and_the_registry_name_it():
    assert {str(path.relative_to(ROOT)): sorted(words) for path in CHECKED
            if not may_name_platforms(path) and (words := platform_words(path))} == {}


def test_no_adapter_reaches_into_the_advisor():
    assert {str(path.relative_to(ROOT)): sorted(parts) for path in sorted(ADAPTERS_DIR.rglob("*.py"))
            if (parts := advisor_parts(path))} == {}
