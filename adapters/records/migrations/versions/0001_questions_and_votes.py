"""The questions and votes tables, as adapters/records/schema.py defines them.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("user_hash", sa.String(64), nullable=False),
        sa.Column("channel_hash", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("intent", sa.String(120), nullable=True),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("runner_up", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("clicked", sa.String(120), nullable=True),
        sa.Column("picked_after_clarify", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_questions_at", "questions", ["at"])
    op.create_index("ix_questions_outcome", "questions", ["outcome"])
    op.create_table(
        "votes",
        sa.Column("question_id", sa.String(36), sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_hash", sa.String(64), primary_key=True),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("votes")
    op.drop_index("ix_questions_outcome", "questions")
    op.drop_index("ix_questions_at", "questions")
    op.drop_table("questions")
