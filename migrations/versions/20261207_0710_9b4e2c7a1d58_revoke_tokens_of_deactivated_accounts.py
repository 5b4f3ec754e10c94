"""revoke the API tokens of accounts that are deactivated now (data only): from now on
deactivation revokes them, so a later reactivation must not bring these back either

Revision ID: 9b4e2c7a1d58
Revises: 9a4e2c7d1f35
Create Date: 2026-12-07 07:10:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '9b4e2c7a1d58'
down_revision = '9a4e2c7d1f35'
branch_labels = None
depends_on = None

users = sa.table('users', sa.column('id', sa.Integer), sa.column('active', sa.Boolean))
api_tokens = sa.table(
    'api_tokens',
    sa.column('user_id', sa.Integer),
    sa.column('revoked_at', sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    inactive = sa.select(users.c.id).where(users.c.active == sa.false())
    op.execute(
        api_tokens.update()
        .where(api_tokens.c.revoked_at.is_(None), api_tokens.c.user_id.in_(inactive))
        .values(revoked_at=datetime.now(UTC))
    )


def downgrade() -> None:
    """Nothing to undo: which tokens were revoked here is not recorded (and should stay so)."""
