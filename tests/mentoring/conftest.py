"""Mentoring fixtures: the officers' plan, volunteers and quiz histories, reused."""

from __future__ import annotations

from ..officers.conftest import make_volunteer, plan, train  # noqa: F401 - fixtures
