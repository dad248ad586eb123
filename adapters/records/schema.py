"""The tables of recorded questions, votes and escalations to mentors (created and changed through Alembic
migrations)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

#: One row per question a user asked on any platform.
questions = Table(
    "questions",
    metadata,
    Column("id", String(36), primary_key=True),  # a uuid4, also carried by the vote buttons
    Column("at", DateTime(timezone=True), nullable=False),  # UTC
    Column("platform", String(16), nullable=False),  # terminal, slack, discord
    Column("user_hash", String(64), nullable=False),  # salted SHA-256 of the platform's user id
    Column("channel_hash", String(64), nullable=False),  # salted SHA-256 of the channel/conversation
    Column("outcome", String(16), nullable=False),  # answer, clarify, fallback
    Column("intent", String(120), nullable=True),  # the answering intent, None unless outcome is answer
    Column("confidence", Float, nullable=False),
    Column("runner_up", JSON, nullable=False),  # list of the next best intent ids, best first
    Column("text", Text, nullable=True),  # None when WHOSWHO_STORE_QUESTIONS=0
    Column("clicked", String(120), nullable=True),  # the suggestion (intent id) the user clicked next
    Column("picked_after_clarify", Boolean, nullable=False, default=False),  # clicked one of a clarify's choices
    Index("ix_questions_at", "at"),
    Index("ix_questions_outcome", "outcome"),
)

#: One row per person and question: a second vote replaces the first.
votes = Table(
    "votes",
    metadata,
    Column("question_id", String(36), ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_hash", String(64), primary_key=True),
    Column("helpful", Boolean, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

#: One row per question taken to the mentors (at most one each), with the first mentor's reply once there is one.
escalations = Table(
    "escalations",
    metadata,
    Column("question_id", String(36), ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),  # UTC, when it was posted in the mentor channel
    Column("reason", String(32), nullable=False),  # no answer, voted Not helpful
    Column("replied_at", DateTime(timezone=True), nullable=True),  # the first mentor's reply, None before it
    Column("mentor_hash", String(64), nullable=True),  # salted SHA-256 of the mentor's platform user id
    Column("answer", Text, nullable=True),  # the mentor's reply; None when WHOSWHO_STORE_QUESTIONS=0
    Index("ix_escalations_replied_at", "replied_at"),
)
