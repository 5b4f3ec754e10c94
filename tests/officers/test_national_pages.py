"""Admin pages at national size (issue 16): the readiness list asks a scope wider than one
province to choose a province first, and coverage over a wide scope reads the stored
per-village counts, which must always equal the live counts."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, event, select

from app.areas.access import Scope
from app.areas.models import Village
from app.auth.models import Role, User
from app.db import get_session
from app.officers import coverage as coverage_module
from app.officers import coverage_wide
from app.officers.coverage import ROLLUP_LEVELS, coverage_totals, coverage_villages, rollup
from app.officers.filters import Filters
from app.privacy.erasure import erase_volunteer
from app.readiness import counts
from app.readiness.models import Readiness, VillageVolunteerCount
from app.readiness.progress import reevaluate_plan
from app.readiness.services import active_plan
from app.volunteers.help import edit_volunteer
from app.volunteers.imports import GoodRow, insert_rows

from .conftest import MUEANG_SUB

ADMIN = Scope("admin", None)
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture
def admin(officer_client):
    """A logged-in admin (national scope), English UI."""
    return officer_client(None, role=Role.ADMIN)


@pytest.fixture
def nan(plan, make_volunteer, train, village_codes) -> dict[str, int]:
    """Three volunteers of Nan (province 55): one ready, two registered."""
    people = {
        "ready": make_volunteer(village_codes[MUEANG_SUB][0], "กนก ในเวียง"),
        "other": make_volunteer(village_codes[MUEANG_SUB][1], "ขวัญ ในเวียงสอง"),
        "third": make_volunteer(village_codes[MUEANG_SUB][1], "คำ ในเวียงสาม"),
    }
    train(people["ready"])
    return people


def test_an_admin_chooses_a_province_before_any_volunteer_is_listed(admin, nan):
    page = text(admin.get("/officer/volunteers"))
    assert "Choose a province" in page
    assert 'href="/officer/volunteers?sort=name&amp;province=55"' in page
    assert "กนก ในเวียง" not in page  # no rows of the whole country, no COUNT over it
    assert "/officer/volunteers/export.csv" in page  # the whole country still downloads
    # Nan's stored counts: 3 registered, 1 ready.
    row = page[page.index("province=55") :]
    assert ">3</td>" in row and ">1</td>" in row


def test_the_chosen_province_lists_its_volunteers_with_the_filters_kept(admin, nan):
    page = text(admin.get("/officer/volunteers?province=55"))
    assert "Choose a province" not in page
    assert "กนก ในเวียง" in page and "คำ ในเวียงสาม" in page
    chooser = text(admin.get("/officer/volunteers?q=%E0%B8%81%E0%B8%99%E0%B8%81"))
    assert "province=55" in chooser and "q=%E0%B8%81%E0%B8%99%E0%B8%81" in chooser
    found = text(admin.get("/officer/volunteers?province=55&q=%E0%B8%81%E0%B8%99%E0%B8%81"))
    assert "กนก ในเวียง" in found and "คำ ในเวียงสาม" not in found


def test_a_province_officer_sees_the_list_straight_away(officer_client, nan):
    page = text(officer_client("55").get("/officer/volunteers"))
    assert "Choose a province" not in page
    assert "กนก ในเวียง" in page


@pytest.mark.parametrize(
    ("args", "status"), [("province=5", 400), ("province=xx", 400), ("province=10", 404)]
)
def test_a_bad_or_foreign_province_is_refused(officer_client, nan, args, status):
    response = officer_client("55").get(f"/officer/volunteers?{args}")
    assert response.status_code == status


def _statements(app, client, url: str) -> int:
    """How many SQL statements one GET of url runs."""
    with app.app_context():
        engine = get_session().get_bind()
    seen: list[str] = []

    def watch(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        text(client.get(url))
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    return len(seen)


def test_national_pages_run_as_many_queries_for_many_volunteers_as_for_few(
    app, admin, nan, make_volunteer, train, village_codes, monkeypatch
):
    monkeypatch.setattr(coverage_module, "BY_ID_LIMIT", 0)  # the national path
    urls = ["/officer/volunteers", "/officer/coverage", "/officer/coverage?level=province"]
    before = [_statements(app, admin, url) for url in urls]
    villages = [code for codes in village_codes.values() for code in codes]
    for n in range(12):
        person = make_volunteer(villages[n % len(villages)], f"อาสา {n}")
        if n % 3 == 0:
            train(person)
    assert [_statements(app, admin, url) for url in urls] == before


def test_coverage_over_a_wide_scope_equals_the_live_count(app, nan, monkeypatch):
    def villages():
        with app.app_context():
            session = get_session()
            return coverage_villages(
                session, plan=active_plan(session), scope=ADMIN, filters=Filters(), today=TODAY
            )

    live = villages()
    monkeypatch.setattr(coverage_module, "BY_ID_LIMIT", 0)
    stored = villages()
    assert stored == live
    assert sum(v.registered for v in stored) == 3 and sum(v.ready for v in stored) == 1


def _is_ready(session, user_id: int) -> bool:
    return session.scalar(select(Readiness.id).where(Readiness.user_id == user_id)) is not None


def _check(app) -> None:
    with app.app_context():
        session = get_session()
        assert counts.stored(session) == counts.live_counts(session)


def test_stored_counts_equal_the_live_counts_after_random_operations(
    app, plan, make_user, make_volunteer, train, village_codes
):
    """Registrations, imports, quizzes passed, moves, erasures and a re-evaluation, in a
    random order: after each one the stored counts are the live ones."""
    rng = random.Random(1)
    villages = [code for codes in village_codes.values() for code in codes]
    actor = make_user(Role.ADMIN, area_code=None)
    people: list[int] = []
    phones = iter(range(100))
    actions = ["register"] * 8 + ["import", "ready", "ready", "move", "erase", "redo"] * 4
    rng.shuffle(actions)
    moved_or_erased_ready: list[str] = []
    for step, action in enumerate(actions):
        if action == "register" or not people:
            people.append(make_volunteer(rng.choice(villages), f"อาสา {step}"))
        elif action == "ready":
            train(rng.choice(people))
        else:
            with app.app_context():
                session = get_session()
                person = session.get(User, rng.choice(people))
                alive = person.erased_at is None
                if action in ("move", "erase") and alive and _is_ready(session, person.id):
                    moved_or_erased_ready.append(action)
                if action == "import":
                    village = session.scalar(select(Village).where(Village.code == villages[0]))
                    rows = [
                        GoodRow(1, f"นำเข้า {step}", f"0898{next(phones):06d}", "osm", village.id,
                                None, None)
                    ]  # fmt: skip
                    insert_rows(session, rows, officer_id=actor, now=NOW)
                elif action == "move" and alive:
                    target = session.scalar(
                        select(Village).where(Village.code == rng.choice(villages))
                    )
                    edit_volunteer(
                        session, person, scope=ADMIN, actor_id=actor, full_name=person.full_name,
                        phone=person.phone, village_id=target.id, volunteer_type="osm",
                    )  # fmt: skip
                elif action == "erase" and alive:
                    erase_volunteer(session, person.id, actor_id=actor, now=NOW)
                elif action == "redo":
                    reevaluate_plan(session, active_plan(session), secret="test", now=NOW)
                session.commit()
        _check(app)
    assert {"move", "erase"} <= set(moved_or_erased_ready)  # ready people moved and erased


def test_the_rebuild_command_repairs_counts_loaded_outside_the_app(app, runner, nan):
    with app.app_context():
        session = get_session()
        session.execute(delete(VillageVolunteerCount))
        session.commit()
    result = runner.invoke(args=["plans", "rebuild-counts", "--check"])
    assert result.exit_code == 1 and "differ" in result.output
    result = runner.invoke(args=["plans", "rebuild-counts"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["plans", "rebuild-counts", "--check"]).exit_code == 0
    _check(app)


def test_the_database_sums_give_the_same_coverage_as_the_per_village_rules(
    app, nan, make_volunteer, train, village_codes
):
    """The wide-scope page (stored counts summed in SQL) against the per-village rules in
    Python over the live counts: every level, the totals and the order of the villages."""
    codes = sorted(code for group in village_codes.values() for code in group)
    sizes = [None, 0, 39, 41, 81, 120, 40, 1]
    with app.app_context():
        session = get_session()
        for code, households in zip(codes, sizes * len(codes), strict=False):
            village = session.scalar(select(Village).where(Village.code == code))
            village.households = households
        session.commit()
    for n, code in enumerate(codes[:6]):
        person = make_volunteer(code, f"อาสา {n}")
        if n % 2 == 0:
            train(person)
    with app.app_context():
        session = get_session()
        args = {"plan": active_plan(session), "scope": ADMIN, "filters": Filters(), "today": TODAY}
        villages = coverage_villages(session, **args)
        assert coverage_wide.totals(session, **args) == coverage_totals(villages)
        for level in ROLLUP_LEVELS:
            assert coverage_wide.area_rows(session, level=level, **args) == rollup(villages, level)
        shown = [
            coverage_wide.village_page(session, page=page, per_page=5, **args)
            for page in range(1, len(villages) // 5 + 2)
        ]
        assert [v for rows in shown for v in rows] == villages
    assert any(v.short for v in villages) and any(v.needed and not v.short for v in villages)
