"""The lexical signal: how much of a question each label's phrasings cover, word by word."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from bot.text import Analysis, TextAnalyzer


@dataclass(frozen=True)
class LexicalWeights:
    """How the lexical score of a label is made; the learned decision weighs its parts again."""

    #: Weight of how much of the question a label's vocabulary covers.
    query_coverage: float = 0.45
    #: Weight of how much of the best phrasing the question covers.
    phrase_coverage: float = 0.35
    #: Weight of RapidFuzz's token-sort similarity to the best phrasing.
    similarity: float = 0.20
    #: The least weight a phrasing's share is taken of, when the question weighs more.
    phrase_floor: float = 4.0
    #: Words used by out-of-scope phrasings at least this share of the time pull intents down.
    out_of_scope_ratio: float = 0.75
    #: How many of a question's rarest known words are compared phrasing by phrasing.
    phrase_terms: int = 12
    #: How many labels, those covering the most of a question, are scored in full.
    candidates: int = 40
    #: Weight of a word the knowledge base never uses, relative to the rarest known word.
    unknown_weight: float = 0.75


@dataclass(frozen=True)
class LexicalScores:
    """The lexical signal of one question, for the labels it touches."""

    #: label index -> (query coverage, phrase share, similarity, combined score, best phrase position)
    labels: dict[int, tuple[float, float, float, float, int]]
    #: The share of the question's weight carried by words mostly out-of-scope phrasings use.
    out_of_scope_share: float
    #: The share of the question's weight carried by words the knowledge base never uses.
    unknown_share: float


class LexicalIndex:
    """Phrasings grouped by label (an intent, an outside topic, the generic out-of-scope list),
    indexed once so a question meets all of them in a few array operations."""

    def __init__(self, analyzer: TextAnalyzer, phrasings: Sequence[Sequence[str]], *,
                 outside_labels: Iterable[int] = (), weights: LexicalWeights | None = None) -> None:
        self.weights = w = weights or LexicalWeights()
        self.analyzer = analyzer
        owners: list[int] = []
        texts: list[str] = []
        normalized: list[str] = []
        terms_of: list[tuple[str, ...]] = []
        for label, phrases in enumerate(phrasings):
            for text in phrases:
                analysis = analyzer.analyze(text)
                if analysis.terms:
                    owners.append(label)
                    texts.append(text)
                    normalized.append(analysis.normalized)
                    terms_of.append(analysis.terms)
        self.labels = len(phrasings)
        vocabularies: list[set[str]] = [set() for _ in range(self.labels)]
        # How many phrasings of a label use a term: leaving one phrasing out uncovers the terms only it has.
        self._term_count: dict[tuple[str, int], int] = defaultdict(int)
        for owner, terms in zip(owners, terms_of):
            vocabularies[owner].update(terms)
            for term in set(terms):
                self._term_count[term, owner] += 1
        document_frequency: dict[str, int] = defaultdict(int)
        for vocabulary in vocabularies:
            for term in vocabulary:
                document_frequency[term] += 1
        self._weight = {t: math.log(1 + self.labels / df) for t, df in document_frequency.items()}
        self._unknown = math.log(1 + self.labels / 0.5) * w.unknown_weight
        outside = frozenset(outside_labels)
        usage: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for owner, terms in zip(owners, terms_of):
            for term in terms:
                usage[term][owner in outside] += 1
        self._out_of_scope_ratio = {
            term: ratio for term, (inside, out) in usage.items()
            if (ratio := out / (inside + out)) >= w.out_of_scope_ratio
        }
        self._label_postings = {
            term: np.fromiter(indices, dtype=np.intp) for term, indices in _invert(enumerate(vocabularies)).items()
        }
        self._phrase_postings = {
            term: np.fromiter(positions, dtype=np.intp) for term, positions in _invert(enumerate(terms_of)).items()
        }
        self.owners: npt.NDArray[np.intp] = np.asarray(owners, dtype=np.intp)
        self.texts = texts
        #: Each phrasing spelled out, as :attr:`bot.text.Analysis.normalized`.
        self.normalized = normalized
        self._terms_of = terms_of
        self._keys = [" ".join(terms) for terms in terms_of]
        self._total = np.asarray([sum(self._weight[t] for t in terms) for terms in terms_of])
        starts = np.searchsorted(self.owners, np.arange(self.labels))
        ends = np.searchsorted(self.owners, np.arange(self.labels), side="right")
        self._slices = {label: (int(s), int(e)) for label, (s, e) in enumerate(zip(starts, ends)) if e > s}

    def known(self, term: str) -> bool:
        """Whether any phrasing uses this term."""
        return term in self._weight

    def score(self, analysis: Analysis, *, exclude: int | None = None) -> LexicalScores:
        """The lexical signal of a question; ``exclude`` leaves one phrasing out, as if it were never written."""
        w = self.weights
        terms = analysis.terms
        if not terms:
            return LexicalScores({}, 0.0, 0.0)
        weights = [self._term_weight(t) for t in terms]
        query_total = sum(weights)
        covered = np.zeros(self.labels)
        for term, weight in zip(terms, weights):
            indices = self._label_postings.get(term)
            if indices is not None:
                covered[indices] += weight
        if exclude is not None:
            owner = int(self.owners[exclude])
            for term, weight in zip(terms, weights):
                if term in self._terms_of[exclude] and self._term_count[term, owner] == 1:
                    covered[owner] -= weight
        touched = np.flatnonzero(covered > 1e-9)
        unknown_share = sum(wt for t, wt in zip(terms, weights) if t not in self._weight) / query_total
        oos_share = sum(wt * self._out_of_scope_ratio.get(t, 0.0) for t, wt in zip(terms, weights)) / query_total
        if not touched.size:
            return LexicalScores({}, oos_share, unknown_share)
        if touched.size > w.candidates:
            touched = touched[np.argpartition(covered[touched], -w.candidates)[-w.candidates:]]
        hits = np.zeros(len(self.texts))
        # A long question is compared phrase by phrase on its rarest words only, so its cost stays bounded.
        for term in heapq.nlargest(w.phrase_terms, terms, key=lambda t: self._weight.get(t, 0.0)):
            positions = self._phrase_postings.get(term)
            if positions is not None:
                hits[positions] += self._weight[term]
        # A phrasing of one or two common words explains little of a longer question: its share is
        # taken of at least this much weight.
        share = hits / np.maximum(self._total, min(query_total, w.phrase_floor))
        if exclude is not None:
            share[exclude] = 0.0
        best: dict[int, tuple[float, int]] = {}
        for touched_label in touched:
            start, end = self._slices[int(touched_label)]
            position = start + int(share[start:end].argmax())
            best[int(touched_label)] = (float(share[position]), position)
        choices = {label: self._keys[position] for label, (value, position) in best.items() if value > 0}
        similarity = {
            label: value / 100
            for _, value, label in process.extract(analysis.key, choices, scorer=fuzz.token_sort_ratio, limit=None)
        }
        labels: dict[int, tuple[float, float, float, float, int]] = {}
        for label, (phrase_share, position) in best.items():
            coverage = float(covered[label]) / query_total
            fuzzy = similarity.get(label, 0.0)
            combined = w.query_coverage * coverage + w.phrase_coverage * phrase_share + w.similarity * fuzzy
            labels[label] = (coverage, phrase_share, fuzzy, combined, position if phrase_share > 0 else -1)
        return LexicalScores(labels, oos_share, unknown_share)

    def _term_weight(self, term: str) -> float:
        weight = self._weight.get(term)
        if weight is not None:
            return weight
        return self._unknown * (0.5 if len(term) <= 3 else 1.0)


def _invert(documents: Iterable[tuple[int, Iterable[str]]]) -> dict[str, list[int]]:
    """term -> the indices of the documents using it, in order."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, terms in documents:
        for term in dict.fromkeys(terms):
            postings[term].append(index)
    return postings
