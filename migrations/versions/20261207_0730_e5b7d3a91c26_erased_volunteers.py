"""users.erased_at: when an admin erased the person's data (PDPA)

Revision ID: e5b7d3a91c26
Revises: c4d8e2f61a37
Create Date: 2026-12-07 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = 'e5b7d3a91c26'
down_revision = 'c4d8e2f61a37'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('erased_at', app.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('erased_at')
