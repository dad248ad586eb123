"""Start-up stays light: each command imports only what it runs, checked in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Platform libraries and database code: none of them is needed to answer in the terminal.
PLATFORM_AND_DATABASE = ("slack_bolt", "slack_sdk", "discord", "aiohttp", "prometheus_client", "redis", "psycopg",
                         "sqlalchemy", "alembic", "mako")
PROBE = """
import json, sys
from adapters.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def imported(tmp_path: Path, *args: str, stdin: str = "") -> set[str]:
    """The top-level modules loaded by ``whoswho ARGS``, run in a new interpreter."""
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith(("WHOSWHO_", "SLACK_", "DISCORD_"))}
    environ.update(WHOSWHO_DATA_DIR=str(tmp_path / "data"), WHOSWHO_SEMANTIC="0")
    result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, env=environ, input=stdin,
                            capture_output=True, text=True, timeout=120)
    modules: set[str] = set(json.loads(result.stderr.strip().splitlines()[-1]))
    return modules


def test_help_loads_neither_the_core_nor_any_platform(tmp_path):
    modules = imported(tmp_path, "--help")
    assert modules.isdisjoint(PLATFORM_AND_DATABASE), modules & set(PLATFORM_AND_DATABASE)
    assert "numpy" not in modules and "bot" not in modules


@pytest.mark.parametrize("command", [["ask", "what does an ML engineer do at Quora"], ["topics"], ["--version"]])
def test_answering_in_the_terminal_loads_no_platform_and_no_database(tmp_path, command):
    modules = imported(tmp_path, *command)
    assert modules.isdisjoint(PLATFORM_AND_DATABASE), modules & set(PLATFORM_AND_DATABASE)


def test_the_chat_loads_no_platform(tmp_path):
    modules = imported(tmp_path, stdin="hi\nquit\n")
    assert "bot" in modules  # it did chat
    assert modules.isdisjoint({"slack_bolt", "slack_sdk", "discord", "aiohttp", "prometheus_client", "redis"})


def test_a_platform_commands_help_loads_no_platform_library(tmp_path):
    modules = imported(tmp_path, "slack", "--help")
    assert modules.isdisjoint(PLATFORM_AND_DATABASE), modules & set(PLATFORM_AND_DATABASE)
