"""Studio fixtures: a logged-in trainer, a logged-in volunteer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.auth.models import Role


@pytest.fixture
def trainer(client: FlaskClient, areas: None, make_user: Callable, login: Callable) -> int:
    """Log the test client in as a trainer; returns the trainer's user id."""
    user_id = make_user(Role.TRAINER, full_name="ครูฝึก ทดสอบ")
    login(client, user_id)
    # Assertions read the English UI text (the message ids); the Thai catalogue is checked
    # for completeness by tests/test_translations.py and read in the browser tests.
    client.post("/language", data={"lang": "en"})
    return user_id
