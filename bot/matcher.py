"""Matching questions to intents, in the style of RapidFuzz's ``process.extract``.

Two signals meet in a learned decision: the lexical one (which of the knowledge base's words a
question uses, typos forgiven by RapidFuzz) and the semantic one (how close its meaning comes to
each phrasing, from a sentence-embedding model). Out-of-scope topics are labels like intents, so a
question about pay is recognized as such instead of being forced onto the nearest answer.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.decision import FEATURES, Decider, Matrix, train
from bot.knowledge import Intent, KnowledgeBase, OutsideTopic
from bot.lexical import LexicalIndex, LexicalScores, LexicalWeights
from bot.semantic import EmbeddingCache, SemanticIndex, SentenceEncoder, Vectors, dictionary
from bot.text import Analysis, TextAnalyzer, words
from bot.tokens import ROLE_TOPIC

#: Bumped whenever the features or their computation change, so cached deciders are retrained.
DECISION_VERSION = "9"
#: The label of the generic out-of-scope phrasings.
GENERIC_OUTSIDE = "outside"
#: Decisions learned for the built-in knowledge base, shipped so that a start learns nothing.
DECISIONS_DIR = Path(__file__).resolve().parent / "models" / "decisions"
#: Decisions learned in this process, by knowledge fingerprint (a handful: one per knowledge base loaded).
_LEARNED: dict[str, Decider] = {}


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds of the advisor's decisions; adapters may pass their own.

    Probabilities come from the learned decision, so 0.5 means "as likely right as wrong".
    """

    #: The least probability that answers, when it stands clear of the runner-up.
    answer_threshold: float = 0.5
    #: The least probability an intent needs to be offered in a clarification.
    clarify_threshold: float = 0.2
    #: How far the best probability must lead the runner-up's to answer without asking.
    margin: float = 0.05
    #: When a question names no role and the two best intents differ only in role, a lead smaller
    #: than this asks which role was meant.
    role_margin: float = 0.1
    #: A probability this high answers even when the runner-up is close.
    certain: float = 0.85
    #: A question whose words, weighted by rarity, are at least this share unknown to the knowledge base
    #: matches nothing.
    unknown_limit: float = 0.9
    #: Whether to use the sentence-embedding model (off: lexical only, for lean replicas).
    semantic: bool = True
    #: How many labels each signal proposes as candidates.
    candidates: int = 8
    lexical: LexicalWeights = field(default_factory=LexicalWeights)


@dataclass(frozen=True)
class Match:
    """One candidate: the intent id (``None`` for an out-of-scope label), its probability in [0, 1]
    and the phrasing that matched best."""

    intent_id: str | None
    score: float
    phrase: str
    #: The out-of-scope topic's id (``"outside"`` for the generic list), ``None`` for an intent.
    outside: str | None = None


Label = Intent | OutsideTopic | None


class IntentMatcher:
    """Scores questions against every intent and out-of-scope topic, indexed once at construction.

    >>> matcher = IntentMatcher(KnowledgeBase.load())
    >>> matcher.match("what does an ML engineer do at Quora?", limit=1)[0].intent_id
    'quora.ml-engineer'
    """

    def __init__(self, knowledge: KnowledgeBase, *, settings: MatchSettings | None = None,
                 cache_dir: Path | None = None) -> None:
        self.settings = s = settings or MatchSettings()
        self.labels: list[Label] = [*knowledge.intents, *knowledge.outside, None]
        self._is_intent = np.array([isinstance(label, Intent) for label in self.labels])
        #: The topics a company has answers of its own on: a company named elsewhere is no conflict.
        self._company_topics = frozenset((i.company, i.topic) for i in knowledge.intents if i.company)
        phrasings = [(label.title, *label.questions) if label is not None else knowledge.language.out_of_scope
                     for label in self.labels]
        in_scope = [text for intent in knowledge.intents for text in (intent.title, *intent.questions)]
        self.analyzer = TextAnalyzer(
            knowledge.language, [text for texts in phrasings for text in texts],
            companies={i.company for i in knowledge.intents if i.company}, in_scope=in_scope,
            dictionary=dictionary(),
        )
        outside_labels = [index for index, label in enumerate(self.labels) if not isinstance(label, Intent)]
        self.lexical = LexicalIndex(self.analyzer, phrasings, outside_labels=outside_labels, weights=s.lexical)
        # A question that is word for word one of the phrasings is that label's, whatever the signals say.
        self._verbatim = {" ".join(words(text)): label for label, texts in enumerate(phrasings) for text in texts}
        self.semantic: SemanticIndex | None = None
        self._encoder: SentenceEncoder | None = None
        if s.semantic:
            self._encoder = SentenceEncoder.shipped()
            cache = EmbeddingCache(self._encoder, directory=cache_dir)
            self.semantic = SemanticIndex(cache.embed(self.lexical.normalized), self.lexical.owners, len(self.labels))
        self.decider = self._decider(knowledge, cache_dir)

    def analyze(self, text: str) -> Analysis:
        """Analyze a text with this matcher's vocabulary."""
        return self.analyzer.analyze(text)

    def embed(self, analysis: Analysis) -> Vectors | None:
        """The sentence embedding of an analysed text, when the semantic signal is on."""
        if self._encoder is None:
            return None
        return self._encoder.encode_query(analysis.normalized)

    def embed_many(self, reads: Sequence[tuple[Analysis, int]]) -> list[Vectors | None]:
        """The sentence embeddings of a few analysed texts, each read from its last so many tokens,
        in one run of the model; ``None`` each when the semantic signal is off."""
        if self._encoder is None:
            return [None] * len(reads)
        return list(self._encoder.encode_queries([(analysis.normalized, limit) for analysis, limit in reads]))

    def match(
        self,
        query: str | Analysis,
        *,
        limit: int = 3,
        score_cutoff: float | None = None,
        prefer_role: str | None = None,
        embedding: Vectors | None = None,
    ) -> list[Match]:
        """The likeliest labels for a question, best first, at most ``limit``, none below ``score_cutoff``.

        ``prefer_role`` steers a question that names no role toward intents about that role (the
        role of the conversation so far); ``embedding`` is the question's, when already computed.
        """
        analysis = query if isinstance(query, Analysis) else self.analyzer.analyze(query)
        if not analysis.terms:
            return []
        if embedding is None:
            embedding = self.embed(analysis)
        candidates, rows, lexical = self._candidates(analysis, embedding, prefer_role=prefer_role)
        if not candidates or lexical.unknown_share >= self.settings.unknown_limit:
            # Nearly every word is one the knowledge base never uses ("asdfgh", "kubernetes helm charts"):
            # whatever a sentence model finds close, nothing here answers it.
            return []
        probabilities = self.decider.probabilities(rows)
        verbatim = self._verbatim.get(" ".join(analysis.words))
        if verbatim is not None and verbatim in candidates:
            probabilities[candidates.index(verbatim)] = 1.0
        results: list[Match] = []
        for label_index, probability in zip(candidates, probabilities):
            if score_cutoff is not None and probability < score_cutoff:
                continue
            label = self.labels[label_index]
            scores = lexical.labels.get(label_index)
            position = scores[4] if scores else -1
            phrase = self.lexical.texts[position] if position >= 0 else ""
            if isinstance(label, Intent):
                results.append(Match(label.id, float(probability), phrase))
            else:
                results.append(Match(None, float(probability), phrase,
                                     outside=label.id if label is not None else GENERIC_OUTSIDE))
        results.sort(key=lambda m: -m.score)
        return results[:limit]

    def _candidates(self, analysis: Analysis, embedding: Vectors | None, *, prefer_role: str | None = None,
                    exclude: int | None = None) -> tuple[list[int], Matrix, LexicalScores]:
        """The candidate labels of a question and their feature rows."""
        s = self.settings
        lexical = self.lexical.score(analysis, exclude=exclude)
        by_lexical = sorted(lexical.labels, key=lambda label: -lexical.labels[label][3])[: s.candidates]
        best = top3 = None
        by_semantic: list[int] = []
        if self.semantic is not None and embedding is not None and embedding.any():
            best, top3 = self.semantic.scores(embedding, exclude=exclude)
            by_semantic = [int(i) for i in np.argsort(-best)[: s.candidates]]
        candidates = list(dict.fromkeys([*by_lexical, *by_semantic]))
        if not candidates:
            return [], np.zeros((0, len(FEATURES))), lexical
        best_lexical = max((lexical.labels[label][3] for label in lexical.labels), default=0.0)
        best_semantic = float(best.max()) if best is not None else 0.0
        roles = analysis.roles or (frozenset({prefer_role}) if prefer_role else frozenset())
        rows = np.zeros((len(candidates), len(FEATURES)))
        for row, label_index in zip(rows, candidates):
            label = self.labels[label_index]
            coverage, phrase, fuzzy, combined, _ = lexical.labels.get(label_index, (0.0, 0.0, 0.0, 0.0, -1))
            semantic = float(best[label_index]) if best is not None else 0.0
            semantic3 = float(top3[label_index]) if top3 is not None else 0.0
            intent = label if isinstance(label, Intent) else None
            outside = 0.0 if intent else 1.0
            role_conflict, company_conflict, other_company, other_role = (
                _conflicts(intent, analysis, roles, preferred=not analysis.roles,
                           covered=self._company_topics) if intent else (0.0, 0.0, 0.0, 0.0))
            row[:] = (
                combined, coverage, phrase, fuzzy,
                semantic, semantic3, semantic - best_semantic, combined - best_lexical,
                float(best is not None and semantic >= best_semantic), float(combined >= best_lexical > 0),
                role_conflict, company_conflict, other_company, other_role,
                outside, outside * semantic, outside * combined,
                (1 - outside) * lexical.out_of_scope_share, (1 - outside) * lexical.unknown_share,
                float(label_index not in lexical.labels), float(best is None),
            )
        return candidates, rows, lexical

    def _decider(self, knowledge: KnowledgeBase, cache_dir: Path | None) -> Decider:
        """The learned decision for this knowledge base: from the cache when it was learned before."""
        digest = hashlib.sha256()
        digest.update(f"{DECISION_VERSION}:{self.settings.semantic}:{self.settings.lexical}".encode())
        if self._encoder is not None:
            digest.update(self._encoder.fingerprint.encode())
        for owner, text in zip(self.lexical.owners, self.lexical.texts):
            label = self.labels[int(owner)]
            digest.update(f"{label.id if label else GENERIC_OUTSIDE}\0{text}\0".encode())
        language = knowledge.language
        digest.update(repr((sorted(language.synonyms.items()), sorted(language.fillers))).encode())
        key = self.decision_key = digest.hexdigest()[:24]
        learned = _LEARNED.get(key)
        if learned is not None:
            return learned
        places = [DECISIONS_DIR]
        if cache_dir is not None:
            places.append(cache_dir)
        for place in places:
            try:
                saved = json.loads((place / f"decision-{key}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            decider = Decider.from_dict(saved)
            if decider is not None:
                _LEARNED[key] = decider
                return decider
        decider = _LEARNED[key] = self.learn()
        while len(_LEARNED) > 8:
            del _LEARNED[next(iter(_LEARNED))]
        if cache_dir is not None:
            try:
                cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile("w", dir=cache_dir, suffix=".json", delete=False,
                                                 encoding="utf-8") as file:  # created 0600
                    json.dump(decider.to_dict(), file)
                Path(file.name).replace(cache_dir / f"decision-{key}.json")
            except OSError:
                pass
        return decider

    def learn(self) -> Decider:
        """Train the decision on the knowledge base, each phrasing scored without itself."""
        rows: list[Matrix] = []
        targets: list[int] = []
        groups: list[int] = []
        vectors = self.semantic.vectors if self.semantic is not None else None
        for position, (owner, text) in enumerate(zip(self.lexical.owners, self.lexical.texts)):
            analysis = self.analyzer.analyze(text)
            embedding = vectors[position] if vectors is not None else None
            candidates, features, _ = self._candidates(analysis, embedding, exclude=position)
            if not candidates or int(owner) not in candidates:
                continue
            rows.append(features)
            targets += [int(label == owner) for label in candidates]
            groups += [position] * len(candidates)
        return train(np.vstack(rows), targets, groups)

    def phrasings(self) -> Sequence[str]:
        """Every indexed phrasing, label by label."""
        return self.lexical.texts


def _conflicts(intent: Intent, analysis: Analysis, roles: frozenset[str], *, preferred: bool,
               covered: frozenset[tuple[str, str | None]]) -> tuple[float, float, float, float]:
    """How the question's slots disagree with an intent's: role, company, an unknown company, another role.
    A general answer does not conflict with a company on a topic no answer covers there ("how do they
    work together at Quora?" is the general teamwork answer)."""
    role = 0.0
    if intent.role in ("data-scientist", "ml-engineer") and roles and intent.role not in roles:
        role = (0.5 if len(roles) > 1 else 1.0) * (0.5 if preferred else 1.0)
    named_other = (analysis.company is not None and intent.company != analysis.company and intent.topic != "meta"
                   and (intent.company is not None or (analysis.company, intent.topic) in covered))
    company = float(named_other or (intent.company is not None and analysis.company is None))
    other_company = float(analysis.other_company is not None and bool(analysis.roles) and intent.topic == ROLE_TOPIC)
    # Advice on moving between roles names other roles ("from data analyst to data scientist"), but
    # always one of the two as well: "how would I become a data engineer" is about another role.
    other_role = float(analysis.other_role and intent.role is not None
                       and (intent.topic != "advice" or not analysis.roles))
    return role, company, other_company, other_role
