"""one-time activation codes for accounts officers register (users.activation_hash,
users.activation_expires_at)

Revision ID: a7c3e1f90b52
Revises: 9b4e2c7a1d58
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = 'a7c3e1f90b52'
down_revision = '9b4e2c7a1d58'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('activation_hash', sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column('activation_expires_at', app.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('activation_expires_at')
        batch.drop_column('activation_hash')
