"""Validating the parts of a knowledge base once every file is read, and building its values with the
:class:`~bot.checker.Checker`."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from bot.checker import ID, Checker, part
from bot.errors import KnowledgeIssue
from bot.knowledge import (
    LEANS,
    NO_LEAN,
    RESULTS,
    FitCheck,
    FitOption,
    FitQuestion,
    FitResult,
    Intent,
    LearningPath,
    NextSkill,
    OutsideTopic,
    PathStep,
    TextLimits,
)
from bot.reply import parse_blocks
from bot.tokens import BOTH, ROLES

INTENT_FIELDS = {"id", "title", "topic", "role", "company", "questions", "answer", "sources", "related"}
OUTSIDE_FIELDS = {"id", "title", "answer", "questions", "related"}
FIT_FIELDS = {"title", "intro", "caveat", "start", "stop", "restart", "offered_with", "balanced_below", "clear_from",
              "expire_minutes", "questions", "results"}
FIT_QUESTION_FIELDS = {"id", "text", "why", "options", "sources"}
FIT_OPTION_FIELDS = {"key", "label", "lean", "weight", "reason"}
FIT_RESULT_FIELDS = {"title", "summary", "next_skills", "related", "sources", "path"}
NEXT_SKILL_FIELDS = {"text", "intent"}
PATH_FIELDS = {"role", "title", "intro", "offer", "steps", "sources", "offered_with"}
STEP_FIELDS = {"skill", "means", "practise", "intent"}
#: How many questions a fit check asks, options each question offers, and steps a learning path has.
FIT_QUESTIONS, FIT_OPTIONS, PATH_STEPS = (2, 10), (2, 5), (2, 10)
#: The most an option's answer counts towards its role.
MAX_WEIGHT = 3
#: The longest a fit check may wait for its next answer.
MAX_EXPIRE_MINUTES = 24 * 60
_OPTION_KEY = re.compile(r"^[a-z0-9-]+$")


def build_intent(check: Checker, raw: Mapping[str, Any], limits: TextLimits) -> Intent | None:
    """The intent ``raw`` describes, or ``None`` when it has problems."""
    intent_id: str = raw["id"]
    check.fields(raw, INTENT_FIELDS)
    title = check.text(raw, "title", limit=limits.title)
    questions = check.questions(raw)
    answer = check.markdown(raw, "answer", limit=limits.answer)
    role = check.choice(raw, "role", (*ROLES, BOTH), optional=True)
    topic, company = check.word(raw, "topic"), check.word(raw, "company")
    # Small talk ("hello", "thanks") says it cites nothing with an empty list.
    sources = check.sources(raw, required=topic != "meta")
    related = check.intent_ids(raw, "related", itself=intent_id)
    if not check.ok:
        return None
    return Intent(id=intent_id, title=title, questions=questions, answer=parse_blocks(answer), sources=sources,
                  related=related, topic=topic, role=role, company=company, file=check.file)


def build_outside(check: Checker, raw: Mapping[str, Any], limits: TextLimits) -> OutsideTopic | None:
    """The near-domain topic ``raw`` describes, or ``None`` when it has problems."""
    topic_id: str = raw["id"]
    check.fields(raw, OUTSIDE_FIELDS)
    if topic_id in check.intents:
        check.bad("id", "is also the id of an intent")
    title = check.text(raw, "title", limit=limits.title)
    answer = check.markdown(raw, "answer", limit=limits.answer)
    questions = check.questions(raw)
    related = check.intent_ids(raw, "related")
    if not check.ok:
        return None
    return OutsideTopic(id=topic_id, title=title, questions=questions, answer=parse_blocks(answer), related=related,
                        file=check.file)


def build_path(check: Checker, raw: Mapping[str, Any], limits: TextLimits) -> LearningPath | None:
    """The learning path ``raw`` describes, or ``None`` when it has problems."""
    role: str = raw["role"]
    check.fields(raw, PATH_FIELDS)
    title = check.text(raw, "title", limit=limits.title)
    intro = check.text(raw, "intro")
    offer = check.text(raw, "offer", limit=limits.label)
    offered_with = check.intent_ids(raw, "offered_with")
    sources = check.sources(raw)
    steps: list[PathStep] = []
    for name, raw_step in check.mappings(raw, "steps", known=STEP_FIELDS, count=PATH_STEPS, noun="steps",
                                         each=lambda number: f"path {role!r}, step #{number}"):
        intent = raw_step.get("intent")
        if intent is not None:
            check.intent_id(intent, "intent", item=name)
        steps.append(PathStep(skill=check.text(raw_step, "skill", item=name),
                              means=check.text(raw_step, "means", item=name),
                              practise=check.text(raw_step, "practise", item=name), intent=intent))
    total = len(intro) + sum(len(s.skill) + len(s.means) + len(s.practise) + 20 for s in steps)
    if limits.answer is not None and total > limits.answer:
        check.bad("steps", f"the path is {total} characters; the limit is {limits.answer}")
    if not check.ok:
        return None
    return LearningPath(role=role, title=title, intro=intro, offer=offer, steps=tuple(steps), sources=sources,
                        offered_with=offered_with)


def build_fit(check: Checker, raw: Any, limits: TextLimits, paths: Collection[str]) -> FitCheck | None:
    """The fit check ``raw`` describes, or ``None`` when it has problems; ``paths`` are the learning
    paths' roles its results may offer."""
    if not isinstance(raw, dict):
        check.bad("fit", "must be a mapping with title, intro, questions and results")
        return None
    check.fields(raw, FIT_FIELDS)
    title = check.text(raw, "title", limit=part(limits.title, 2))  # "<title>: question 3 of 5"
    intro, caveat = check.text(raw, "intro"), check.text(raw, "caveat")
    start, stop, restart = (check.phrases(raw, key) for key in ("start", "stop", "restart"))
    offered_with = check.intent_ids(raw, "offered_with")
    balanced_below = check.number(raw, "balanced_below", 0.0, 1.0)
    clear_from = check.number(raw, "clear_from", 0.0, 1.0)
    if clear_from < balanced_below:
        check.bad("clear_from", "must not be below balanced_below")
    expire_minutes = check.number(raw, "expire_minutes", 1, MAX_EXPIRE_MINUTES)
    entries = check.mappings(raw, "questions", known=FIT_QUESTION_FIELDS, count=FIT_QUESTIONS, noun="questions",
                             each=lambda number: f"fit question #{number}")
    questions = tuple(_fit_question(check, name, raw_question, limits) for name, raw_question in entries)
    seen: set[str] = set()
    for (name, _), question in zip(entries, questions):
        if question.id in seen:
            check.bad("id", "must be a unique lowercase word, like 'strength'", item=name)
        seen.add(question.id or name)
    results = _fit_results(check, raw.get("results"), limits, paths)
    if not check.ok:
        return None
    return FitCheck(title=title, intro=intro, questions=questions, results=results, start_phrases=start,
                    stop_phrases=stop, restart_phrases=restart, offered_with=offered_with,
                    balanced_below=balanced_below, clear_from=clear_from, expire_seconds=expire_minutes * 60,
                    caveat=caveat)


def _fit_question(check: Checker, name: str, raw: Mapping[str, Any], limits: TextLimits) -> FitQuestion:
    question_id = raw.get("id")
    if isinstance(question_id, str) and ID.match(question_id):
        name = f"fit question {question_id!r}"
    else:
        check.bad("id", "must be a unique lowercase word, like 'strength'", item=name)
        question_id = ""
    text = check.text(raw, "text", item=name, limit=part(limits.answer, 4))
    why = check.text(raw, "why", item=name, limit=part(limits.answer, 4))
    sources = check.sources(raw, item=name)
    options: list[FitOption] = []
    keys: set[str] = set()
    for where, raw_option in check.mappings(raw, "options", known=FIT_OPTION_FIELDS, count=FIT_OPTIONS,
                                            noun="options", item=name, each=lambda number: f"{name}, option #{number}"):
        key = raw_option.get("key")
        if not (isinstance(key, str) and _OPTION_KEY.match(key)) or key in keys:
            check.bad("key", "must be a unique short lowercase key, like 'a'", item=where)
            key = ""
        keys.add(key)
        label = check.text(raw_option, "label", item=where, limit=limits.label)
        reason = check.text(raw_option, "reason", item=where, limit=part(limits.answer, 6))
        lean = check.choice(raw_option, "lean", LEANS, item=where)
        weight = check.number(raw_option, "weight", 0, MAX_WEIGHT, item=where)
        if lean == NO_LEAN and weight:
            check.bad("weight", "must be 0 for an option that leans to neither role", item=where)
        options.append(FitOption(key=key, label=label, lean=str(lean), weight=int(weight), reason=reason))
    return FitQuestion(id=question_id, text=text, why=why, options=tuple(options), sources=sources)


def _fit_results(check: Checker, raw: Any, limits: TextLimits, paths: Collection[str]) -> dict[str, FitResult]:
    if not isinstance(raw, dict):
        check.bad("results", f"must map each of {', '.join(RESULTS)} to its texts")
        raw = {}
    results: dict[str, FitResult] = {}
    for outcome in RESULTS:
        result = _fit_result(check, f"fit result {outcome!r}", raw.get(outcome), limits, paths)
        if result is not None:
            results[outcome] = result
    for extra in set(raw) - set(RESULTS):
        check.bad("results", f"has an unknown outcome {extra!r} (expected {', '.join(RESULTS)})")
    return results


def _fit_result(check: Checker, name: str, raw: Any, limits: TextLimits, paths: Collection[str]) -> FitResult | None:
    if not isinstance(raw, dict):
        check.bad("results", "is missing", item=name)
        return None
    check.fields(raw, FIT_RESULT_FIELDS, item=name)
    skills: list[NextSkill] = []
    # A next skill's problems are the result's: a curator reads the result's list of skills as one field.
    for _, raw_skill in check.mappings(raw, "next_skills", known=NEXT_SKILL_FIELDS, count=(1, None), item=name,
                                       noun="skills to build next, each {text, intent}", each=lambda _: name):
        text = check.text(raw_skill, "text", item=name)
        intent = raw_skill.get("intent")
        if check.intent_id(intent, "next_skills", item=name):
            skills.append(NextSkill(text=text, intent=str(intent)))
    path = raw.get("path")
    if path is not None and path not in paths:
        check.bad("path", f"names {path!r}, which is not a learning path's role", item=name)
    return FitResult(
        title=check.text(raw, "title", item=name, limit=limits.title),
        summary=check.text(raw, "summary", item=name, limit=part(limits.answer, 3)),
        next_skills=tuple(skills), related=check.intent_ids(raw, "related", item=name),
        sources=check.sources(raw, item=name), path=path,
    )


def check_unique_questions(issues: list[KnowledgeIssue], items: Iterable[Intent | OutsideTopic]) -> None:
    """Report a phrasing (compared as lowercase words) listed by two intents or topics, at the second."""
    owners: dict[str, str] = {}
    for item in items:
        for question in item.questions:
            owner = owners.setdefault(" ".join(re.findall(r"\w+", question.casefold())), item.id)
            if owner != item.id:
                Checker(issues, item.file, item.id).bad("questions", f"{question!r} is also a question of {owner!r}")


def check_links(issues: list[KnowledgeIssue], intents: Iterable[Intent], paths: Mapping[str, LearningPath],
                fit: FitCheck | None, files: Mapping[str, str]) -> None:
    """Every link names an intent on a fitting topic: a learning-path step or a fit result's next skill
    names a ``skills`` intent, and a link made for one role (its path, its fit result) names an intent
    about that role, both roles or neither. An intent about one role links to the other role's intents
    only on its own topic, as "what a data scientist does" links to "what an ML engineer does".

    ``files`` names the file of each path (by role) and of the fit check (``"fit"``)."""
    by_id = {intent.id: intent for intent in intents}

    def check(file: str, item: str, field: str, target_id: str, *, role: str, skill: bool) -> None:
        target = by_id.get(target_id)
        if target is None:
            return  # an unknown id is reported where it is read
        report = Checker(issues, file, item)
        if skill and target.topic != "skills":
            report.bad(field, f"names {target_id!r}, whose topic is {target.topic!r}; a skill to learn names an "
                       "intent on the 'skills' topic")
        if role in ROLES and target.role in ROLES and target.role != role:
            report.bad(field, f"names {target_id!r}, which is about the {target.role} role; a link for the {role} "
                       "role names an intent about that role, both roles or neither")

    for role, path in paths.items():
        for number, step in enumerate(path.steps, start=1):
            if step.intent is not None:
                check(files[role], f"path {role!r}, step #{number}", "intent", step.intent, role=role, skill=True)
    for outcome, result in fit.results.items() if fit is not None else ():
        for next_skill in result.next_skills:
            check(files["fit"], f"fit result {outcome!r}", "next_skills", next_skill.intent, role=outcome, skill=True)
        for intent_id in result.related:
            check(files["fit"], f"fit result {outcome!r}", "related", intent_id, role=outcome, skill=False)
    for intent in by_id.values():
        for target_id in intent.related:
            target = by_id.get(target_id)
            if target is not None and intent.role in ROLES and target.role in ROLES \
                    and target.role != intent.role and target.topic != intent.topic:
                Checker(issues, intent.file, intent.id).bad(
                    "related", f"names {target_id!r}, about the {target.role} role on the {target.topic!r} topic; "
                    f"an intent about the {intent.role} role links to the other role only on its own topic "
                    f"({intent.topic!r})")
