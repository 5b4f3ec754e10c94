"""the content stamp: a version raised by every change of published material (issue 16)

Revision ID: e1a7c3b5d9f2
Revises: d3f8a1c5e7b9
Create Date: 2026-12-07 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'e1a7c3b5d9f2'
down_revision = 'd3f8a1c5e7b9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'content_stamps',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_stamps')),
    )  # fmt: skip
    op.bulk_insert(table, [{'id': 1, 'version': 1}])


def downgrade() -> None:
    op.drop_table('content_stamps')
