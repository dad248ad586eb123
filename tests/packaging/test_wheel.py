"""The built wheel carries the knowledge base, so `pip install .` works from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_every_knowledge_file(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True,
    )
    [wheel] = tmp_path.glob("whoswho-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"bot/knowledge/{path.name}" for path in (ROOT / "knowledge").glob("*.yml")}
    assert shipped, "the repository has knowledge files"
    assert shipped <= names
    assert "bot/__init__.py" in names
    assert "adapters/cli.py" in names
    # The sentence model and what is learned from the built-in knowledge: nothing is downloaded or learned at start.
    assert {"bot/models/minilm/model.onnx", "bot/models/minilm/tokenizer.json", "bot/models/minilm/PROVENANCE.json",
            "bot/models/minilm/phrasings.npz"} <= names
    assert any(name.startswith("bot/models/decisions/decision-") for name in names)
    # The records' migrations run from the installed package on start.
    assert {"adapters/records/migrations/env.py", "adapters/records/migrations/script.py.mako",
            "adapters/records/migrations/versions/0001_questions_and_votes.py"} <= names
    assert any(name.endswith("entry_points.txt") for name in names)
