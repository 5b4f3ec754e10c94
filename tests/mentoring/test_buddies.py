"""Buddy pairs: same village, a learner with a ready volunteer, one buddy each, unpairing,
scope, and two officers pairing the same volunteer at once (one wins)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.areas.access import Scope
from app.areas.models import Village
from app.db import get_session, utcnow
from app.mentoring import buddies
from app.mentoring.buddies import BuddyRefused, pair_buddies
from app.mentoring.models import BuddyPair
from app.readiness.services import active_plan

from ..conftest import MUEANG_SUB, OTHER_SUB, thai

SCOPE = Scope("officer", MUEANG_SUB[:4])


def _villages(app, sub=MUEANG_SUB):
    with app.app_context():
        stmt = select(Village.code).where(Village.subdistrict_code == sub).order_by(Village.code)
        return list(get_session().scalars(stmt))


def _pair(app, learner, mentor, scope=SCOPE):
    with app.app_context():
        session = get_session()
        now = utcnow()
        pair_buddies(
            session, scope=scope, plan=active_plan(session), learner_id=learner,
            mentor_id=mentor, officer_id=None, today=now.date(), now=now,
        )  # fmt: skip
        session.commit()


def _pairs(app):
    with app.app_context():
        stmt = select(BuddyPair.learner_id, BuddyPair.mentor_id).order_by(BuddyPair.id)
        return [tuple(row) for row in get_session().execute(stmt)]


@pytest.fixture
def people(app, plan, make_volunteer, train):
    """Two learners and two ready volunteers in one village, a ready one in another."""
    village, other = _villages(app)[0], _villages(app, OTHER_SUB)[0]
    result = {
        "learner": make_volunteer(village, "นก เรียนใหม่"),
        "learner2": make_volunteer(village, "หนู เรียนใหม่"),
        "ready": make_volunteer(village, "แก้ว พร้อมแล้ว สกุลดี"),
        "ready2": make_volunteer(village, "ดาว พร้อมแล้ว"),
        "far": make_volunteer(other, "ไกล พร้อมแล้ว"),
    }
    for key in ("ready", "ready2", "far"):
        train(result[key])
    return result


def test_buddies_must_be_a_learner_and_a_ready_volunteer_of_one_village(app, people):
    cases = [
        (people["learner"], people["far"], "other_village"),
        (people["ready"], people["ready2"], "learner_ready"),
        (people["learner"], people["learner2"], "mentor_not_ready"),
        (people["learner"], people["learner"], "same_person"),
    ]
    for learner, mentor, reason in cases:
        with pytest.raises(BuddyRefused) as refused:
            _pair(app, learner, mentor)
        assert refused.value.reason == reason
    _pair(app, people["learner"], people["ready"])
    for learner, mentor in [
        (people["learner"], people["ready2"]),  # the learner has a buddy
        (people["learner2"], people["ready"]),  # so has the ready one
    ]:
        with pytest.raises(BuddyRefused, match="taken"):
            _pair(app, learner, mentor)
    assert _pairs(app) == [(people["learner"], people["ready"])]


def test_an_officer_pairs_and_unpairs_and_the_volunteer_sees_the_buddy(
    app, people, officer_client, login
):
    village = _villages(app)[0]
    client = officer_client(MUEANG_SUB)
    page = client.get(f"/officer/mentoring/buddies?village={village}").get_data(as_text=True)
    assert "นก เรียนใหม่" in page and "แก้ว พร้อมแล้ว สกุลดี" in page
    assert "ไกล พร้อมแล้ว" not in page
    # A mentor from another village is not among the form's choices.
    refused = client.post(
        "/officer/mentoring/buddies",
        data={"village": village, "learner_id": people["learner"], "mentor_id": people["far"]},
    )
    assert refused.status_code == 200 and _pairs(app) == []
    response = client.post(
        "/officer/mentoring/buddies",
        data={"village": village, "learner_id": people["learner"], "mentor_id": people["ready"]},
    )
    assert response.status_code == 302
    assert _pairs(app) == [(people["learner"], people["ready"])]

    volunteer = app.test_client()
    login(volunteer, people["learner"])
    home = volunteer.get("/").get_data(as_text=True)
    with app.app_context():
        from app.auth.models import User

        phone = get_session().get(User, people["ready"]).phone
    assert thai(app, "Your buddy: %(name)s, mobile %(phone)s.", name="แก้ว", phone=phone) in home
    assert "สกุลดี" not in home  # the first name only

    listing = client.get("/officer/mentoring").get_data(as_text=True)
    assert "Buddy" in listing

    with app.app_context():
        pair_id = get_session().scalar(select(BuddyPair.id))
    other = officer_client(OTHER_SUB)
    assert other.post(f"/officer/mentoring/buddies/{pair_id}/unpair").status_code == 404
    assert _pairs(app)
    client.post(f"/officer/mentoring/buddies/{pair_id}/unpair", data={"village": village})
    assert _pairs(app) == []


def test_two_officers_pairing_the_same_volunteer_at_once_one_wins(
    app, people, database_url, monkeypatch
):
    """Both pass the checks before either has written (the check is skipped to force the
    race); the unique columns let one pair in, the other fails."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row-level concurrency: PostgreSQL")
    monkeypatch.setattr(buddies, "pair_of", lambda session, user_id: None)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def officer(mentor: int) -> None:
        with app.app_context():
            session = get_session()
            now = utcnow()
            plan = active_plan(session)
            barrier.wait()
            try:
                pair_buddies(
                    session, scope=SCOPE, plan=plan, learner_id=people["learner"],
                    mentor_id=mentor, officer_id=None, today=now.date(), now=now,
                )  # fmt: skip
                session.commit()
                outcomes.append("paired")
            except IntegrityError:
                session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=officer, args=(people[m],)) for m in ("ready", "ready2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["paired", "refused"]
    with app.app_context():
        assert get_session().scalar(select(func.count(BuddyPair.id))) == 1
