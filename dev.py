#!/usr/bin/env python3
"""Set up a virtual environment in .venv and run whoswho or its checks.

    python3 dev.py chat      # set up, then chat with the bot in the terminal
    python3 dev.py test      # set up, then lint, type-check, test, check the knowledge and eval the dev set
    python3 dev.py ARGS...   # set up, then run `whoswho ARGS...`
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
#: The dev set must stay at or above this overall rate.
EVAL_FLOOR = "0.97"


def _run(*command: str | Path) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    result = subprocess.run([str(part) for part in command], cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def setup() -> None:
    """Create .venv and install whoswho with its test tools, again only when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may be started by an older python3
        sys.exit("whoswho needs Python 3.11 or newer")
    stamp = VENV / ".installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"+ creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    _run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[test]")
    stamp.write_text(digest)


def test() -> None:
    """Everything CI checks, in order."""
    _run(PYTHON, "-m", "ruff", "check", "bot", "adapters", "tests", "benchmarks", "tools", "dev.py")
    _run(PYTHON, "-m", "mypy")
    _run(PYTHON, "-m", "pytest")
    _run(BIN / "whoswho", "check")
    _run(BIN / "whoswho", "eval", "tests/data/dev.jsonl", "--min", EVAL_FLOOR)


def main(argv: list[str]) -> None:
    setup()
    if argv[:1] == ["test"]:
        test()
        return
    os.execv(BIN / "whoswho", [str(BIN / "whoswho"), *(argv or ["chat"])])


if __name__ == "__main__":
    main(sys.argv[1:])
