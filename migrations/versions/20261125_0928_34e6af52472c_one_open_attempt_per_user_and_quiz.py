"""one open attempt per user and quiz

Revision ID: 34e6af52472c
Revises: f17bcbdf67e6
Create Date: 2026-11-25 09:28:02.202996
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '34e6af52472c'
down_revision = 'f17bcbdf67e6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Open duplicates (from a double tap before this index) hold no answers: keep the newest.
    op.execute(
        "DELETE FROM attempts WHERE submitted_at IS NULL AND id NOT IN ("
        " SELECT keep FROM (SELECT MAX(id) AS keep FROM attempts"
        " WHERE submitted_at IS NULL GROUP BY user_id, indicator_id) AS newest)"
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index('uq_attempts_open', ['user_id', 'indicator_id'], unique=True, sqlite_where=sa.text('submitted_at IS NULL'), postgresql_where=sa.text('submitted_at IS NULL'))



def downgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_attempts_open', sqlite_where=sa.text('submitted_at IS NULL'), postgresql_where=sa.text('submitted_at IS NULL'))

