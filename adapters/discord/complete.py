"""Autocomplete for ``/whoswho question:``: questions from the knowledge base for what has been typed."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from bot import Advisor

CHOICE_LIMIT = 25  # autocomplete choices Discord shows
CHOICE_LENGTH = 100  # characters in a choice's name and value


class Completer:
    """The phrasings of one knowledge base, indexed once for completion."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        intents = [i for i in advisor.knowledge.intents if i.topic != "meta"]
        self._canonical = {i.id: i.questions[0] for i in intents if len(i.questions[0]) <= CHOICE_LENGTH}
        # Every phrasing that fits a choice, indexed once for fuzzy completion.
        self._phrasings = list(dict.fromkeys(
            q for i in intents for q in i.questions if len(q) <= CHOICE_LENGTH
        ))
        self._processed = [utils.default_process(q) for q in self._phrasings]
        counts: dict[str, int] = {}
        for phrase in self._processed:
            for word in phrase.split():
                counts[word] = counts.get(word, 0) + 1
        # Most frequent first, so a half-typed word completes to the likeliest one.
        self._words = sorted(counts, key=lambda w: (-counts[w], w))

    def choices(self, current: str) -> list[str]:
        """Intents the core matches first, then phrasings close to the text; at most 25, each within 100
        characters."""
        text = current.strip()
        if not text:
            return list(self._canonical.values())[:CHOICE_LIMIT]
        text = self._complete_last_word(text)
        picked: dict[str, str] = {}
        for match in self.advisor.likely_intents(text, limit=8):
            if match.intent_id in self._canonical:
                question = self._canonical[match.intent_id]
                picked.setdefault(question.casefold(), question)
        close = process.extract(utils.default_process(text), self._processed, scorer=fuzz.WRatio,
                                processor=None, limit=CHOICE_LIMIT * 2, score_cutoff=60)
        for _, _, index in close:
            question = self._phrasings[index]
            picked.setdefault(question.casefold(), question)
        return list(picked.values())[:CHOICE_LIMIT]

    def _complete_last_word(self, text: str) -> str:
        """``mle at quo`` -> ``mle at quora``: people are mid-word while autocomplete runs."""
        head, _, last = text.rpartition(" ")
        last = last.lower()
        if len(last) < 2 or last in self._words:
            return text
        completion = next((word for word in self._words if word.startswith(last)), None)
        return f"{head} {completion}".strip() if completion else text
