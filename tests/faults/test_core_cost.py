"""A question of random words costs a bounded amount of work, not 75 times a normal question."""

from __future__ import annotations

import random
import string

from bot import Advisor
from bot.text import MAX_TYPO_LOOKUPS, MAX_UNKNOWN_STEMS


def _random_question(rng: random.Random, words: int = 80) -> str:
    return " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 10)))
                    for _ in range(words))


def test_random_words_are_looked_up_and_stemmed_a_bounded_number_of_times(monkeypatch):
    advisor = Advisor.load()
    analyzer = advisor.matcher.analyzer
    calls = {"typo": 0, "stem": 0}
    correct, stem = analyzer._correct_uncached, analyzer._stem_uncached

    def counted_correct(word: str) -> str:
        calls["typo"] += 1
        return correct(word)

    def counted_stem(word: str) -> str:
        calls["stem"] += 1
        return stem(word)

    monkeypatch.setattr(analyzer, "_correct", counted_correct)
    monkeypatch.setattr(analyzer, "_stem_other", counted_stem)
    rng = random.Random(7)
    for number in range(20):
        calls.update(typo=0, stem=0)
        reply = advisor.ask(_random_question(rng), conversation_id=f"random:{number}")
        assert reply.intent is None
        assert calls["typo"] <= MAX_TYPO_LOOKUPS
        assert calls["stem"] <= MAX_UNKNOWN_STEMS
