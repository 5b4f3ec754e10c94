"""Admins' training plans: create and edit with validation, activate (re-evaluating everyone,
now or in the job queue), audited so `flask content load` will not overwrite them."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth.models import Role
from app.content.models import AuditEntry, Category, Indicator
from app.db import get_session, utcnow
from app.jobs import run_pending
from app.quizzes.models import Attempt
from app.readiness.models import PlanProgress, Readiness, TrainingPlan
from app.readiness.progress import reevaluate_plan, today_bangkok

TODAY = today_bangkok(utcnow())  # the day in Thailand, as the app counts it


@pytest.fixture
def indicators(app: Flask, areas: None) -> None:
    """The survey basics and indicators 1-4 in two categories (no lesson content needed)."""
    with app.app_context():
        session = get_session()
        session.add_all(
            [
                Category(number=1, name_th="สุขภาพ", name_en="Health"),
                Category(number=2, name_th="มีบ้านอาศัย", name_en="Housing"),
            ]
        )
        for number in range(5):
            session.add(
                Indicator(
                    number=number,
                    category_number=None if number == 0 else (1 if number <= 2 else 2),
                    title_th="ความรู้พื้นฐาน" if number == 0 else f"ตัวชี้วัดทดสอบ {number}",
                    title_en=f"Indicator {number}",
                    status="carried-over",
                )
            )
        session.commit()


@pytest.fixture
def make_test_plan(app: Flask, indicators: None) -> Callable[..., int]:
    """make_test_plan(slug, numbers, active=False) -> plan id."""

    def make(slug: str, numbers: list[int], active: bool = False, **extra) -> int:
        with app.app_context():
            session = get_session()
            rows = session.scalars(select(Indicator).where(Indicator.number.in_(numbers)))
            plan = TrainingPlan(
                slug=slug,
                name_th=f"แผน {slug}",
                name_en=f"Plan {slug}",
                campaign_year=2570,
                active=active,
                indicators=list(rows),
                **extra,
            )
            session.add(plan)
            session.commit()
            return plan.id

    return make


@pytest.fixture
def admin(app: Flask, make_user: Callable, login: Callable) -> FlaskClient:
    """A logged-in admin, English UI."""
    client = app.test_client()
    login(client, make_user(Role.ADMIN, full_name="ผู้ดูแล ทดสอบ"))
    client.post("/language", data={"lang": "en"})
    return client


def passes(app: Flask, user_id: int, numbers: list[int], *, days_ago: int = 1) -> None:
    """Record passed quiz attempts on these indicators (no progress refresh)."""
    at = utcnow() - timedelta(days=days_ago)
    with app.app_context():
        session = get_session()
        ids = session.scalars(select(Indicator.id).where(Indicator.number.in_(numbers)))
        for indicator_id in ids:
            session.add(
                Attempt(
                    user_id=user_id,
                    indicator_id=indicator_id,
                    draw=[],
                    pass_mark=80,
                    started_at=at - timedelta(minutes=5),
                    submitted_at=at,
                    score=100,
                    passed=True,
                )
            )
        session.commit()


def ready_plans(app: Flask, user_id: int) -> set[str]:
    """Slugs of the plans the volunteer has a readiness record under."""
    with app.app_context():
        stmt = (
            select(TrainingPlan.slug)
            .join(Readiness, Readiness.plan_id == TrainingPlan.id)
            .where(Readiness.user_id == user_id)
        )
        return set(get_session().scalars(stmt))


def plan_row(app: Flask, slug: str) -> dict:
    """A plan's values as a dict, read in a fresh context."""
    with app.app_context():
        plan = get_session().scalar(select(TrainingPlan).where(TrainingPlan.slug == slug))
        if plan is None:
            return {}
        return {
            "id": plan.id,
            "name_en": plan.name_en,
            "active": plan.active,
            "activated_at": plan.activated_at,
            "expires_on": plan.expires_on,
            "passes_from": plan.passes_from,
            "indicators": [i.number for i in plan.indicators],
        }


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(get_session().scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


NEW = {
    "slug": "bmn-2571",
    "name_th": "แผน 2571",
    "name_en": "Plan 2571",
    "campaign_year": "2571",
    "indicators": ["0", "1", "3"],
    "expires_on": "",
    "passes_from": "",
}


def test_admin_creates_an_inactive_plan_and_the_change_is_audited(app, admin, indicators):
    page = text(admin.get("/admin/plans/new"))
    assert "Survey basics" in page and "สุขภาพ" in page and "มีบ้านอาศัย" in page
    response = admin.post("/admin/plans/new", data=NEW)
    assert response.status_code == 302, text(response)
    row = plan_row(app, "bmn-2571")
    assert row["indicators"] == [0, 1, 3] and row["active"] is False
    assert audit_actions(app) == ["plan.create"]
    listing = text(admin.get("/admin/plans"))
    assert "แผน 2571" in listing and "bmn-2571" in listing and "Inactive" in listing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"indicators": []}, "Choose at least one indicator."),
        ({"campaign_year": "2500"}, "from 2569 to 2600"),
        ({"campaign_year": "2601"}, "from 2569 to 2600"),
        ({"campaign_year": ""}, "Enter the campaign year"),
        ({"slug": "Plan 2571"}, "Use lower-case English letters and digits"),
        ({"indicators": ["1", "99"]}, "'99' is not a valid choice"),
        (
            {"expires_on": (TODAY + timedelta(days=30)).isoformat(),
             "passes_from": (TODAY + timedelta(days=60)).isoformat()},
            "Passes must count from a day before the expiry date.",
        ),
    ],
)  # fmt: skip
def test_invalid_plans_are_refused_with_a_message(app, admin, indicators, change, message):
    response = admin.post("/admin/plans/new", data={**NEW, **change})
    assert response.status_code == 200
    assert message in text(response)
    assert plan_row(app, "bmn-2571") == {}
    assert audit_actions(app) == []


def test_a_taken_slug_is_refused(app, admin, make_test_plan):
    make_test_plan("bmn-2571", [1])
    response = admin.post("/admin/plans/new", data=NEW)
    assert response.status_code == 200 and "Another plan has this id." in text(response)


def test_the_active_plan_cannot_expire_in_the_past(app, admin, make_test_plan):
    plan_id = make_test_plan("current", [1, 2], active=True)
    data = {**NEW, "indicators": ["1", "2"], "expires_on": (TODAY - timedelta(1)).isoformat()}
    response = admin.post(f"/admin/plans/{plan_id}", data=data)
    assert response.status_code == 200
    assert "The active plan's expiry date must be after today." in text(response)
    assert plan_row(app, "current")["expires_on"] is None
    later = (TODAY + timedelta(days=365)).isoformat()
    response = admin.post(f"/admin/plans/{plan_id}", data={**data, "expires_on": later})
    assert response.status_code == 302
    assert plan_row(app, "current")["expires_on"] == TODAY + timedelta(days=365)


def test_an_expired_plan_cannot_be_activated(app, admin, make_test_plan):
    make_test_plan("current", [1], active=True)
    old = make_test_plan("old", [1], expires_on=TODAY - timedelta(days=10))
    response = admin.post(f"/admin/plans/{old}/activate", follow_redirects=True)
    assert "readiness has expired" in text(response)
    assert plan_row(app, "old")["active"] is False and plan_row(app, "current")["active"]


def test_activating_switches_the_plan_and_reevaluates_everyone(
    app, admin, make_test_plan, make_user
):
    old = make_test_plan("old", [1], active=True)
    new = make_test_plan("new", [2, 3])
    veteran = make_user(full_name="ผ่าน แผนเก่า")
    newcomer = make_user(full_name="ผ่าน แผนใหม่")
    passes(app, veteran, [1, 2])
    passes(app, newcomer, [2, 3])
    with app.app_context():  # the veteran became ready under the old plan
        session = get_session()
        reevaluate_plan(session, session.get(TrainingPlan, old), secret="s", now=utcnow())
        session.commit()
    assert ready_plans(app, veteran) == {"old"}

    response = admin.post(f"/admin/plans/{new}/activate", follow_redirects=True)
    page = text(response)
    assert "“Plan new” is now the active plan." in page
    assert "2 volunteer(s) re-evaluated, 1 newly ready." in page
    assert plan_row(app, "new")["active"] and plan_row(app, "new")["activated_at"]
    assert plan_row(app, "old")["active"] is False
    assert ready_plans(app, newcomer) == {"new"}
    assert ready_plans(app, veteran) == {"old"}  # history kept, not ready under the new plan
    assert audit_actions(app) == ["plan.activate"]


def test_a_large_reevaluation_is_queued_but_the_switch_is_immediate(
    app, admin, make_test_plan, make_user
):
    app.config["PLAN_INLINE_ATTEMPTS"] = 0
    make_test_plan("old", [1], active=True)
    new = make_test_plan("new", [2])
    volunteer = make_user()
    passes(app, volunteer, [2])
    page = text(admin.post(f"/admin/plans/{new}/activate", follow_redirects=True))
    assert "Re-evaluating every volunteer is queued" in page
    assert plan_row(app, "new")["active"] and not plan_row(app, "old")["active"]
    assert ready_plans(app, volunteer) == set()
    assert run_pending(app.extensions["huey"]) == 1
    assert ready_plans(app, volunteer) == {"new"}


def test_editing_the_active_plans_indicators_reevaluates(app, admin, make_test_plan, make_user):
    plan_id = make_test_plan("current", [1, 2, 3], active=True)
    almost = make_user(full_name="เกือบ พร้อม")
    done = make_user(full_name="พร้อม แล้ว")
    passes(app, almost, [1, 2])
    passes(app, done, [1, 2, 3])
    with app.app_context():
        session = get_session()
        reevaluate_plan(session, session.get(TrainingPlan, plan_id), secret="s", now=utcnow())
        session.commit()
    assert ready_plans(app, almost) == set() and ready_plans(app, done) == {"current"}

    page = text(admin.get(f"/admin/plans/{plan_id}"))
    assert "kept as history" in page
    data = {**NEW, "indicators": ["1", "2"]}
    page = text(admin.post(f"/admin/plans/{plan_id}", data=data, follow_redirects=True))
    assert "Plan saved." in page and "2 volunteer(s) re-evaluated, 1 newly ready." in page
    assert ready_plans(app, almost) == {"current"}
    # Requiring more again keeps readiness already recorded (it is history) ...
    data = {**NEW, "indicators": ["1", "2", "3", "4"]}
    page = text(admin.post(f"/admin/plans/{plan_id}", data=data, follow_redirects=True))
    assert "2 volunteer(s) re-evaluated, 0 newly ready." in page
    assert ready_plans(app, almost) == {"current"} and ready_plans(app, done) == {"current"}
    with app.app_context():  # ... while progress shows what the plan now asks
        progress = get_session().scalar(select(PlanProgress).where(PlanProgress.user_id == almost))
        assert (progress.passed, progress.required) == (2, 4)


def test_moving_passes_from_on_the_active_plan_reevaluates(app, admin, make_test_plan, make_user):
    plan_id = make_test_plan("current", [1, 2], active=True)
    volunteer = make_user()
    passes(app, volunteer, [1, 2], days_ago=10)
    data = {**NEW, "indicators": ["1", "2"], "passes_from": (TODAY - timedelta(20)).isoformat()}
    page = text(admin.post(f"/admin/plans/{plan_id}", data=data, follow_redirects=True))
    assert "1 volunteer(s) re-evaluated, 1 newly ready." in page
    assert plan_row(app, "current")["passes_from"] == TODAY - timedelta(20)


def test_editing_an_inactive_plan_reevaluates_no_one(app, admin, make_test_plan, make_user):
    make_test_plan("current", [1], active=True)
    other = make_test_plan("later", [1, 2])
    passes(app, make_user(), [1])
    page = text(admin.post(f"/admin/plans/{other}", data={**NEW, "indicators": ["1"]},
                           follow_redirects=True))  # fmt: skip
    assert "Plan saved." in page and "re-evaluated" not in page
    later = plan_row(app, "later")
    assert later["indicators"] == [1] and later["name_en"] == "Plan 2571"
    assert audit_actions(app) == ["plan.edit"]


def test_saving_unchanged_values_records_nothing(app, admin, make_test_plan):
    plan_id = make_test_plan("current", [1], active=True)
    data = {"name_th": "แผน current", "name_en": "Plan current", "campaign_year": "2570",
            "indicators": ["1"], "expires_on": "", "passes_from": ""}  # fmt: skip
    page = text(admin.post(f"/admin/plans/{plan_id}", data=data, follow_redirects=True))
    assert "Nothing changed." in page
    assert audit_actions(app) == []


def test_content_load_refuses_to_overwrite_admin_plan_changes(app, admin, runner, make_test_plan):
    plan_id = make_test_plan("bmn-2570", [1], active=True)
    data = {**NEW, "indicators": ["1", "2"], "name_en": "Edited by an admin"}
    assert admin.post(f"/admin/plans/{plan_id}", data=data).status_code == 302
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 1
    assert "1 studio change(s)" in result.output
    row = plan_row(app, "bmn-2570")
    assert row["name_en"] == "Edited by an admin" and row["indicators"] == [1, 2]


def test_the_cli_reevaluates_the_active_or_a_named_plan(app, runner, make_test_plan, make_user):
    make_test_plan("current", [1], active=True)
    make_test_plan("later", [1, 2])
    volunteer = make_user()
    passes(app, volunteer, [1, 2])
    result = runner.invoke(args=["plans", "reevaluate"])
    assert result.exit_code == 0, result.output
    assert "plan current: 1 volunteer(s) re-evaluated, 1 newly ready" in result.output
    result = runner.invoke(args=["plans", "reevaluate", "--slug", "later"])
    assert "plan later: 1 volunteer(s) re-evaluated, 1 newly ready" in result.output
    assert ready_plans(app, volunteer) == {"current", "later"}
    result = runner.invoke(args=["plans", "reevaluate", "--slug", "nope"])
    assert result.exit_code == 1 and "no plan 'nope'" in result.output


def test_the_list_counts_ready_and_confirmed_per_plan(app, admin, make_test_plan, make_user):
    plan_id = make_test_plan("current", [1], active=True)
    make_test_plan("later", [1, 2, 3])
    for n in range(3):
        passes(app, make_user(full_name=f"อาสา {n}"), [1])
    with app.app_context():
        session = get_session()
        reevaluate_plan(session, session.get(TrainingPlan, plan_id), secret="s", now=utcnow())
        first = session.scalar(select(Readiness).order_by(Readiness.id).limit(1))
        first.confirmed_at = utcnow()
        session.commit()
    page = text(admin.get("/admin/plans"))
    current = page[page.index("Plan current") :]
    cells = [c.split("</td>")[0] for c in current.split('<td class="num">')[1:5]]
    assert cells == ["2570", "1", "3", "1"]  # year, indicators, ready, confirmed
    later = page[page.index("Plan later") :]
    cells = [c.split("</td>")[0] for c in later.split('<td class="num">')[1:5]]
    assert cells == ["2570", "3", "0", "0"]


def _plan_urls(plan_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", "/admin/plans"),
        ("GET", "/admin/plans/new"),
        ("POST", "/admin/plans/new"),
        ("GET", f"/admin/plans/{plan_id}"),
        ("POST", f"/admin/plans/{plan_id}"),
        ("POST", f"/admin/plans/{plan_id}/activate"),
    ]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.TRAINER, Role.VOLUNTEER])
def test_other_roles_are_refused_every_plan_page(app, make_test_plan, make_user, login, role):
    plan_id = make_test_plan("later", [1])
    client = app.test_client()
    login(client, make_user(role, area_code="55" if role is Role.OFFICER else None))
    for method, url in _plan_urls(plan_id):
        response = client.open(url, method=method, data={**NEW, "slug": "sneaky"})
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
    assert plan_row(app, "later")["active"] is False and plan_row(app, "sneaky") == {}
    assert audit_actions(app) == []


def test_anonymous_visitors_are_sent_to_log_in(app, client, make_test_plan):
    plan_id = make_test_plan("later", [1])
    for method, url in _plan_urls(plan_id):
        response = client.open(url, method=method, data=NEW)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert audit_actions(app) == []
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(TrainingPlan)) == 1
