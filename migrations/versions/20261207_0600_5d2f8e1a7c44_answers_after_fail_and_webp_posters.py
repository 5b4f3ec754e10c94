"""answers after a failed quiz per plan (training_plans.show_answers_after_fail) and a WebP
poster beside each clip's JPEG one (clips.poster_webp_path)

Revision ID: 5d2f8e1a7c44
Revises: 7f2d4c1b8e63
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '5d2f8e1a7c44'
down_revision = '7f2d4c1b8e63'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('training_plans') as batch:
        batch.add_column(
            sa.Column(
                'show_answers_after_fail', sa.Boolean(), nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table('clips') as batch:
        batch.add_column(sa.Column('poster_webp_path', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('clips') as batch:
        batch.drop_column('poster_webp_path')
    with op.batch_alter_table('training_plans') as batch:
        batch.drop_column('show_answers_after_fail')
