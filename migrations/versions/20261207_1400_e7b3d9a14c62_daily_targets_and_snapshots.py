"""daily targets: training_plans.deadline and target_profile, area_daily_snapshots

Revision ID: e7b3d9a14c62
Revises: e5a9c3d71b24
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = 'e7b3d9a14c62'
down_revision = 'e5a9c3d71b24'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('training_plans') as batch:
        batch.add_column(sa.Column('deadline', sa.Date(), nullable=True))
        batch.add_column(sa.Column('target_profile', sa.JSON(), nullable=True))
    op.create_table(
        'area_daily_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=12), nullable=False),
        sa.Column('code', sa.String(length=8), nullable=False),
        sa.Column('registered', sa.Integer(), nullable=False),
        sa.Column('ready', sa.Integer(), nullable=False),
        sa.Column('counted', sa.Integer(), nullable=False),
        sa.Column('need', sa.Integer(), nullable=False),
        sa.Column('target', sa.Integer(), nullable=True),
        sa.Column('taken_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['training_plans.id'], name=op.f('fk_area_daily_snapshots_plan_id_training_plans')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_area_daily_snapshots')),
        sa.UniqueConstraint('day', 'plan_id', 'level', 'code', name=op.f('uq_area_daily_snapshots_day_plan_id_level_code')),
    )
    op.create_index(op.f('ix_area_daily_snapshots_plan_id'), 'area_daily_snapshots', ['plan_id'])
    op.create_index(op.f('ix_area_daily_snapshots_code'), 'area_daily_snapshots', ['code'])


def downgrade() -> None:
    op.drop_index(op.f('ix_area_daily_snapshots_code'), table_name='area_daily_snapshots')
    op.drop_index(op.f('ix_area_daily_snapshots_plan_id'), table_name='area_daily_snapshots')
    op.drop_table('area_daily_snapshots')
    with op.batch_alter_table('training_plans') as batch:
        batch.drop_column('target_profile')
        batch.drop_column('deadline')
