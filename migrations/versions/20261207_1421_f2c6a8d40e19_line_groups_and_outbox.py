"""LINE groups and the outbox of reminders pushed to them (line_groups, line_messages)

Revision ID: f2c6a8d40e19
Revises: e5a9c3d7b214
Create Date: 2026-12-07 14:21:08.134852
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = 'f2c6a8d40e19'
down_revision = 'e5a9c3d7b214'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('line_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=8), nullable=False),
    sa.Column('zone', sa.String(length=8), nullable=True),
    sa.Column('group_id', sa.String(length=33), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_line_groups_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_groups')),
    )
    with op.batch_alter_table('line_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_groups_area_code'), ['area_code'], unique=False)

    op.create_table('line_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_pk', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=8), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('response_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=False),
    sa.Column('retry_key', sa.String(length=36), nullable=False),
    sa.Column('sent_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_line_messages_created_by_id_users')),
    sa.ForeignKeyConstraint(['group_pk'], ['line_groups.id'], name=op.f('fk_line_messages_group_pk_line_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_messages')),
    sa.UniqueConstraint('retry_key', name=op.f('uq_line_messages_retry_key'))
    )
    with op.batch_alter_table('line_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_messages_area_code'), ['area_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_messages_group_pk'), ['group_pk'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('line_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_messages_group_pk'))
        batch_op.drop_index(batch_op.f('ix_line_messages_area_code'))

    op.drop_table('line_messages')
    with op.batch_alter_table('line_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_groups_area_code'))

    op.drop_table('line_groups')
