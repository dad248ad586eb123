"""Turning what people type into canonical words the matcher can compare."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge import Language

#: Input beyond this many characters is cut before matching, so cost stays bounded.
MAX_INPUT_CHARS = 2000
#: At most this many words of a question are matched.
MAX_WORDS = 80
#: At most this many words of a question that the knowledge base does not use are looked up as typos.
MAX_TYPO_LOOKUPS = 12
#: A word longer than this is no typo of a known word (and is not cached as one).
MAX_TYPO_CHARS = 32
#: At most this many words of a question that the knowledge base does not use are stemmed.
MAX_UNKNOWN_STEMS = 24
#: Stems of words outside the knowledge base's vocabulary are cached for this many distinct words (least
#: recently used dropped), so what people type cannot grow memory; longer words are stemmed every time.
STEM_CACHE_SIZE = 20_000
MAX_CACHED_STEM_CHARS = 32

# A mention typed as text ("@whoswho", "@here") is an address, not part of the question. Each platform's
# own markup for mentions and channels is taken out by its adapter before a question reaches the core.
_CHAT_MARKUP = re.compile(r"(?<![\w@])@[\w.-]{1,40}", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")

#: A known word used at most this often may be a typo in a phrasing, and one used this many times more wins.
_RARE, _RARE_GIVES_WAY = 2, 10

_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "last": -1,
}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_ORDINAL_FRAME = frozenset(
    "the a one option choice number no nr item pick i ll take go with choose show me tell about more "
    "on please pls that topic want id like what is s of them those list how and ok okay so then lets "
    "let us do see sounds seems looks fits interesting interests good great cool nice again wait sorry actually "
    "oops nah oh hmm whats it its type types kind kinds job jobs"
    .split()
)
_ROLE_TERMS = {"datascientist": "data-scientist", "datascience": "data-scientist", "mlengineer": "ml-engineer"}
# Words that make "Google's ..." about a company's jobs: "Google's MLE role", "Netflix's DS team".
_JOB_WORDS = frozenset("mle mles ds dses role roles team teams job jobs".split())
# Owners of a job that are not companies: "a company's data team", "the deck's data scientist".
_OWNERS = frozenset("company companies team teams startup startups firm firms org organization organisation "
                    "business industry world everyone someone one today deck slide bot whoswho my your our their "
                    "scientist engineer analyst manager "
                    # "what's an ML engineer", "who's the DS", "it's a job": a contraction, not an owner
                    "what who where when why how that it there here let he she this which everybody "
                    "nobody somebody anybody".split())
# A job noun left over once the known roles are folded ("data engineer", "site reliability engineer").
_ROLE_NOUNS = frozenset(
    "engineer engineers eng engs developer developers dev devs scientist scientists manager managers architect "
    "architects researcher researchers administrator administrators analyst analysts"
    .split()
)
_POSSESSIVE = re.compile(r"\b(?P<owner>[a-z]{3,})['\u2019]s\s+(?:[a-z]+\s+){0,2}?(?P<job>"
                         + "|".join(sorted(_ROLE_NOUNS | _JOB_WORDS)) + r")\b")
# "look at crash data", "good at maths": "at" that does not name a place.
_AT_NOT_A_PLACE = frozenset(
    "look looks looking looked good bad great better best worse expert experts skilled aim aims aimed aiming "
    "glance stare point pointed hint hinted excel excels arrive arrived".split()
)
# "I work at Spotify", "we're a small team at Acme": the asker's own workplace, not a company asked about.
_OWN_WORKPLACE = re.compile(r"\b(?:i|i['\u2019]m|im|we|we['\u2019]re|were|me|my|our)\s+"
                            r"(?:(?!what|how|who|which|why|do|does|is|are|would|could)[a-z'\u2019]+\s+){0,5}?"
                            r"(?:at|in)\s+(?P<place>[a-z]{3,})\b")
# Words before a job noun that make it the asker's own job ("I'm a backend engineer", "as a data analyst").
_SELF_DESCRIPTION = frozenset(
    "im am as was been currently former ex work working background my our"
    .split()
)
_ANAPHORA = frozenset(
    "they them their theirs he she his her him that this those these it its"
    .split()
)
_FOLLOW_UP_FRAME = frozenset(
    "and what how about for at in the same then also too so ok okay s a an of with "
    "regarding re instead please pls one ones there here those them now thing question side case "
    "again but specifically exactly actually really version"
    .split()
)


def words(text: str) -> list[str]:
    """Split text into lower-case, accent-free words, dropping chat mentions, links, emoji and punctuation."""
    text = _CHAT_MARKUP.sub(" ", text[:MAX_INPUT_CHARS])
    text = _URL.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    text = text.replace("c++", " cplusplus ").replace("c#", " csharp ")
    text = re.sub(r"['\u2019](s|re|ve|m|d|ll|t)\b", lambda m: "" if m.group(1) == "s" else m.group(1), text)
    return _WORD.findall(text)[:MAX_WORDS]


@dataclass(frozen=True)
class Analysis:
    """What the matcher needs to know about one text."""

    words: tuple[str, ...]
    terms: tuple[str, ...]
    roles: frozenset[str]
    company: str | None
    other_company: str | None
    other_role: bool
    anaphora: bool
    ordinal: int | None
    slots_only: bool
    #: The text spelled out: typos corrected, abbreviations and synonyms in their first listed form
    #: ("diff btw ds n mle" -> "difference btw data scientist n machine learning engineer"), for models
    #: that read whole sentences.
    normalized: str = ""

    @property
    def key(self) -> str:
        """The canonical terms as one string, for fuzzy scorers."""
        return " ".join(self.terms)


class TextAnalyzer:
    """Canonicalizes text: stems words, corrects typos against the known vocabulary,
    folds synonyms into one canonical word and drops filler words."""

    def __init__(
        self,
        language: Language,
        corpus: Iterable[str],
        *,
        companies: Iterable[str] = (),
        in_scope: Iterable[str] = (),
        dictionary: frozenset[str] = frozenset(),
    ) -> None:
        self._stemmer = snowballstemmer.stemmer("english")
        self._stem_lock = threading.Lock()  # a Snowball stemmer keeps the word being stemmed in itself
        # The knowledge base's own words are stemmed once, here; other words go through a bounded cache.
        self._stems: dict[str, str] = {}
        self._stem_other: Callable[[str], str] = self._learn_stem
        self._fillers = frozenset(language.fillers)
        #: Real English words, never taken for typos (empty: only the knowledge base's own rare words are)
        self._dictionary = dictionary
        self._companies = frozenset(c.casefold() for c in companies)
        phrases: dict[tuple[str, ...], str] = {}
        for canonical, variants in language.synonyms.items():
            for variant in variants:
                stems = tuple(self._stem(w) for w in words(variant))
                if stems:
                    phrases[stems] = canonical
        self._phrases = phrases
        #: canonical word -> the form a sentence model reads best: its first listed variant
        self._spelled = {canonical: variants[0].strip() for canonical, variants in language.synonyms.items()
                         if variants}
        #: first stem of a synonym phrase -> the most words a phrase starting with it has
        self._longest_from: dict[str, int] = {}
        for stems in phrases:
            self._longest_from[stems[0]] = max(self._longest_from.get(stems[0], 0), len(stems))
        counts: Counter[str] = Counter()
        for text in [*corpus, *(v for vs in language.synonyms.values() for v in vs)]:
            counts.update(words(text))
        counts.update(self._fillers)
        #: The words of the synonyms' variants are spellings on purpose ("dses"), never typos of others ("does").
        self._spellings = frozenset(w for vs in language.synonyms.values() for v in vs for w in words(v))
        self._frequency = counts
        self._vocabulary = sorted(counts)
        self._known_stems = {self._stem(w) for w in counts} | set(language.synonyms)
        self._stem_other = lru_cache(maxsize=STEM_CACHE_SIZE)(self._stem_uncached)
        self._in_scope_words = frozenset(w for text in in_scope for w in words(text)) | self._fillers
        self._correct = lru_cache(maxsize=50_000)(self._correct_uncached)

    def _stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is not None:
            return stem
        return self._stem_other(word) if len(word) <= MAX_CACHED_STEM_CHARS else self._stem_uncached(word)

    def _learn_stem(self, word: str) -> str:
        stem = self._stems[word] = self._stem_uncached(word)
        return stem

    def _stem_uncached(self, word: str) -> str:
        with self._stem_lock:
            return str(self._stemmer.stemWord(word))

    def _correct_uncached(self, word: str) -> str:
        if _DRAWN_OUT.search(word):
            # "hiii", "heyyy", "sooo cool": a letter drawn out, once or twice as spelled.
            for once in (r"\1", r"\1\1"):
                plain = _DRAWN_OUT.sub(once, word)
                if self._frequency.get(plain, 0):
                    return plain
        if len(word) < 4 or not word.isalpha() or word in self._spellings:
            return word
        known = self._frequency.get(word, 0)
        if known > _RARE:
            return word
        limit = 1 if len(word) < 8 or known else 2
        found = process.extract(word, self._vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if self._dictionary and word in self._dictionary:
            # A real word is not a typo: "decade" must not become "decide", nor "feel" "feed".
            return word
        if known:
            # A word the knowledge base uses once or twice may itself be a typo in a phrasing ("qoura"):
            # it gives way to a word one edit away that is used far more often ("quora"). Without a
            # dictionary to tell real words, only a swap of two letters.
            found = [hit for hit in found if hit[1] > 0 and self._frequency[hit[0]] >= _RARE_GIVES_WAY * known
                     and (bool(self._dictionary) or sorted(hit[0]) == sorted(word))]
        # Typos seldom touch the first letter; requiring it keeps "wanting" from becoming
        # "ranking" and "best" from becoming "test".
        found = [hit for hit in found if hit[0][0] == word[0]]
        if not found:
            return word
        best = min(found, key=lambda hit: (hit[1], -self._frequency[hit[0]], hit[0]))
        return str(best[0])

    def analyze(self, text: str) -> Analysis:
        """Analyze one text into canonical terms and the slots it mentions."""
        raw = words(text)
        corrected = self._corrected(raw)
        merged = self._merged(self._stemmed(corrected), corrected)
        roles = frozenset(_ROLE_TERMS[term] for term, _ in merged if term in _ROLE_TERMS)
        company = next((w for _, w in merged if w in self._companies), None)
        terms: list[str] = []
        meaningful = [(t, w) for t, w in merged if w not in self._fillers and t not in self._fillers]
        for term, _ in meaningful or merged:
            if term not in terms:
                terms.append(term)
        slots_only = bool(roles or company) and all(
            surface in _FOLLOW_UP_FRAME or surface in self._fillers or term in _ROLE_TERMS
            or surface in self._companies or term not in self._known_stems
            for term, surface in merged
        )
        return Analysis(
            words=tuple(raw),
            terms=tuple(terms),
            roles=roles,
            company=company,
            other_company=self._other_company(text, raw, corrected, frozenset(
                surface.split()[-1] for term, surface in merged if term in _ROLE_TERMS)),
            other_role=self._names_another_role(merged),
            anaphora=any(w in _ANAPHORA for w in raw),
            ordinal=_ordinal(raw),
            slots_only=slots_only,
            normalized=" ".join(self._spelled.get(term, surface) if term in self._spelled else surface
                                for term, surface in merged),
        )

    def _corrected(self, raw: list[str]) -> list[str]:
        """The words with typos corrected; only so many unknown words are looked up, so a question of
        random words costs no more than a few normal ones."""
        corrected: list[str] = []
        lookups = 0
        for word in raw:
            if self._frequency.get(word, 0) > _RARE or lookups >= MAX_TYPO_LOOKUPS or len(word) > MAX_TYPO_CHARS:
                corrected.append(word)
            else:
                lookups += 1
                corrected.append(self._correct(word))
        return corrected

    def _stemmed(self, corrected: list[str]) -> list[str]:
        """The words' stems; only so many words the knowledge base does not use are stemmed, the rest
        stay as typed."""
        stems: list[str] = []
        unknown_stemmed = 0
        for word in corrected:
            if word in self._stems or unknown_stemmed < MAX_UNKNOWN_STEMS:
                unknown_stemmed += word not in self._stems
                stems.append(self._stem(word))
            else:
                stems.append(word)
        return stems

    def _merged(self, stems: list[str], corrected: list[str]) -> list[tuple[str, str]]:
        """(canonical term, surface words) pairs: synonym phrases folded into their canonical term."""
        merged: list[tuple[str, str]] = []
        position = 0
        while position < len(stems):
            longest = self._longest_from.get(stems[position], 0)
            for size in range(min(longest, len(stems) - position), 0, -1):
                canonical = self._phrases.get(tuple(stems[position : position + size]))
                if canonical is not None:
                    surface = corrected[position] if size == 1 else " ".join(corrected[position : position + size])
                    merged.append((canonical, surface))
                    position += size
                    break
            else:
                merged.append((stems[position], corrected[position]))
                position += 1
        return merged

    def _names_another_role(self, merged: list[tuple[str, str]]) -> bool:
        """Whether a text asks about a role other than the two ("what does a data engineer do"), not
        describing the asker ("I'm a backend engineer, ...")."""
        return any(
            surface in _ROLE_NOUNS and term not in _ROLE_TERMS
            and position > 0 and merged[position - 1][1] not in self._fillers  # "a data engineer", not "an engineer"
            and merged[position - 1][0] not in _ROLE_TERMS and merged[position - 1][0] != "difference"
            and not _SELF_DESCRIPTION.intersection(w for _, w in merged[max(0, position - 4) : position])
            for position, (term, surface) in enumerate(merged))

    def _other_company(self, text: str, raw: list[str], corrected: list[str],
                       role_words: frozenset[str]) -> str | None:
        """A company-like word that no answer speaks of, after 'at' ("at Spotify") or owning a job
        ("Google's ML engineers", "Netflix's DS team"); a role owns no job of a company ("the MLE's job")."""
        lowered = text[:2000].casefold()
        own = {found["place"] for found in _OWN_WORKPLACE.finditer(lowered)}
        for position in range(1, len(raw)):
            word = raw[position]
            if (raw[position - 1] in ("at", "in") and word.isalpha() and len(word) > 2
                    and (position < 2 or raw[position - 2] not in _AT_NOT_A_PLACE)
                    # "12 years in reserving", "my brother-in-law": a line of work or a word, not a place
                    and not (raw[position - 1] == "in" and (word.endswith("ing") or f"-in-{word}" in lowered))
                    and (word not in own or raw.count(word) > 1)
                    and word not in self._in_scope_words and corrected[position] not in self._companies):
                return word
        for found in _POSSESSIVE.finditer(lowered):
            word = found["owner"]
            if (word not in _OWNERS and word not in self._fillers and word not in _ROLE_NOUNS
                    and word not in role_words and self._correct(word) not in role_words
                    and self._correct(word) not in self._companies):
                return word
        return None


#: A letter typed three times or more in a row.
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}")


def _ordinal(raw: list[str]) -> int | None:
    """The position a text points at ("the second one", "#3", "2"), if that is all it says."""
    found: int | None = None
    for word in raw:
        if word in _ORDINALS:
            value = _ORDINALS[word]
        elif word.isdecimal() and len(word) <= 2:
            value = int(word)
        elif word in _NUMBERS and word != "one":
            value = _NUMBERS[word]
        elif word in _ORDINAL_FRAME:
            continue
        else:
            return None
        if found is not None:
            return None
        found = value
    return found
