"""Fuzzy matching of questions to intents, in the style of RapidFuzz's ``process.extract``."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot.knowledge import Intent, KnowledgeBase
from bot.text import Analysis, TextAnalyzer


@dataclass(frozen=True)
class MatchSettings:
    """Weights and thresholds of matching; adapters may pass their own."""

    #: A top score at or above this answers, when it stands clear of the runner-up.
    answer_threshold: float = 0.50
    #: Between this and ``answer_threshold`` the advisor asks which intent was meant.
    clarify_threshold: float = 0.38
    #: How far the top score must lead the runner-up to answer without asking.
    margin: float = 0.02
    #: When a question names no role and the two best intents differ only in role, a lead smaller
    #: than this asks which role was meant.
    role_margin: float = 0.10
    #: A score this high answers even when the runner-up is close.
    certain: float = 0.85
    #: Weight of how much of the question an intent's vocabulary covers.
    query_coverage: float = 0.45
    #: Weight of how much of the best phrasing the question covers.
    phrase_coverage: float = 0.35
    #: The least weight a phrasing's share is taken of, when the question weighs more.
    phrase_floor: float = 4.0
    #: Weight of RapidFuzz's token-sort similarity to the best phrasing.
    similarity: float = 0.20
    #: Penalty when the question names one role and the intent is about the other.
    role_mismatch: float = 0.30
    #: Penalty when the question names a company and the intent is about none, or the reverse.
    company_mismatch: float = 0.20
    #: Penalty for a question about what a role does at a company the sources do not describe.
    unknown_company: float = 0.60
    #: How strongly words used only by out-of-scope phrasings ("salary") pull intents down.
    out_of_scope_pull: float = 1.0
    #: Words used by out-of-scope phrasings at least this share of the time pull intents down.
    out_of_scope_ratio: float = 0.75
    #: Penalty for a question about what another role does ("what does a data engineer do").
    unknown_role: float = 0.40
    #: How many of a question's rarest words are compared phrasing by phrasing.
    phrase_terms: int = 12
    #: How many intents, those covering the most of a question, are scored in full.
    candidates: int = 40
    #: Weight of a word the knowledge base never uses, relative to the rarest known word.
    unknown_weight: float = 0.75


@dataclass(frozen=True)
class Match:
    """One candidate: the intent id (``None`` for a known out-of-scope phrasing), its score in [0, 1]
    and the phrasing that matched best."""

    intent_id: str | None
    score: float
    phrase: str
    #: The share of the question's weight that the intent's vocabulary covers.
    coverage: float = 0.0


class IntentMatcher:
    """Scores questions against every intent's phrasings, indexed once at construction.

    >>> matcher = IntentMatcher(KnowledgeBase.load())
    >>> matcher.match("what does an ML engineer do at Quora?", limit=1)[0].intent_id
    'quora.ml-engineer'
    """

    def __init__(self, knowledge: KnowledgeBase, *, settings: MatchSettings | None = None) -> None:
        self.settings = settings or MatchSettings()
        self._intents: list[Intent | None] = [*knowledge.intents, None]
        corpus = [text for intent in knowledge.intents for text in (intent.title, *intent.questions)]
        corpus += knowledge.language.out_of_scope
        self.analyzer = TextAnalyzer(
            knowledge.language, corpus,
            companies={i.company for i in knowledge.intents if i.company},
            in_scope=[text for intent in knowledge.intents for text in (intent.title, *intent.questions)],
        )
        phrase_owner: list[int] = []
        phrase_text: list[str] = []
        phrase_terms: list[tuple[str, ...]] = []
        for index, intent in enumerate(self._intents):
            texts = (intent.title, *intent.questions) if intent else knowledge.language.out_of_scope
            for text in texts:
                terms = self.analyzer.analyze(text).terms
                if terms:
                    phrase_owner.append(index)
                    phrase_text.append(text)
                    phrase_terms.append(terms)
        document_frequency: dict[str, int] = defaultdict(int)
        vocabularies: list[set[str]] = [set() for _ in self._intents]
        for owner, terms in zip(phrase_owner, phrase_terms):
            vocabularies[owner].update(terms)
        for vocabulary in vocabularies:
            for term in vocabulary:
                document_frequency[term] += 1
        documents = len(self._intents)
        self._weight = {t: math.log(1 + documents / df) for t, df in document_frequency.items()}
        self._unknown = math.log(1 + documents / 0.5) * self.settings.unknown_weight
        out_of_scope = len(self._intents) - 1
        # Words mostly out-of-scope phrasings use ("salary", "interview") pull every intent down, in
        # proportion to how much more often out-of-scope phrasings use them than the intents' phrasings.
        usage: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for owner, terms in zip(phrase_owner, phrase_terms):
            for term in terms:
                usage[term][owner == out_of_scope] += 1
        self._out_of_scope_ratio = {
            term: ratio for term, (inside, outside) in usage.items()
            if (ratio := outside / (inside + outside)) >= self.settings.out_of_scope_ratio
        }
        # Postings as index arrays, so a question is scored against every phrasing with a few vector operations.
        self._intent_postings = {
            term: np.fromiter(indices, dtype=np.intp)
            for term, indices in _invert(enumerate(vocabularies)).items()
        }
        self._phrase_postings = {
            term: np.fromiter(positions, dtype=np.intp)
            for term, positions in _invert(enumerate(phrase_terms)).items()
        }
        self._phrase_owner = np.asarray(phrase_owner, dtype=np.intp)
        # Phrasings are stored intent by intent: each intent's phrasings are one slice of the arrays.
        owners, starts = np.unique(self._phrase_owner, return_index=True)
        self._slices = {
            int(owner): (int(start), int(end))
            for owner, start, end in zip(owners, starts, [*starts[1:], len(phrase_owner)])
        }
        self._phrase_text = phrase_text
        self._phrase_keys = [" ".join(terms) for terms in phrase_terms]
        self._phrase_total = np.asarray([sum(self._weight[t] for t in terms) for terms in phrase_terms])

    def analyze(self, text: str) -> Analysis:
        """Analyze a text with this matcher's vocabulary."""
        return self.analyzer.analyze(text)

    def match(
        self,
        query: str | Analysis,
        *,
        limit: int = 3,
        score_cutoff: float | None = None,
        prefer_role: str | None = None,
    ) -> list[Match]:
        """The best intents for a question, best first, at most ``limit``, none below ``score_cutoff``.

        ``prefer_role`` steers a question that names no role toward intents about that role
        (the role of the conversation so far).
        """
        analysis = query if isinstance(query, Analysis) else self.analyzer.analyze(query)
        terms = analysis.terms
        if not terms:
            return []
        s = self.settings
        weights = [self._term_weight(t, analysis) for t in terms]
        query_total = sum(weights)
        covered = np.zeros(len(self._intents))
        for term, weight in zip(terms, weights):
            indices = self._intent_postings.get(term)
            if indices is not None:
                covered[indices] += weight
        touched = np.flatnonzero(covered)
        if not touched.size:
            return []
        # Only the intents covering the most of the question are scored in full, so the cost of a
        # question stays nearly flat as the knowledge base grows.
        if touched.size > s.candidates:
            touched = touched[np.argpartition(covered[touched], -s.candidates)[-s.candidates:]]
        candidates = {int(index): float(covered[index]) for index in touched}
        hits = np.zeros(len(self._phrase_text))
        # A long question is compared phrase by phrase on its rarest words only, so its cost stays bounded.
        for term in heapq.nlargest(s.phrase_terms, terms, key=lambda t: self._weight.get(t, 0.0)):
            positions = self._phrase_postings.get(term)
            if positions is not None:
                hits[positions] += self._weight[term]
        # A phrasing of one or two common words ("what is data") explains little of a longer question:
        # its share is taken of at least this much weight.
        share = hits / np.maximum(self._phrase_total, min(query_total, s.phrase_floor))
        best_phrase: dict[int, tuple[float, int]] = {}
        for owner in candidates:
            start, end = self._slices[owner]
            position = start + int(share[start:end].argmax())
            if share[position] > 0:
                best_phrase[owner] = (float(share[position]), position)
        # Fuzzy similarity to each intent's best phrasing; a mapping of choices returns its keys.
        choices = {owner: self._phrase_keys[position] for owner, (_, position) in best_phrase.items()}
        similarity = {
            owner: score / 100
            for _, score, owner in process.extract(analysis.key, choices, scorer=fuzz.token_sort_ratio, limit=None)
        }
        roles = analysis.roles or (frozenset({prefer_role}) if prefer_role else frozenset())
        out_of_scope_share = sum(
            w * self._out_of_scope_ratio.get(t, 0.0) for t, w in zip(terms, weights)) / query_total
        results: list[Match] = []
        for index, total in candidates.items():
            intent = self._intents[index]
            phrase_score, position = best_phrase.get(index, (0.0, -1))
            score = (
                s.query_coverage * (total / query_total)
                + s.phrase_coverage * phrase_score
                + s.similarity * similarity.get(index, 0.0)
            )
            if intent is not None:
                score = score * (1 - s.out_of_scope_pull * out_of_scope_share)
                score += self._slot_adjustment(intent, analysis, roles)
            score = max(0.0, score)
            if score_cutoff is not None and score < score_cutoff:
                continue
            results.append(Match(intent.id if intent else None, score,
                                 self._phrase_text[position] if position >= 0 else "", total / query_total))
        results.sort(key=lambda m: -m.score)
        return results[:limit]

    def _term_weight(self, term: str, analysis: Analysis) -> float:
        weight = self._weight.get(term)
        if weight is not None:
            return weight
        return self._unknown * (0.5 if len(term) <= 3 else 1.0)

    def _slot_adjustment(self, intent: Intent, analysis: Analysis, roles: frozenset[str]) -> float:
        s = self.settings
        adjustment = 0.0
        if intent.role in ("data-scientist", "ml-engineer") and roles and intent.role not in roles:
            adjustment -= s.role_mismatch if len(roles) == 1 else s.role_mismatch / 2
        named_other = analysis.company and intent.company != analysis.company and intent.topic != "meta"
        if named_other or (intent.company and not analysis.company):
            adjustment -= s.company_mismatch
        if analysis.other_company and analysis.roles and intent.topic == "role":
            adjustment -= s.unknown_company
        if analysis.other_role and intent.role is not None and intent.topic != "advice":
            # Advice on moving between roles names other roles ("from data analyst to data scientist").
            adjustment -= s.unknown_role
        return adjustment


def _invert(documents: Iterable[tuple[int, Iterable[str]]]) -> dict[str, list[int]]:
    """term -> the indices of the documents using it, in order."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, terms in documents:
        for term in dict.fromkeys(terms):
            postings[term].append(index)
    return postings
