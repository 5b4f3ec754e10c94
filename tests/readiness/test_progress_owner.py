"""One truth about progress: the volunteer's page, the officers' rows and a full
re-evaluation agree, whatever the order of submits, retakes, plan edits and activations."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from app.areas.access import Scope
from app.auth.models import Role
from app.content.models import Indicator
from app.db import get_session
from app.officers.lists import volunteer_state
from app.quizzes.services import drawn_questions, start_attempt, submit_attempt
from app.readiness import plans
from app.readiness.models import PlanProgress, Readiness, TrainingPlan
from app.readiness.overview import training_overview
from app.readiness.progress import reevaluate_plan, today_bangkok
from app.readiness.services import active_plan

from ..conftest import correct_answers, thai

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok


def _pass(app, client, number) -> None:
    location = client.post(f"/indicators/{number}/quiz").headers["Location"]
    attempt_id = int(re.search(r"/attempts/(\d+)", location).group(1))
    client.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))


def _values(numbers, *, passes_from=None) -> plans.PlanValues:
    return plans.PlanValues(
        name_th="แผนใหม่",
        name_en="New plan",
        campaign_year=2570,
        indicator_numbers=tuple(numbers),
        expires_on=None,
        passes_from=passes_from,
    )


def test_a_plan_counting_passes_from_tomorrow_shows_the_same_progress_to_everyone(
    app, client, complete_numbers, make_plan, make_user, login
):
    """The defect: home counted every pass ("3 of 3 passed", no readiness, no Continue)
    while the officers' list, which respects passes_from, said "registered"."""
    numbers = complete_numbers[:3]
    make_plan(numbers, slug="old-plan")
    volunteer = make_user(full_name="บุญมี ขยันเรียน")
    login(client, volunteer)
    for number in numbers:
        _pass(app, client, number)
    with app.app_context():
        session = get_session()
        now = datetime.now(UTC)
        admin = make_user(Role.ADMIN, full_name="ผู้ดูแล ทดสอบ")
        plan = plans.create_plan(
            session,
            slug="next-campaign",
            values=_values(numbers, passes_from=today_bangkok(now) + timedelta(days=1)),
            user_id=admin,
        )
        plans.activate(session, plan, secret="test-secret", now=now, user_id=admin)
        session.commit()

    page = client.get("/").get_data(as_text=True)
    assert thai(app, "%(passed)d of %(total)d lessons passed", passed=0, total=3) in page
    assert thai(app, "You are ready to collect data") not in page
    assert f'href="/indicators/{numbers[0]}">' in page  # Continue: the first lesson again
    with app.app_context():
        session = get_session()
        plan = active_plan(session)
        state = volunteer_state(
            session, plan=plan, scope=Scope("admin", None), user_id=volunteer,
            today=today_bangkok(now),
        )  # fmt: skip
        progress = session.scalar(
            select(PlanProgress.passed).where(
                PlanProgress.user_id == volunteer, PlanProgress.plan_id == plan.id
            )
        )
        assert (state, progress or 0) == ("registered", 0)


def test_no_get_request_writes_to_the_database(
    app, client, complete_numbers, make_plan, make_user, login
):
    """Every page a volunteer can GET (home, card, lessons, summaries, results) only reads."""
    numbers = complete_numbers[:2]
    make_plan(numbers)
    volunteer = make_user()
    login(client, volunteer)
    _pass(app, client, numbers[0])
    with app.app_context():
        engine = get_session().get_bind()
    writes: list[str] = []

    def watch(conn, cursor, statement, *args) -> None:
        words = statement.split(None, 3)
        if words[0].upper() == "INSERT" and words[2].strip('"') in AUDIT_TABLES:
            return
        if words[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    urls = {"/", "/ready", "/summary"}
    urls |= {f"/indicators/{n}" for n in numbers} | {f"/summary/{n}" for n in numbers}
    with app.app_context():
        from app.quizzes.models import Attempt

        for attempt_id in get_session().scalars(select(Attempt.id)):
            urls |= {f"/attempts/{attempt_id}", f"/attempts/{attempt_id}/result"}
    event.listen(engine, "before_cursor_execute", watch)
    try:
        for url in sorted(urls):
            response = client.get(url)
            assert response.status_code < 500, url
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert writes == []


class Clock:
    """Simulated time: every step is a few hours later."""

    def __init__(self) -> None:
        self.now = T0

    def tick(self, rng: random.Random) -> datetime:
        self.now += timedelta(hours=rng.randint(1, 30))
        return self.now


def _submit(session, user_id: int, indicator: Indicator, *, right: bool, now: datetime) -> None:
    attempt = start_attempt(
        session, user_id=user_id, indicator=indicator, now=now, cooldown_seconds=0
    )
    answers = {}
    for question, choices in drawn_questions(session, attempt):
        keys = sorted(question.correct_keys) if right else []
        if not right:
            keys = [c.key for c in choices if c.key not in question.correct_keys][:1]
        if question.type != "multiple":
            keys = keys[:1]
        answers[question.id] = keys
    submit_attempt(
        session, attempt, user_id=user_id, answers=answers, now=now + timedelta(minutes=5)
    )


def _state(session, plan: TrainingPlan) -> tuple[dict, dict]:
    """(user -> (passed, required, started_at)), (user -> ready_at) under the plan."""
    progress = {
        p.user_id: (p.passed, p.required, p.started_at)
        for p in session.scalars(
            select(PlanProgress)
            .where(PlanProgress.plan_id == plan.id)
            .execution_options(populate_existing=True)
        )
    }
    ready = {
        r.user_id: r.ready_at
        for r in session.scalars(select(Readiness).where(Readiness.plan_id == plan.id))
    }
    return progress, ready


def _check_agreement(session, users: list[int]) -> None:
    """Incremental rows == a full re-evaluation == what each volunteer's page shows."""
    plan = active_plan(session)
    if plan is None:
        return
    before = _state(session, plan)
    with session.begin_nested() as savepoint:
        counts = reevaluate_plan(session, plan, secret="test-secret", now=T0)
        after = _state(session, plan)
        savepoint.rollback()
    assert counts["newly_ready"] == 0
    # A volunteer whose attempts no longer count keeps a zeroed row: compare the meaning.
    live = {u: v for u, v in before[0].items() if v[0] or v[2] is not None}
    assert live == {u: v for u, v in after[0].items() if v[0] or v[2] is not None}
    assert before[1] == after[1]
    for user_id in users:
        overview = training_overview(session, user_id, plan)
        passed = before[0].get(user_id, (0, 0, None))[0]
        assert overview.passed == passed, f"user {user_id}: page {overview.passed}, rows {passed}"
        assert (overview.readiness is not None) == (user_id in before[1])
        if passed == len(plan.indicators) and user_id in before[1]:
            assert overview.next_number is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_submits_retakes_edits_and_activations_keep_one_truth(
    app, complete_numbers, make_user, seed
):
    rng = random.Random(seed)
    pool = complete_numbers[:5]
    users = [make_user(full_name=f"อาสา {n}") for n in range(3)]
    admin = make_user(Role.ADMIN, full_name="ผู้ดูแล ทดสอบ")
    clock = Clock()
    with app.app_context():
        session = get_session()
        indicators = {
            i.number: i
            for i in session.scalars(select(Indicator).where(Indicator.number.in_(pool)))
        }
        made = 0
        for _step in range(40):
            now = clock.tick(rng)
            action = rng.choices(["submit", "open", "edit", "activate"], [12, 2, 2, 2])[0]
            if action == "submit":
                user = rng.choice(users)
                number = rng.choice(pool)
                _submit(session, user, indicators[number], right=rng.random() < 0.7, now=now)
            elif action == "open":
                start_attempt(
                    session,
                    user_id=rng.choice(users),
                    indicator=indicators[rng.choice(pool)],
                    now=now,
                    cooldown_seconds=0,
                )
            elif action == "edit" and (plan := active_plan(session)) is not None:
                numbers = sorted(rng.sample(pool, rng.randint(1, len(pool))))
                since = rng.choice([None, today_bangkok(now - timedelta(days=rng.randint(0, 3)))])
                changes = plans.update_plan(
                    session, plan, _values(numbers, passes_from=since), user_id=admin
                )
                if plans.needs_reevaluation(plan, changes):
                    plans.reevaluate(session, plan, secret="test-secret", now=now)
            elif action == "activate":
                made += 1
                numbers = sorted(rng.sample(pool, rng.randint(1, len(pool))))
                since = rng.choice([None, today_bangkok(now - timedelta(days=rng.randint(0, 3)))])
                plan = plans.create_plan(
                    session, slug=f"plan-{made}", values=_values(numbers, passes_from=since),
                    user_id=admin,
                )  # fmt: skip
                plans.activate(session, plan, secret="test-secret", now=now, user_id=admin)
            session.commit()
            _check_agreement(session, users)


AUDIT_TABLES = {"personal_data_events", "personal_data_subjects"}


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TRAINER, Role.OFFICER, Role.ADMIN])
def test_no_page_without_arguments_writes_on_get(app, content, make_user, login, role):
    """Every GET route of the URL map that needs no argument, for every role: reads only. The
    one write a read may make is its own entry in the personal-data audit trail (PDPA: who
    viewed or downloaded whose data), which records the read and changes nothing else."""
    client = app.test_client()
    user_id = make_user(role, area_code=None if role is not Role.OFFICER else "55")
    login(client, user_id)
    with app.app_context():
        engine = get_session().get_bind()
    urls = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )
    writes: list[tuple[str, str]] = []
    current = [""]

    def watch(conn, cursor, statement, *args) -> None:
        words = statement.split(None, 3)
        if words[0].upper() == "INSERT" and words[2].strip('"') in AUDIT_TABLES:
            return
        if words[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append((current[0], statement))

    event.listen(engine, "before_cursor_execute", watch)
    try:
        for url in urls:
            current[0] = url
            assert client.get(url).status_code < 500, url
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert writes == []
