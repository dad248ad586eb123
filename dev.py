#!/usr/bin/env python3
"""Set up a virtual environment in .venv and run whoswho or its checks.

    python3 dev.py chat      # install the core only, then chat with the bot in the terminal
    python3 dev.py test      # install everything ([all,test]), then lint, type-check, test, check the knowledge
                             # and eval the dev set
    python3 dev.py ARGS...   # install everything but the test tools ([all]), then run `whoswho ARGS...`
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


def setup(extras: tuple[str, ...] = ()) -> None:
    """Create .venv and install whoswho with ``extras``, again only when pyproject.toml changed or an extra is
    missing. pip shows what it downloads, so a first install that takes minutes is visibly under way."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may be started by an older python3
        sys.exit("whoswho needs Python 3.11 or newer")
    stamp = VENV / ".installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    installed = stamp.read_text().split() if stamp.exists() and PYTHON.exists() else []
    if installed[:1] == [digest] and set(extras) <= set(installed[1:]):
        return
    if not PYTHON.exists():
        print(f"+ creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = sorted(set(extras) | (set(installed[1:]) if installed[:1] == [digest] else set()))
    what = f"whoswho with {', '.join(wanted)}" if wanted else "whoswho (the core and the terminal chat)"
    print(f"+ installing {what} into {VENV}; the first time takes a few minutes", flush=True)
    _run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(PYTHON, "-m", "pip", "install", "--progress-bar", "on", "-e", f".[{','.join(wanted)}]" if wanted else ".")
    stamp.write_text(" ".join([digest, *wanted]))


def test() -> None:
    """Everything CI checks, in order."""
    _run(PYTHON, "-m", "ruff", "check", "bot", "adapters", "tests", "benchmarks", "tools", "dev.py")
    _run(PYTHON, "-m", "mypy")
    _run(PYTHON, "-m", "pytest")
    _run(BIN / "whoswho", "check")
    _run(BIN / "whoswho", "eval", "tests/data/dev.jsonl", "--min", EVAL_FLOOR)


def main(argv: list[str]) -> None:
    if argv[:1] == ["test"]:
        setup(("all", "test"))
        test()
        return
    setup(() if argv[:1] in ([], ["chat"]) else ("all",))
    os.execv(BIN / "whoswho", [str(BIN / "whoswho"), *(argv or ["chat"])])


if __name__ == "__main__":
    main(sys.argv[1:])
