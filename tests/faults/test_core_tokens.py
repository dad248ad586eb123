"""Token-shaped text (a fit-check answer with thousands of digits, a learning path of a megabyte) typed into
``whoswho ask`` and ``whoswho chat`` in real subprocesses: a reply, exit 0, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = {
    "fit-answer-4301-digits": "fit:" + "9" * 4301 + ":a",
    "fit-answer-100k-digits": "fit:" + "1" * 100_000 + ":b",
    "fit-answer-long-key": "fit:1:" + "a" * 50_000,
    "path-100k": "path:" + "x" * 100_000,
    "digits-only": "7" * 50_000,
}


def whoswho(*args: str, stdin: str = "", tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHOSWHO_", "SLACK_", "DISCORD_"))}
    env.update(WHOSWHO_DATA_DIR=str(tmp_path / "data"), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "adapters.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=60)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_whoswho_ask_answers_token_shaped_text(text, tmp_path):
    done = whoswho("ask", text, "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    reply = json.loads(done.stdout)
    assert reply["kind"] in ("answer", "clarify", "fallback") and reply["title"]


def test_whoswho_chat_keeps_going_after_token_shaped_text(tmp_path):
    lines = [*HOSTILE.values(), "what does an ML engineer do at Quora?", "quit"]
    done = whoswho("chat", stdin="\n".join(lines) + "\n", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "What an ML engineer does at Quora" in done.stdout
    assert done.stdout.rstrip().endswith("Bye!")
