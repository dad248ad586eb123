"""A 900 KB question typed into a real ``whoswho chat`` is recorded as the core reads it: its first 2,000
characters, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy
from sqlalchemy import select

from adapters.records.schema import questions
from bot.text import MAX_INPUT_CHARS

ROOT = Path(__file__).resolve().parents[2]


def test_a_900_kb_question_is_stored_cut_to_what_the_core_reads(database_url, tmp_path: Path):
    question = "what does a data scientist do " + "é" * 900_000
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHOSWHO_", "SLACK_", "DISCORD_"))}
    env.update(WHOSWHO_DATA_DIR=str(tmp_path / "data"), WHOSWHO_DATABASE_URL=database_url, NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "adapters.cli", "chat"], input=f"{question}\nquit\n",
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as connection:
            [text] = connection.execute(select(questions.c.text)).scalars().all()
    finally:
        engine.dispose()
    assert text == question[:MAX_INPUT_CHARS]
