"""A flood of questions made of random words does not grow the process: every word a question brings is
stemmed and typo-corrected through caches of a fixed size. Measured in a subprocess, on its resident memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = 50_000
WORDS = 80
ALLOWED_GROWTH_MB = 20.0

# Each word gets a digit: the typo corrector leaves such words alone, so the run time goes to what keeps a
# word in memory (stemming it, caching it) rather than to a search among the knowledge base's words.
FLOOD = textwrap.dedent(f"""
    import json, os, random, string
    from bot import Advisor

    def resident_mb():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    matcher = Advisor.load().matcher
    rng = random.Random(11)
    chars = string.ascii_lowercase + string.digits
    def word():
        letters = rng.choices(chars, k=rng.randint(3, 9))
        letters.insert(rng.randrange(len(letters) + 1), rng.choice(string.digits))
        return "".join(letters)

    seen = {{}}
    for number in range(1, {QUESTIONS} + 1):
        matcher.analyze(" ".join(word() for _ in range({WORDS})))
        if number in (1_000, {QUESTIONS}):
            seen[number] = resident_mb()
    print(json.dumps(seen))
""")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the resident size from Linux's /proc")
@pytest.mark.timeout(1800)
def test_50000_questions_of_random_words_grow_the_process_by_under_20_mb():
    done = subprocess.run([sys.executable, "-c", FLOOD], capture_output=True, text=True, cwd=ROOT, timeout=1700)
    assert done.returncode == 0, done.stderr[-2000:]
    resident = {int(k): v for k, v in json.loads(done.stdout).items()}
    growth = resident[QUESTIONS] - resident[1_000]
    assert growth < ALLOWED_GROWTH_MB, (
        f"{resident[1_000]:.1f} MB after 1,000 questions, {resident[QUESTIONS]:.1f} MB after {QUESTIONS:,}")
