"""Support fixtures: volunteers in a zone, questions put straight into the queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import select

from app.content.models import Indicator
from app.db import get_session, utcnow
from app.support.models import SupportQuestion

# Nan's districts by zone (app/areas/data/nan-zones.csv).
ZONE_DISTRICT = {"north": "5505", "central": "5501", "south": "5504"}


@pytest.fixture
def zone_volunteer(app: Flask, content: None, make_user: Callable) -> Callable[..., int]:
    """zone_volunteer("north", full_name=...) -> a volunteer in a village of that zone."""

    def make(zone: str, **kwargs) -> int:
        with app.app_context():
            from app.areas.models import Village

            code = get_session().scalar(
                select(Village.code)
                .where(Village.code.startswith(ZONE_DISTRICT[zone]))
                .order_by(Village.code)
            )
        return make_user(village_code=code, **kwargs)

    return make


@pytest.fixture
def put_question(app: Flask, content: None) -> Callable[..., int]:
    """put_question(asker_id, zone, number=1, created_at=..., text=...) -> a question id."""

    def put(asker_id: int, zone: str, number: int = 1, **columns) -> int:
        with app.app_context():
            session = get_session()
            indicator_id = session.scalar(select(Indicator.id).where(Indicator.number == number))
            values: dict = {
                "text": "ถามเรื่องการนับสมาชิกในบ้าน",
                "created_at": utcnow(),
                "status": "open",
                "request_key": f"k{datetime.now().timestamp()}{id(columns)}{len(columns)}",
            }
            values.update(columns)
            question = SupportQuestion(
                asker_id=asker_id, indicator_id=indicator_id, zone=zone, **values
            )
            session.add(question)
            session.commit()
            return question.id

    return put
