"""one shown clip per indicator (uq_clips_shown: a partial unique index on published clips)

Revision ID: b7e1f4c2d9a8
Revises: b7e4d2a9c815
Create Date: 2026-12-07 14:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'b7e1f4c2d9a8'
down_revision = 'b7e4d2a9c815'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Keep published only the clip each lesson showed so far (the first ready published one
    # by position, then id); the others go back to draft.
    clips = sa.table(
        'clips',
        sa.column('id', sa.Integer),
        sa.column('indicator_id', sa.Integer),
        sa.column('published', sa.Boolean),
        sa.column('state', sa.String),
        sa.column('position', sa.Integer),
    )
    shown = clips.alias('shown')
    keep = (
        sa.select(shown.c.id)
        .where(
            shown.c.indicator_id == clips.c.indicator_id,
            shown.c.published == sa.true(),
            shown.c.state == 'ready',
        )
        .order_by(shown.c.position, shown.c.id)
        .limit(1)
        .scalar_subquery()
    )
    op.execute(
        sa.update(clips)
        .where(clips.c.published == sa.true(), sa.func.coalesce(keep, -1) != clips.c.id)
        .values(published=False)
    )
    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.create_index(
            'uq_clips_shown',
            ['indicator_id'],
            unique=True,
            sqlite_where=sa.text('published'),
            postgresql_where=sa.text('published'),
        )


def downgrade() -> None:
    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.drop_index('uq_clips_shown')
