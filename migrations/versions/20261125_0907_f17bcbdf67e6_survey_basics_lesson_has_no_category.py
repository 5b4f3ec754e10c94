"""survey basics lesson has no category

Revision ID: f17bcbdf67e6
Revises: 45f0c37098fc
Create Date: 2026-11-25 09:07:21.145465
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = 'f17bcbdf67e6'
down_revision = '45f0c37098fc'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.alter_column('category_number',
               existing_type=sa.INTEGER(),
               nullable=True)



def downgrade() -> None:
    basics = op.get_bind().execute(
        sa.text("SELECT count(*) FROM indicators WHERE category_number IS NULL")
    ).scalar()
    if basics:
        raise RuntimeError(
            "cannot downgrade: the survey basics lesson (indicator 0) has no category; "
            "delete it and its questions and attempts first"
        )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.alter_column('category_number',
               existing_type=sa.INTEGER(),
               nullable=False)

