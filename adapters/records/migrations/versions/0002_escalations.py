"""The escalations table: questions taken to the mentors, and the first mentor's reply.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "escalations",
        sa.Column("question_id", sa.String(36), sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mentor_hash", sa.String(64), nullable=True),
        sa.Column("answer", sa.Text, nullable=True),
    )
    op.create_index("ix_escalations_replied_at", "escalations", ["replied_at"])


def downgrade() -> None:
    op.drop_index("ix_escalations_replied_at", "escalations")
    op.drop_table("escalations")
