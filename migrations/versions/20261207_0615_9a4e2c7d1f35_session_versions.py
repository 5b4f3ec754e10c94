"""session versions: part of every session and remember-me cookie, raised to end them all

Revision ID: 9a4e2c7d1f35
Revises: 5d2f8e1a7c44
Create Date: 2026-12-07 06:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '9a4e2c7d1f35'
down_revision = '5d2f8e1a7c44'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_version')
