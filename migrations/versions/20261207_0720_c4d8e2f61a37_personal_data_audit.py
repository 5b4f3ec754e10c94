"""the personal-data audit trail (personal_data_events, personal_data_subjects)

Revision ID: c4d8e2f61a37
Revises: a7c3e1f90b52
Create Date: 2026-12-07 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = 'c4d8e2f61a37'
down_revision = 'a7c3e1f90b52'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'personal_data_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('area_code', sa.String(length=8), nullable=True),
        sa.Column('subject_count', sa.Integer(), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_personal_data_events_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_events')),
    )
    op.create_index(op.f('ix_personal_data_events_at'), 'personal_data_events', ['at'])
    op.create_index(op.f('ix_personal_data_events_actor_id'), 'personal_data_events', ['actor_id'])
    op.create_index(op.f('ix_personal_data_events_action'), 'personal_data_events', ['action'])
    op.create_table(
        'personal_data_subjects',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['personal_data_events.id'], name=op.f('fk_personal_data_subjects_event_id_personal_data_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personal_data_subjects_user_id_users')),
        sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_personal_data_subjects')),
    )
    op.create_index(op.f('ix_personal_data_subjects_user_id'), 'personal_data_subjects', ['user_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_personal_data_subjects_user_id'), table_name='personal_data_subjects')
    op.drop_table('personal_data_subjects')
    op.drop_index(op.f('ix_personal_data_events_action'), table_name='personal_data_events')
    op.drop_index(op.f('ix_personal_data_events_actor_id'), table_name='personal_data_events')
    op.drop_index(op.f('ix_personal_data_events_at'), table_name='personal_data_events')
    op.drop_table('personal_data_events')
