"""The first lines of the terminal chat: what to type, the fit check and the learning paths, and where the
questions are recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.terminal.topics import FIT_COMMAND, path_question
from bot import KnowledgeBase

if TYPE_CHECKING:
    from adapters.records import Records

BANNER = (
    "whoswho: ask about data scientists and machine-learning engineers.\n"
    "Type a question, a number to pick a suggestion, + or - to say whether the last answer helped, "
    "'help' for the topics, or 'quit' to leave."
)
#: The setting that keeps the words of the questions out of the records.
STORE_QUESTIONS = "WHOSWHO_STORE_QUESTIONS"


def _where(url: str) -> str:
    """Where a records database is, as a person reads it: a SQLite file's path, else the URL without a password."""
    from sqlalchemy.engine import make_url  # only with records, which load SQLAlchemy anyway

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return parsed.database
    return parsed.render_as_string(hide_password=True)


def banner(knowledge: KnowledgeBase, records: Records | None) -> str:
    """What the chat prints first: what to type, the fit check and the learning paths, and where the
    questions are recorded and how to keep their words out of the records."""
    lines = [BANNER]
    if knowledge.fit is not None:
        lines.append(f"Type '{FIT_COMMAND}' for the {knowledge.fit.title.lower()}: {len(knowledge.fit.questions)} "
                     "quick questions on which role suits you.")
    if knowledge.paths:
        paths = " or ".join(f"'{path_question(role)}'" for role in sorted(knowledge.paths))
        lines.append(f"Type {paths} for a step-by-step learning path.")
    if records is None:
        lines.append("Questions are not recorded in this chat.")
    elif records.settings.store_questions:
        lines.append(f"Questions are recorded in {_where(records.settings.database_url)} for the people who curate "
                     f"the answers; start whoswho with {STORE_QUESTIONS}=0 to record them without their words.")
    else:
        lines.append(f"Questions are recorded in {_where(records.settings.database_url)} without their words "
                     f"({STORE_QUESTIONS}=0).")
    return "\n".join(lines)
