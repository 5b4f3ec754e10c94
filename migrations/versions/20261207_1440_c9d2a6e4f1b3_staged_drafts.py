"""staged drafts of published FAQ cards and questions (faq_cards.draft, questions.draft)

Revision ID: c9d2a6e4f1b3
Revises: b7e1f4c2d9a8
Create Date: 2026-12-07 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c9d2a6e4f1b3'
down_revision = 'b7e1f4c2d9a8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('faq_cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('draft')
    with op.batch_alter_table('faq_cards', schema=None) as batch_op:
        batch_op.drop_column('draft')
