"""recording items per indicator: how each carried-over indicator is recorded on the
2560-2564 questionnaire (content/indicators/NN/recording.yaml)

Revision ID: 98ba5848075f
Revises: d0db7a76cc6d
Create Date: 2026-12-07 02:35:25.388512
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '98ba5848075f'
down_revision = 'd0db7a76cc6d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('edition', sa.String(length=20), nullable=False),
    sa.Column('number_2560', sa.Integer(), nullable=False),
    sa.Column('title_2560', sa.String(length=300), nullable=False),
    sa.Column('pass_rule_th', sa.Text(), nullable=False),
    sa.Column('not_assessed_th', sa.Text(), nullable=False),
    sa.Column('mistakes_th', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_recordings_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recordings')),
    sa.UniqueConstraint('indicator_id', name=op.f('uq_recordings_indicator_id'))
    )
    op.create_table('recording_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recording_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('question_th', sa.Text(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('skip_rule_th', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['recording_id'], ['recordings.id'], name=op.f('fk_recording_items_recording_id_recordings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recording_items')),
    sa.UniqueConstraint('recording_id', 'label', name=op.f('uq_recording_items_recording_id_label'))
    )
    with op.batch_alter_table('recording_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recording_items_recording_id'), ['recording_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('recording_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recording_items_recording_id'))

    op.drop_table('recording_items')
    op.drop_table('recordings')
