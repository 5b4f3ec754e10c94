"""Fixtures of the quiz tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def volunteer(client, make_user, login) -> int:
    """A logged-in volunteer's user id."""
    user_id = make_user()
    login(client, user_id)
    return user_id
