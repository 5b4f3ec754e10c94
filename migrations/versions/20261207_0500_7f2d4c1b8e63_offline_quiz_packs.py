"""offline quiz packs: signed draws handed to a phone, and the phone's id of an attempt

Revision ID: 7f2d4c1b8e63
Revises: 3c1e5a7d9b20
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

revision = '7f2d4c1b8e63'
down_revision = '3c1e5a7d9b20'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attempts') as batch:
        batch.add_column(sa.Column('client_id', sa.String(length=36), nullable=True))
        batch.create_unique_constraint(batch.f('uq_attempts_client_id'), ['client_id'])
    op.create_table('quiz_packs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('draw', sa.JSON(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column("issued_at", UTCDateTime(timezone=True), nullable=False),
    sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_quiz_packs_attempt_id_attempts')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_quiz_packs_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_packs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_packs')),
    sa.UniqueConstraint('attempt_id', name=op.f('uq_quiz_packs_attempt_id'))
    )
    op.create_index(op.f('ix_quiz_packs_user_id'), 'quiz_packs', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_quiz_packs_user_id'), table_name='quiz_packs')
    op.drop_table('quiz_packs')
    with op.batch_alter_table('attempts') as batch:
        batch.drop_constraint(batch.f('uq_attempts_client_id'), type_='unique')
        batch.drop_column('client_id')
