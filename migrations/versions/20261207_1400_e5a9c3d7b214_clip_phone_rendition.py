"""clips: the phone rendition (phone_path, phone_size) volunteers play by default

Existing clips get theirs from `flask media process-pending`, which also remakes their
low-data versions (made before renditions were stripped of the original's metadata).

Revision ID: e5a9c3d7b214
Revises: e7b3d9a14c62
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'e5a9c3d7b214'
down_revision = 'e7b3d9a14c62'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_path', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('phone_size', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.drop_column('phone_size')
        batch_op.drop_column('phone_path')
