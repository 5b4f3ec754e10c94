"""stored per-village counts of registered and ready volunteers (issue 16: national pages)

Revision ID: d3f8a1c5e7b9
Revises: c9d2a6e4f1b3
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'd3f8a1c5e7b9'
down_revision = 'c9d2a6e4f1b3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'village_volunteer_counts',
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('registered', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['village_id'], ['villages.id'],
                                name=op.f('fk_village_volunteer_counts_village_id_villages')),
        sa.PrimaryKeyConstraint('village_id', name=op.f('pk_village_volunteer_counts')),
    )  # fmt: skip
    op.create_table(
        'village_ready_counts',
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('ready', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['training_plans.id'],
                                name=op.f('fk_village_ready_counts_plan_id_training_plans')),
        sa.ForeignKeyConstraint(['village_id'], ['villages.id'],
                                name=op.f('fk_village_ready_counts_village_id_villages')),
        sa.PrimaryKeyConstraint('plan_id', 'village_id', name=op.f('pk_village_ready_counts')),
    )  # fmt: skip
    # The counts of the data already there (app/readiness/counts.py keeps them from now on).
    op.execute(
        "INSERT INTO village_volunteer_counts (village_id, registered) "
        "SELECT village_id, count(id) FROM users WHERE role = 'volunteer' "
        "AND erased_at IS NULL AND village_id IS NOT NULL GROUP BY village_id"
    )
    op.execute(
        "INSERT INTO village_ready_counts (plan_id, village_id, ready) "
        "SELECT readiness.plan_id, users.village_id, count(readiness.id) FROM readiness "
        "JOIN users ON users.id = readiness.user_id WHERE users.role = 'volunteer' "
        "AND users.erased_at IS NULL AND users.village_id IS NOT NULL "
        "GROUP BY readiness.plan_id, users.village_id"
    )


def downgrade() -> None:
    op.drop_table('village_ready_counts')
    op.drop_table('village_volunteer_counts')
