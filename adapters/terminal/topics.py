"""``whoswho topics``: the topics grouped under the headings ``help`` uses, one aligned line per topic."""

from __future__ import annotations

from bot import Intent, KnowledgeBase
from bot.tokens import ROLE_NAMES

#: The heading of each topic of the built-in knowledge, in the order ``help`` lists them; an intent about a
#: company goes under "<Company> example", a topic of another knowledge folder under its own name.
HEADINGS = {"role": "Roles", "tools": "Roles", "teamwork": "Quora example", "applications": "Quora example",
            "jobs": "Jobs", "skills": "Skills", "advice": "Advice"}
ORDER = ("Roles", "Quora example", "Jobs", "Skills", "Advice")
FIT_COMMAND = "fit"


def heading(intent: Intent) -> str:
    """The heading an intent is listed under."""
    if intent.company:
        return f"{intent.company.capitalize()} example"
    return HEADINGS.get(intent.topic or "", (intent.topic or "other").capitalize())


def path_question(role: str) -> str:
    """A question that shows the learning path towards ``role``."""
    return f"learning path to {ROLE_NAMES.get(role, role.replace('-', ' '))}"


def topic_lines(knowledge: KnowledgeBase) -> list[str]:
    """The topics under their headings, each title followed by an example question in one column; then the
    fit check and the learning paths, with what to type for them."""
    groups: dict[str, list[tuple[str, str]]] = {name: [] for name in ORDER}
    for intent in knowledge.intents:
        if intent.topic != "meta":
            groups.setdefault(heading(intent), []).append((intent.title, intent.questions[0]))
    if knowledge.fit is not None:
        questions = len(knowledge.fit.questions)
        groups[knowledge.fit.title] = [(f"{questions} quick questions on which role your interests lean towards",
                                        FIT_COMMAND)]
    if knowledge.paths:
        groups["Learning paths"] = [(path.title, path_question(role)) for role, path in sorted(knowledge.paths.items())]
    width = max(len(title) for rows in groups.values() for title, _ in rows)
    lines: list[str] = []
    for name, rows in groups.items():
        if not rows:
            continue
        if lines:
            lines.append("")
        lines.append(name)
        lines += [f"  {title:<{width}}  {'type' if example == FIT_COMMAND else 'e.g.'} \"{example}\""
                  for title, example in rows]
    return lines
