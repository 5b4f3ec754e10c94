"""volunteers' questions and the zone support teams (support_questions, support_team_members)

Revision ID: e5a9c3d71b24
Revises: e5b7d3a91c26
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = 'e5a9c3d71b24'
down_revision = 'e5b7d3a91c26'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'support_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('asker_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('request_key', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('photo_key', sa.String(length=80), nullable=True),
        sa.Column('zone', sa.String(length=16), nullable=False),
        sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('seen_by_asker_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('faq_card_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_support_questions_answered_by_id_users')),
        sa.ForeignKeyConstraint(['asker_id'], ['users.id'], name=op.f('fk_support_questions_asker_id_users')),
        sa.ForeignKeyConstraint(['faq_card_id'], ['faq_cards.id'], name=op.f('fk_support_questions_faq_card_id_faq_cards')),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_support_questions_indicator_id_indicators')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_support_questions')),
        sa.UniqueConstraint('asker_id', 'request_key', name=op.f('uq_support_questions_asker_id_request_key')),
    )
    op.create_index(op.f('ix_support_questions_asker_id'), 'support_questions', ['asker_id'])
    op.create_index(op.f('ix_support_questions_indicator_id'), 'support_questions', ['indicator_id'])
    op.create_index('ix_support_questions_zone_status_created', 'support_questions', ['zone', 'status', 'created_at'])
    op.create_table(
        'support_team_members',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('zone', sa.String(length=16), nullable=False),
        sa.Column('added_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_support_team_members_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', 'zone', name=op.f('pk_support_team_members')),
    )


def downgrade() -> None:
    op.drop_table('support_team_members')
    op.drop_index('ix_support_questions_zone_status_created', table_name='support_questions')
    op.drop_index(op.f('ix_support_questions_indicator_id'), table_name='support_questions')
    op.drop_index(op.f('ix_support_questions_asker_id'), table_name='support_questions')
    op.drop_table('support_questions')
