"""The core stays platform-neutral: nothing under bot/ imports a chat platform or reads the environment."""

from __future__ import annotations

import ast
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
