"""Benchmark of whoswho's core: knowledge-base load time, per-answer latency and answers per second.

Measured for the shipped knowledge base and for synthetic ones of 1,000 and 10,000 intents, generated
(seeded, so reproducible) into a temporary folder as real YAML files in the shipped format::

    python benchmarks/bench.py [--runs N] [--questions N] [--sizes shipped,1000,10000] [--json]

For each knowledge base and run:

- load: wall time of ``Advisor.load(folder)`` (YAML parsing, validation and the matcher's index),
  timed several times per run (fewer for large knowledge bases);
- ask: ``advisor.ask(q, conversation_id=...)`` timed with ``time.perf_counter_ns`` per call over a
  mixed question list (in-scope paraphrases, typos, follow-ups, out-of-scope, long texts; plus, for
  synthetic knowledge bases, questions built from the synthetic vocabulary), after a warm-up pass;
- throughput: answers per second of a sequential, single-threaded loop over the same list for a
  fixed duration.

The whole measurement is repeated ``--runs`` times (interleaving the knowledge bases); the table gives
the median across runs of each figure and, in parentheses, its min-max spread. Progress goes to
stderr; the header, the tables and (with ``--json``) the raw per-run numbers go to stdout.
Nothing is pinned to a CPU.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rapidfuzz
import yaml

from bot import Advisor, MatchSettings, builtin_knowledge_dir

SEED = 20170222

# --------------------------------------------------------------------------------------------------
# The fixed question list: what people type at the bot, good and bad. Consecutive groups of
# CONVERSATION_SIZE questions share a conversation, so follow-ups ("and data scientists?",
# "the second one") have something to follow.
# --------------------------------------------------------------------------------------------------

CONVERSATION_SIZE = 4

_STACK_TRACE = "my training job keeps crashing, is this an ML engineer problem or a data scientist one?\n" + (
    "Traceback (most recent call last):\n"
    + "".join(
        f'  File "/srv/app/pipeline/step_{i}.py", line {i * 7 + 3}, in run\n    result = model.predict(batch_{i})\n'
        for i in range(40)
    )
    + "ValueError: Input contains NaN, infinity or a value too large for dtype('float32').\n"
)

FIXED_QUESTIONS: tuple[str, ...] = (
    # In scope, in people's own words, with follow-ups.
    "what does a data scientist actually do all day?",
    "hey, what's the difference between a DS and an MLE?",
    "ML engineer vs data scientist -- which one writes the production code?",
    "the second one",
    "what does an ML engineer do at Quora?",
    "and data scientists?",
    "how do data scientists and ML engineers work together on a project",
    "what about at Quora?",
    "what are the four types of data science jobs",
    "which skills does a machine learning engineer need",
    "do I need a lot of math to become a data scientist?",
    "the third one",
    "what tools do data scientists use, R or python?",
    "and for ML engineers?",
    "how should I get started in machine learning as a total beginner",
    "I'm a data analyst, can I switch to ML engineering?",
    "which role fits me better if I like statistics more than coding",
    "what is data munging",
    "how much statistics does a DS need to know",
    "what is a data product job",
    "<@U024BE7LH> what can you help me with",
    "thanks, that was really helpful!",
    "hi there \N{WAVING HAND SIGN}",
    "DS vs MLE",
    # Typos.
    "wat does a data scientsit do",
    "diffrence between machien learning enginer and data scienist",
    "skils needed for mle",
    "how do i becom a data scienctist with no experiance",
    "quora ml enginer responsibilites",
    "whta are the tyeps of data sceince jobs",
    "is matematics importnat for machin learning",
    "tols used by ml engineers",
    "how to swich from software engineering to data sciense",
    "wat shud i lern first stats or programing",
    # Out of scope.
    "how much does a data scientist earn in London?",
    "what does a data scientist do at Spotify?",
    "can you review my resume please",
    "what's the weather like tomorrow",
    "tell me a joke",
    "how do I deploy a model to kubernetes with helm",
    "what does a product manager do",
    "is bitcoin a good investment right now",
    "fix my python error: ModuleNotFoundError: No module named 'torch'",
    "who won the football game last night",
    "recommend a good pizza place near the office",
    "what's the capital of Australia",
    "are you hiring ML engineers right now",
    "translate 'good morning' into French",
    # Short, odd and noisy.
    "?",
    "",
    "ok",
    "lol",
    "help",
    "https://www.quora.com/How-does-Quora-use-machine-learning-in-2015 what does this say",
    "c++ or python for ml engineering?",
    "Donn\N{LATIN SMALL LETTER E WITH ACUTE}es: que fait un data scientist au quotidien ?",
    "WHAT DOES AN MLE DO AT QUORA???",
    # Long texts.
    (
        "so basically I've been working as a backend developer for five years, mostly Java and some Scala, "
        "and our company is starting a machine learning team. my manager asked if I'd want to move over. "
        "what would I actually be doing as an ML engineer compared to the data scientists we're hiring, "
        "and what skills should I brush up on first?"
    ),
    (
        "Hi! Long-time lurker here. I finished a PhD in physics last year, I love statistics, I've done a lot "
        "of modelling in Python and a bit of R, but I've never shipped anything to production and honestly "
        "the idea of on-call rotations scares me a bit. I like explaining results to people and making plots. "
        "Friends keep telling me to apply for ML engineer roles because they pay more, but I'm not sure. "
        "Which of the two roles would fit someone like me, and what should I learn next?"
    ),
    (
        "We're a team of six at a small e-commerce startup: two backend devs, a frontend dev, a designer, "
        "a product person and me. We want recommendations on the product page and maybe fraud detection "
        "later. Should our first hire be a data scientist or a machine learning engineer, and how would "
        "they split the work once we have both? Also, what does the workflow look like at a company like "
        "Quora, since I read they do a lot of ranking with machine learning?"
    ),
    _STACK_TRACE,
    (
        "random question, not sure you can help: my landlord raised the rent again, my cat knocked my laptop "
        "off the desk, the coffee machine at work is broken and I have a deadline on Friday for a model that "
        "predicts churn. anyway what I really wanted to ask is whether data wrangling is something a data "
        "scientist does or if there's a separate job for that"
    ),
)

# --------------------------------------------------------------------------------------------------
# Vocabulary of the synthetic knowledge bases: a few hundred everyday and domain words.
# --------------------------------------------------------------------------------------------------



def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.split()))


DOMAIN_NOUNS = _words("""
model pipeline dataset feature label metric dashboard experiment notebook cluster schema query warehouse
embedding gradient optimizer regression classifier forecast anomaly outlier sample batch stream queue
checkpoint container endpoint latency throughput cache index partition shard replica backup snapshot
migration deployment rollout rollback monitoring alert incident postmortem benchmark baseline prototype
hypothesis survey cohort funnel retention churn conversion segment persona recommendation ranking search
relevance annotation taxonomy ontology vocabulary tokenizer transformer encoder decoder attention kernel
tensor matrix vector scalar histogram distribution variance bias correlation causation sensitivity
specificity precision recall accuracy calibration threshold ensemble forest boosting bagging clustering
centroid projection imputation normalization scaling encoding sampling bootstrap permutation crossvalidation
holdout leakage drift versioning lineage governance privacy consent compliance audit documentation
spreadsheet report chart visualization storyboard presentation roadmap backlog sprint standup retrospective
""")

GENERAL_NOUNS = _words("""
budget deadline manager customer team meeting contract vendor invoice office laptop server browser
database website newsletter campaign warehouse shipment inventory forecast supplier catalog checkout
cart coupon refund ticket helpdesk chatbot email calendar schedule holiday weekend morning evening
hospital clinic patient pharmacy insurance claim loan mortgage bank branch account transaction fraud
sensor factory machine turbine engine vehicle fleet route driver delivery weather energy grid meter
store shelf price discount promotion loyalty membership subscription playlist podcast video image
photo document contract resume interview candidate recruiter mentor course tutorial textbook exam
""")

VERBS = _words("""
build deploy monitor clean tune validate version document explain visualize summarize profile debug
refactor migrate scale cache index partition label annotate sample test benchmark audit review
prioritize estimate forecast measure compare automate schedule retrain evaluate interpret simplify
present share publish archive secure encrypt anonymize aggregate join filter dedupe backfill reprocess
parallelize containerize orchestrate serve optimize prune compress distill calibrate rank recommend
""")

ADJECTIVES = _words("""
large small noisy sparse messy clean stale fresh slow fast cheap expensive fragile robust legacy new
realtime nightly weekly manual automated shared private public internal external tabular textual
missing duplicate skewed imbalanced seasonal rare frequent critical optional experimental stable
distributed centralized versioned unversioned undocumented labeled unlabeled raw curated synthetic
""")

CONTEXTS = (
    "in production", "at a startup", "on a small team", "for a first project", "during an interview",
    "before a launch", "after a migration", "on a tight budget", "with no labels", "in a regulated industry",
    "for a quarterly review", "on a laptop", "in the cloud", "on premises", "for a hackathon",
    "without a data engineer", "at a large company", "for a client demo", "in a notebook", "on weekends",
    "for nontechnical stakeholders", "in a code review", "during an outage", "as a junior", "as a team lead",
)

GENERIC_PEOPLE = ("analyst", "developer", "team lead", "product owner", "intern", "manager", "consultant")
ROLE_PEOPLE = {"data-scientist": ("data scientist", "DS"), "ml-engineer": ("ML engineer", "machine learning engineer"),
               "both": ("data scientist", "ML engineer")}

TEMPLATES = (
    "how do i {v} {a} {n1} for {n2}",
    "what is the best way to {v} {n1} with {n2} {c}",
    "should a {r} {v} the {n1} before the {n2}",
    "why does my {n1} break when i {v} the {n2}",
    "{n1} vs {n2}: which one should i {v} first",
    "can you explain how {n1} affects {a} {n2}",
    "who on the team owns {n1} and {n2} {c}",
    "what tools help {v} {a} {n1} {c}",
    "is it worth it to {v} {a} {n2} {c}",
    "best practices for {a} {n1} and {n2} {c}",
    "when should we {v} our {n1} {n2}",
    "where do i start with {a} {n1} for {n2}",
    "my {r} says we need to {v} the {n1}, is that right?",
    "how long does it take to {v} a {n1} for {n2}",
    "what goes wrong when you {v} {n1} without {n2}",
    "quick question about {a} {n1} and {n2} {c}",
    "do i need {n2} to {v} {a} {n1}?",
    "checklist to {v} {n1} for {a} {n2}",
    "what does a good {n1} {n2} setup look like {c}",
    "how does a {r} {v} {n1} {c}",
    "what should i know about {n1} for {n2}",
    "is {a} {n1} a problem for {n2} {c}",
    "how can i {v} {n1} faster {c}",
    "what is the difference between {n1} and {n2} for a {r}",
)

ANSWER_BULLETS = (
    "Write down what success looks like before you {v} anything.",
    "Start with the {n1} you already have; {a} data is normal at first.",
    "Agree who owns the {n2} and who reviews changes to it.",
    "Measure before and after, and keep the numbers next to the code.",
    "Automate the boring steps once they have been done by hand twice.",
    "Keep the {n1} versioned so you can roll back.",
    "Ask the people who use the {n2} what they actually need.",
)

_WORD_RE = re.compile(r"\w+")
_BARE_A = re.compile(r"\ba (?=[aeiouAEIOU]|ML\b)")


def _question_key(question: str) -> str:
    """The key the knowledge loader uses to refuse the same question in two intents."""
    return " ".join(_WORD_RE.findall(question.casefold()))


def _typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: swap two inner letters, drop one or double one."""
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _typos(text: str, rng: random.Random, count: int) -> str:
    tokens = text.split()
    candidates = [i for i, t in enumerate(tokens) if len(t) >= 5 and t.isalpha()]
    for i in rng.sample(candidates, min(count, len(candidates))):
        tokens[i] = _typo(tokens[i], rng)
    return " ".join(tokens)


@dataclass(frozen=True)
class SynthIntent:
    id: str
    n1: str
    n2: str
    role: str | None


def _fill(template: str, rng: random.Random, n1: str, n2: str, role: str | None) -> str:
    people = ROLE_PEOPLE[role] if role else GENERIC_PEOPLE
    text = template.format(
        v=rng.choice(VERBS), a=rng.choice(ADJECTIVES), n1=n1, n2=n2, c=rng.choice(CONTEXTS), r=rng.choice(people)
    )
    return _BARE_A.sub("an ", text)


def _phrasing(rng: random.Random, n1: str, n2: str, role: str | None, taken: set[str]) -> str:
    """A new question about (n1, n2) of 5 to 12 words that no intent has yet."""
    for _ in range(1000):
        text = _fill(rng.choice(TEMPLATES), rng, n1, n2, role)
        key = _question_key(text)
        if 5 <= len(text.split()) <= 12 and key not in taken:
            taken.add(key)
            return text
    raise RuntimeError(f"could not find a new phrasing for {n1!r}/{n2!r}")


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings (answers) as literal blocks, like the shipped files."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def generate_knowledge(folder: Path, count: int, *, seed: int = SEED, per_file: int = 250) -> list[SynthIntent]:
    """Write a knowledge folder of ``count`` synthetic intents (plus the shipped sources and language)."""
    rng = random.Random(seed * 1_000_003 + count)
    builtin = builtin_knowledge_dir()
    for name in ("sources.yml", "language.yml"):
        shutil.copyfile(builtin / name, folder / name)
    source_keys = sorted(yaml.safe_load((builtin / "sources.yml").read_text(encoding="utf-8"))["sources"])
    nouns = sorted(set(DOMAIN_NOUNS) | set(GENERAL_NOUNS))
    pairs = [(a, b) for a in nouns for b in nouns if a != b]
    if count > len(pairs):
        raise ValueError(f"at most {len(pairs)} synthetic intents")
    chosen = rng.sample(pairs, count)
    roles = ("data-scientist", "ml-engineer", "both")
    specs = [
        SynthIntent(f"synth.{n1}-{i}", n1, n2, rng.choice(roles) if rng.random() < 0.3 else None)
        for i, (n1, n2) in enumerate(chosen, start=1)
    ]
    taken: set[str] = set()
    documents: list[dict[str, Any]] = []
    for spec in specs:
        questions = [_phrasing(rng, spec.n1, spec.n2, spec.role, taken) for _ in range(10)]
        fill = {"v": rng.choice(VERBS), "a": rng.choice(ADJECTIVES), "n1": spec.n1, "n2": spec.n2}
        bullets = [b.format(**fill) for b in rng.sample(ANSWER_BULLETS, 3)]
        answer = (
            f"To {fill['v']} {fill['a']} {spec.n1} for {spec.n2}, start small and measure what changes.\n"
            f"Most teams get there in a few short iterations.\n\n" + "".join(f"- {b}\n" for b in bullets)
        )
        key = rng.choice(source_keys)
        source: str | dict[str, str] = (
            {"source": key, "where": f"section {rng.randint(1, 12)}"} if rng.random() < 0.3 else key
        )
        # An intent about one role links to the other role only on its own topic (whoswho check's rule).
        related = [specs[j].id for j in rng.sample(range(len(specs)), 3) if specs[j].id != spec.id
                   and {spec.role, specs[j].role} != {"data-scientist", "ml-engineer"}][:2]
        intent: dict[str, Any] = {
            "id": spec.id,
            "title": f"How to {fill['v']} {spec.n1} for {spec.n2}",
            "topic": spec.n1,
        }
        if spec.role:
            intent["role"] = spec.role
        intent.update(questions=questions, answer=answer, sources=[source], related=related)
        documents.append(intent)
    for number, start in enumerate(range(0, count, per_file)):
        text = yaml.dump({"intents": documents[start : start + per_file]}, Dumper=_Dumper, sort_keys=False,
                         width=1000, allow_unicode=True, default_flow_style=False)
        (folder / f"synth-{number:04d}.yml").write_text(text, encoding="utf-8")
    return specs


def synthetic_questions(specs: Sequence[SynthIntent], count: int, *, seed: int = SEED) -> list[str]:
    """Questions in the synthetic intents' vocabulary: new paraphrases, typos, fragments,
    questions mixing two intents and long messages."""
    rng = random.Random(seed + len(specs))
    taken: set[str] = set()
    questions: list[str] = []
    kinds = ("paraphrase", "paraphrase", "paraphrase", "typo", "typo", "fragment", "mixed", "mixed", "long")
    for position in range(count):
        kind = kinds[position % len(kinds)]
        spec = rng.choice(specs)
        if kind == "paraphrase":
            questions.append(_phrasing(rng, spec.n1, spec.n2, spec.role, taken))
        elif kind == "typo":
            questions.append(_typos(_phrasing(rng, spec.n1, spec.n2, spec.role, taken), rng, 2))
        elif kind == "fragment":
            questions.append(rng.choice((f"{spec.n1} {spec.n2}?", f"{spec.n1} help", f"{spec.n2} {spec.n1} pls")))
        elif kind == "mixed":
            other = rng.choice(specs)
            questions.append(_phrasing(rng, spec.n1, other.n2, spec.role, taken))
        else:
            parts = [_phrasing(rng, s.n1, s.n2, s.role, taken) for s in (spec, *rng.sample(specs, 2))]
            questions.append(
                "hi, long message sorry. " + ". ".join(p.rstrip("?") for p in parts)
                + f". we have {rng.choice(ADJECTIVES)} {rng.choice(GENERAL_NOUNS)} everywhere and nobody "
                "owns anything, so any pointers are welcome, thanks a lot in advance!"
            )
    return questions


# --------------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linearly interpolated between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Case:
    """One knowledge base to measure."""

    name: str
    label: str
    folder: Path
    questions: list[str]
    loads_per_run: int
    budget_seconds: float | None
    intents: int = 0
    #: Whether the sentence-embedding model is on.
    semantic: bool = True
    #: Start-up in a fresh process (imports, load, model; warm cache) and its resident memory.
    process: dict[str, float] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    run_seconds: list[float] = field(default_factory=list)
    runs_allowed: int | None = None


def conversation_ids(count: int) -> list[str]:
    return [f"bench:{i // CONVERSATION_SIZE}" for i in range(count)]


def measure_load(folder: Path, loads: int, *, semantic: bool, cache: Path) -> tuple[list[float], Advisor]:
    samples: list[float] = []
    advisor: Advisor | None = None
    settings = MatchSettings(semantic=semantic)
    Advisor.load(folder, settings=settings, cache_dir=cache)  # warms the cache folder: later loads read it
    for _ in range(loads):
        advisor = None
        gc.collect()
        start = time.perf_counter_ns()
        advisor = Advisor.load(folder, settings=settings, cache_dir=cache)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    assert advisor is not None
    return samples, advisor


def measure_ask(advisor: Advisor, questions: Sequence[str], *, min_samples: int, max_seconds: float,
                min_passes: int = 2) -> dict[str, Any]:
    """Per-call latency in ms: a first (warm-up) pass, then timed passes over the list."""
    ids = conversation_ids(len(questions))
    pairs = list(zip(questions, ids, strict=True))
    clock = time.perf_counter_ns
    first: list[float] = []
    kinds: Counter[str] = Counter()
    for text, conversation in pairs:  # warm-up; its timings are the first-seen (cold cache) latencies
        start = clock()
        reply = advisor.ask(text, conversation_id=conversation)
        first.append((clock() - start) / 1e6)
        kinds[reply.kind.value] += 1
    samples: list[float] = []
    passes = 0
    deadline = time.perf_counter() + max_seconds
    while passes < min_passes or (len(samples) < min_samples and time.perf_counter() < deadline):
        for text, conversation in pairs:
            start = clock()
            advisor.ask(text, conversation_id=conversation)
            samples.append((clock() - start) / 1e6)
        passes += 1
    per_question = [statistics.median(samples[i :: len(pairs)]) for i in range(len(pairs))]
    slowest = sorted(range(len(pairs)), key=lambda i: -per_question[i])[:5]
    return {
        "p50_ms": percentile(samples, 50),
        "p99_ms": percentile(samples, 99),
        "mean_ms": statistics.fmean(samples),
        "max_ms": max(samples),
        "samples": len(samples),
        "passes": passes,
        "first_pass_p50_ms": percentile(first, 50),
        "first_pass_p99_ms": percentile(first, 99),
        "first_pass_max_ms": max(first),
        "reply_kinds": dict(sorted(kinds.items())),
        "slowest_questions": [
            {"median_ms": per_question[i], "question": questions[i][:80], "chars": len(questions[i])} for i in slowest
        ],
    }


def measure_throughput(advisor: Advisor, questions: Sequence[str], seconds: float) -> dict[str, float]:
    """Answers per second of a sequential loop over the list, for about ``seconds``."""
    pairs = list(zip(questions, conversation_ids(len(questions)), strict=True))
    count = 0
    now = time.perf_counter
    start = now()
    deadline = start + seconds
    while True:
        for text, conversation in pairs:
            advisor.ask(text, conversation_id=conversation)
            count += 1
            if now() >= deadline:
                elapsed = now() - start
                return {"answers": count, "seconds": elapsed, "answers_per_s": count / elapsed}


def run_case(case: Case, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    loads, advisor = measure_load(case.folder, case.loads_per_run, semantic=case.semantic,
                                  cache=case.folder.parent / f"cache-{case.name}")
    case.intents = len(advisor.knowledge)
    ask = measure_ask(advisor, case.questions, min_samples=args.min_samples, max_seconds=args.ask_seconds)
    throughput = measure_throughput(advisor, case.questions, args.throughput_seconds)
    del advisor
    gc.collect()
    result = {
        "load_ms": loads,
        "load_median_ms": statistics.median(loads),
        "load_p99_ms": percentile(loads, 99),
        "ask": ask,
        "throughput": throughput,
        "seconds": time.perf_counter() - started,
    }
    case.run_seconds.append(result["seconds"])
    return result


# --------------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------------


def fmt(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def spread(values: Sequence[float]) -> str:
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}-{fmt(max(values))})"


def figures(case: Case) -> dict[str, list[float]]:
    runs = case.runs
    return {
        "load_median_ms": [r["load_median_ms"] for r in runs],
        "load_p99_ms": [r["load_p99_ms"] for r in runs],
        "ask_p50_ms": [r["ask"]["p50_ms"] for r in runs],
        "ask_p99_ms": [r["ask"]["p99_ms"] for r in runs],
        "answers_per_s": [r["throughput"]["answers_per_s"] for r in runs],
        "first_pass_p50_ms": [r["ask"]["first_pass_p50_ms"] for r in runs],
        "first_pass_p99_ms": [r["ask"]["first_pass_p99_ms"] for r in runs],
    }


def describe_code() -> str:
    """The git revision of the checkout (and what is uncommitted in bot/ and knowledge/), when there is one."""
    root = Path(__file__).resolve().parent.parent
    try:
        revision = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "bot", "knowledge"],
                                 capture_output=True, text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    dirty = [line[3:] for line in changed if line.strip()]
    return f"git {revision}" + (f", uncommitted changes in {', '.join(dirty)}" if dirty else ", clean")


def header_lines(args: argparse.Namespace, code: str) -> list[str]:
    processor = platform.processor()
    if not processor:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
            processor = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                             if line.startswith("model name"))
        except (OSError, StopIteration):
            processor = "unknown"
        processor = f"{processor} (from /proc/cpuinfo; platform.processor() is empty)"
    try:
        affinity: str = str(len(os.sched_getaffinity(0)))
    except AttributeError:
        affinity = "n/a"
    return [
        "# whoswho benchmark",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
        f"- python: {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        f"- machine: {platform.machine()}, {platform.platform()}",
        f"- processor: {processor}",
        f"- os.cpu_count(): {os.cpu_count()} (usable by this process: {affinity}); nothing pinned, single thread",
        f"- code at start: {code}; shipped knowledge snapshot of {builtin_knowledge_dir()}",
        f"- libraries: rapidfuzz {rapidfuzz.__version__}, PyYAML {yaml.__version__} "
        f"(libyaml {'available' if getattr(yaml, '__with_libyaml__', False) else 'not available'})",
        f"- settings: runs {args.runs}, sizes {','.join(args.sizes)}, synthetic questions {args.questions}, "
        f"ask >= {args.min_samples} samples (<= {args.ask_seconds:g} s), "
        f"throughput {args.throughput_seconds:g} s, seed {args.seed}",
    ]


def report(cases: Sequence[Case], args: argparse.Namespace, code: str) -> str:
    lines = header_lines(args, code)
    lines += [
        "",
        "Median across runs (min-max across runs in parentheses).",
        "",
        "| knowledge base | semantic | intents | load median (ms) | ask p50 (ms) | ask p99 (ms) | answers/s "
        "| start-up, fresh process (s) | memory (MB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        f = figures(case)
        start_up = fmt(case.process["seconds"]) if case.process else "n/a"
        memory = fmt(case.process["rss_mb"]) if case.process else "n/a"
        lines.append(
            f"| {case.label} | {'on' if case.semantic else 'off'} | {case.intents:,} | {spread(f['load_median_ms'])} "
            f"| {spread(f['ask_p50_ms'])} | {spread(f['ask_p99_ms'])} | {spread(f['answers_per_s'])} "
            f"| {start_up} | {memory} |"
        )
    lines += ["", "Start-up: wall time of a new Python process from its first line to `Advisor.load(...)` returning "
              "(imports, knowledge, model), with the cache warm; memory: its peak resident set after 50 answers."]
    lines += [
        "",
        "Details: load p99 over all loads; first-pass latency is the warm-up pass (typo corrections not yet cached).",
        "",
        "| knowledge base | runs | loads | load p99 (ms) | questions | ask samples/run | first-pass p50 (ms) "
        "| first-pass p99 (ms) | replies (first pass) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for case in cases:
        f = figures(case)
        loads = [x for r in case.runs for x in r["load_ms"]]
        kinds = case.runs[0]["ask"]["reply_kinds"]
        lines.append(
            f"| {case.label} | {len(case.runs)} | {len(loads)} | {fmt(percentile(loads, 99))} "
            f"| {len(case.questions)} | {case.runs[0]['ask']['samples']:,} | {spread(f['first_pass_p50_ms'])} "
            f"| {spread(f['first_pass_p99_ms'])} | {', '.join(f'{k} {v}' for k, v in kinds.items())} |"
        )
    notes = [
        f"- {case.label}: {len(case.runs)} of {args.runs} runs "
        f"(a run took ~{statistics.median(case.run_seconds):.0f} s; budget {case.budget_seconds:g} s)"
        for case in cases
        if len(case.runs) < args.runs and case.budget_seconds is not None
    ]
    if notes:
        lines += ["", "Runs reduced to keep within the time budget:", *notes]
    return "\n".join(lines)


def raw_numbers(cases: Sequence[Case], args: argparse.Namespace, code: str) -> dict[str, Any]:
    return {
        "code": code,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "settings": {k: v for k, v in vars(args).items() if k != "json"},
        "cases": [
            {
                "name": case.name,
                "semantic": case.semantic,
                "process": case.process,
                "label": case.label,
                "intents": case.intents,
                "questions": len(case.questions),
                "loads_per_run": case.loads_per_run,
                "summary": {
                    key: {"median": statistics.median(values), "min": min(values), "max": max(values)}
                    for key, values in figures(case).items()
                },
                "runs": case.runs,
            }
            for case in cases
        ],
    }


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="repetitions of the whole measurement")
    parser.add_argument("--questions", type=int, default=40,
                        help="questions built from the synthetic vocabulary, added to the fixed "
                             f"{len(FIXED_QUESTIONS)} for synthetic knowledge bases")
    parser.add_argument("--sizes", type=lambda s: [p.strip() for p in s.split(",") if p.strip()],
                        default="shipped,1000,10000",
                        help="comma-separated: 'shipped' and/or numbers of synthetic intents")
    parser.add_argument("--json", action="store_true", help="also print the raw per-run numbers as JSON")
    parser.add_argument("--semantic", choices=("both", "on", "off"), default="both",
                        help="measure with the sentence-embedding model on, off, or both (synthetic knowledge "
                             "bases of 5,000+ intents are measured with it off only)")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the synthetic knowledge bases")
    parser.add_argument("--min-samples", type=int, default=1000,
                        help="timed ask calls per run (at least two passes over the list)")
    parser.add_argument("--ask-seconds", type=float, default=3.0,
                        help="stop adding timed passes after this long, even below --min-samples")
    parser.add_argument("--throughput-seconds", type=float, default=2.0, help="duration of the answers/s loop")
    parser.add_argument("--budget", type=float, default=300.0,
                        help="seconds for all runs of a knowledge base of 5,000+ intents; runs beyond it are "
                             "dropped (at least one run is always made)")
    args = parser.parse_args(argv)
    for size in args.sizes:
        if size != "shipped" and not (size.isdigit() and int(size) > 0):
            parser.error(f"--sizes: {size!r} is neither 'shipped' nor a positive number")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def loads_for(intents: int) -> int:
    if intents >= 5000:
        return 2
    if intents >= 500:
        return 5
    return 10


@contextmanager
def knowledge_folders(args: argparse.Namespace) -> Iterator[list[Case]]:
    with tempfile.TemporaryDirectory(prefix="whoswho-bench-") as tmp:
        cases: list[Case] = []
        for size in args.sizes:
            if size == "shipped":
                # A snapshot, so that every run loads the same files even if the knowledge is edited meanwhile.
                folder = Path(tmp) / "shipped"
                shutil.copytree(builtin_knowledge_dir(), folder, ignore=shutil.ignore_patterns("*.md"))
                for semantic in modes(args, 0):
                    cases.append(Case(f"shipped-{semantic}", "shipped", folder, list(FIXED_QUESTIONS),
                                      loads_per_run=10, budget_seconds=None, semantic=semantic))
                continue
            count = int(size)
            folder = Path(tmp) / f"synth-{count}"
            folder.mkdir()
            started = time.perf_counter()
            specs = generate_knowledge(folder, count, seed=args.seed)
            questions = [*FIXED_QUESTIONS, *synthetic_questions(specs, args.questions, seed=args.seed)]
            print(f"generated {count:,} intents in {folder} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
            for semantic in modes(args, count):
                cases.append(Case(f"synthetic-{count}-{semantic}", f"synthetic {count:,}", folder, questions,
                                  loads_per_run=loads_for(count),
                                  budget_seconds=args.budget if count >= 5000 else None, semantic=semantic))
        for case in cases:
            case.process = measure_process(case)
        yield cases


def modes(args: argparse.Namespace, intents: int) -> list[bool]:
    """The semantic settings to measure a knowledge base of this size with."""
    wanted = {"both": [True, False], "on": [True], "off": [False]}[args.semantic]
    return [False] if intents >= 5000 else wanted


PROBE = """
import resource, sys, time
start = time.perf_counter()
from bot import Advisor, MatchSettings
from pathlib import Path
advisor = Advisor.load(sys.argv[1], settings=MatchSettings(semantic=sys.argv[2] == "on"), cache_dir=Path(sys.argv[3]))
seconds = time.perf_counter() - start
for i in range(50):
    advisor.ask("what does an ML engineer do at Quora?" if i % 2 else "how much do data scientists earn?",
                conversation_id=str(i))
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def measure_process(case: Case) -> dict[str, float]:
    """Start-up and peak memory of a fresh process over this knowledge base (the median of three)."""
    cache = case.folder.parent / f"cache-{case.name}"
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-c", PROBE, str(case.folder), "on" if case.semantic else "off", str(cache)]
    subprocess.run(command, cwd=root, check=True, capture_output=True)  # warms the cache
    results = [tuple(map(float, subprocess.run(command, cwd=root, check=True, capture_output=True, text=True)
                         .stdout.split())) for _ in range(3)]
    return {"seconds": statistics.median(r[0] for r in results), "rss_mb": statistics.median(r[1] for r in results)}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    code = describe_code()  # before anything is measured: the code and knowledge imported and snapshotted now
    started = time.perf_counter()
    with knowledge_folders(args) as cases:
        for run in range(1, args.runs + 1):
            for case in cases:
                if case.runs_allowed is not None and len(case.runs) >= case.runs_allowed:
                    continue
                case.runs.append(run_case(case, args))
                r = case.runs[-1]
                mode = "semantic on" if case.semantic else "semantic off"
                print(f"run {run}/{args.runs} {case.label:>16} ({mode}): load {fmt(r['load_median_ms'])} ms, "
                      f"ask p50 {fmt(r['ask']['p50_ms'])} ms p99 {fmt(r['ask']['p99_ms'])} ms, "
                      f"{fmt(r['throughput']['answers_per_s'])} answers/s ({r['seconds']:.1f} s)", file=sys.stderr)
                if run == 1 and case.budget_seconds is not None:
                    case.runs_allowed = max(1, min(args.runs, int(case.budget_seconds // r["seconds"])))
                    if case.runs_allowed < args.runs:
                        print(f"  {case.label}: {case.runs_allowed} run(s) fit in the {case.budget_seconds:g} s "
                              "budget", file=sys.stderr)
        print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)
        print(report(cases, args, code))
        if args.json:
            print()
            print(json.dumps(raw_numbers(cases, args, code), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
