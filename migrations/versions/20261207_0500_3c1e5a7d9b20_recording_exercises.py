"""recording exercises: a question of type "record" keeps its questionnaire items and the
indicator's result in questions.record

Revision ID: 3c1e5a7d9b20
Revises: 98ba5848075f
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '3c1e5a7d9b20'
down_revision = '98ba5848075f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('questions') as batch:
        batch.add_column(sa.Column('record', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('questions') as batch:
        batch.drop_column('record')
