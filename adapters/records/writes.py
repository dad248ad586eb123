"""How each kind of record other than a question is written, in the writer's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, case, delete, insert, select, update
from sqlalchemy.engine import Connection

from adapters.records.schema import escalations, questions, votes


def _click(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(
        update(questions)
        .where(and_(questions.c.id == values["id"], questions.c.clicked.is_(None)))
        .values(clicked=values["intent"], picked_after_clarify=case((questions.c.outcome == "clarify", True),
                                                                     else_=False))
    )


def _vote(connection: Connection, values: dict[str, Any]) -> None:
    # Delete then insert in the batch's transaction: an upsert every database speaks the same way.
    if connection.execute(select(questions.c.id).where(questions.c.id == values["question_id"])).first() is None:
        return  # a vote on a question already purged (or never recorded): nothing to attach it to
    connection.execute(delete(votes).where(and_(votes.c.question_id == values["question_id"],
                                                votes.c.user_hash == values["user_hash"])))
    connection.execute(insert(votes), values)


def _escalation(connection: Connection, values: dict[str, Any]) -> None:
    question = questions.c.id == values["question_id"]
    if connection.execute(select(questions.c.id).where(question)).first() is None:
        return  # a question never recorded (or purged): nothing to attach it to
    if connection.execute(select(escalations.c.question_id).where(
            escalations.c.question_id == values["question_id"])).first() is None:
        connection.execute(insert(escalations), values)


def _mentor_reply(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(
        update(escalations)
        .where(and_(escalations.c.question_id == values["question_id"], escalations.c.replied_at.is_(None)))
        .values(replied_at=values["replied_at"], mentor_hash=values["mentor_hash"], answer=values["answer"])
    )


#: The writer of each kind of operation but a question's insert.
WRITES: dict[str, Callable[[Connection, dict[str, Any]], None]] = {
    "click": _click, "vote": _vote, "escalation": _escalation, "mentor_reply": _mentor_reply,
}
