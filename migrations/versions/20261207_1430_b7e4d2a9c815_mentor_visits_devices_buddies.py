"""mentor visits, volunteers' devices and buddy pairs (mentor_visits, volunteer_devices,
buddy_pairs)

Revision ID: b7e4d2a9c815
Revises: f2c6a8d40e19
Create Date: 2026-12-07 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = 'b7e4d2a9c815'
down_revision = 'f2c6a8d40e19'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'mentor_visits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=True),
        sa.Column('visited_on', sa.Date(), nullable=False),
        sa.Column('helped_learn', sa.Boolean(), nullable=False),
        sa.Column('checked_device', sa.Boolean(), nullable=False),
        sa.Column('paired_buddy', sa.Boolean(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_mentor_visits_officer_id_users')),
        sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_mentor_visits_village_id_villages')),
        sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_mentor_visits_volunteer_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_visits')),
    )
    op.create_index(op.f('ix_mentor_visits_officer_id'), 'mentor_visits', ['officer_id'])
    op.create_index(op.f('ix_mentor_visits_village_id'), 'mentor_visits', ['village_id'])
    op.create_index(op.f('ix_mentor_visits_volunteer_id'), 'mentor_visits', ['volunteer_id'])
    op.create_table(
        'volunteer_devices',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('checked_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('browser', sa.String(length=40), nullable=True),
        sa.Column('free_mb', sa.Integer(), nullable=True),
        sa.Column('offline_ok', sa.Boolean(), nullable=True),
        sa.Column('check_ok', sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_volunteer_devices_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_volunteer_devices')),
    )
    op.create_table(
        'buddy_pairs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('paired_by_id', sa.Integer(), nullable=True),
        sa.Column('paired_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['users.id'], name=op.f('fk_buddy_pairs_learner_id_users')),
        sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_buddy_pairs_mentor_id_users')),
        sa.ForeignKeyConstraint(['paired_by_id'], ['users.id'], name=op.f('fk_buddy_pairs_paired_by_id_users')),
        sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_buddy_pairs_village_id_villages')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_pairs')),
        sa.UniqueConstraint('learner_id', name=op.f('uq_buddy_pairs_learner_id')),
        sa.UniqueConstraint('mentor_id', name=op.f('uq_buddy_pairs_mentor_id')),
    )
    op.create_index(op.f('ix_buddy_pairs_village_id'), 'buddy_pairs', ['village_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_buddy_pairs_village_id'), table_name='buddy_pairs')
    op.drop_table('buddy_pairs')
    op.drop_table('volunteer_devices')
    op.drop_index(op.f('ix_mentor_visits_volunteer_id'), table_name='mentor_visits')
    op.drop_index(op.f('ix_mentor_visits_village_id'), table_name='mentor_visits')
    op.drop_index(op.f('ix_mentor_visits_officer_id'), table_name='mentor_visits')
    op.drop_table('mentor_visits')
