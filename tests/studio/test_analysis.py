"""Item analysis: attempts, % right, the most chosen wrong answer and discrimination per
question version, filtered by district and volunteer type, on the page and as CSV."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.areas.models import Village
from app.auth.models import Role, User
from app.content.models import Indicator
from app.db import get_session, utcnow
from app.quizzes.models import Choice, Question, Quiz
from app.quizzes.services import start_attempt, submit_attempt
from app.studio.analysis import Filters, analyse_items

from ..conftest import thai

# Who answered what: R right, W the first wrong choice, W2 the second wrong choice.
#        Q1   Q2    Q3      score  (thirds of 2: top a1 a2, bottom a5 a6)
MARKS = [
    ("R", "R", "R"),  # a1 3
    ("R", "R", "W"),  # a2 2
    ("R", "W2", "R"),  # a3 2
    ("R", "W2", "W"),  # a4 1
    ("W", "W2", "R"),  # a5 1
    ("R", "W", "W"),  # a6 1
]


def _take(app, user_id: int, number: int, ids: list[int], marks: tuple[str, ...]) -> None:
    """One submitted attempt answering each question as marked."""
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        attempt = start_attempt(
            session,
            user_id=user_id,
            indicator=indicator,
            now=utcnow(),
            cooldown_seconds=0,
            rng=random.Random(5),
        )
        answers = {}
        for question_id, mark in zip(ids, marks, strict=True):
            question = session.get(Question, question_id)
            wrong = [c.key for c in question.choices if not c.correct]
            pick = {"R": sorted(question.correct_keys), "W": wrong[:1], "W2": wrong[1:2]}
            answers[question_id] = pick[mark]
        assert submit_attempt(session, attempt, user_id=user_id, answers=answers, now=utcnow())
        session.commit()


@pytest.fixture
def bank(app, content, complete_numbers) -> tuple[int, list[int]]:
    """An indicator whose quiz draws the same three published questions every time:
    two single-choice questions with at least two wrong choices, and one more."""
    number = complete_numbers[0]
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        questions = session.scalars(
            select(Question)
            .where(Question.indicator_id == indicator.id)
            .order_by(Question.position)
        ).all()
        singles = [q for q in questions if q.type == "single" and len(q.choices) >= 3][:2]
        keep = [*singles, next(q for q in questions if q not in singles)]
        for question in questions:
            question.published = question in keep
        session.scalar(select(Quiz).where(Quiz.indicator_id == indicator.id)).draw_size = 3
        session.commit()
        return number, [q.id for q in keep]


@pytest.fixture
def districts(app, areas) -> tuple[str, str, str, str]:
    """A village code and district code in each of two districts."""
    with app.app_context():
        villages = get_session().scalars(select(Village).order_by(Village.code)).all()
        first = villages[0]
        other = next(
            v for v in villages if v.subdistrict.district_code != first.subdistrict.district_code
        )
        return (
            first.code,
            first.subdistrict.district_code,
            other.code,
            other.subdistrict.district_code,
        )


@pytest.fixture
def scored(app, bank, districts, make_user: Callable) -> dict:
    """Six volunteers' attempts (MARKS): a1-a3 in district A, a4-a6 in district B; a1 and a4
    are village headmen, the others village health volunteers."""
    number, ids = bank
    village_a, district_a, village_b, district_b = districts
    for index, marks in enumerate(MARKS):
        user_id = make_user(village_code=village_a if index < 3 else village_b)
        if index in (0, 3):
            with app.app_context():
                get_session().get(User, user_id).volunteer_type = "village_head"
                get_session().commit()
        _take(app, user_id, number, ids, marks)
    return {"number": number, "ids": ids, "district_a": district_a, "district_b": district_b}


def _rows(app, number: int, filters: Filters | None = None, sort: str = "hardest"):
    """The analysis rows by question id, and the question ids in the order shown."""
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        rows = analyse_items(session, indicator, filters or Filters(), sort)
        return {r.question.id: r for r in rows}, [r.question.id for r in rows]


def _choice_text(app, question_id: int, wrong_index: int) -> str:
    with app.app_context():
        question = get_session().get(Question, question_id)
        return [c.text for c in question.choices if not c.correct][wrong_index]


def test_figures_per_question_from_the_attempts(app, scored):
    q1, q2, q3 = scored["ids"]
    rows, order = _rows(app, scored["number"])
    assert order == [q2, q3, q1]  # hardest first
    assert [(rows[q].attempts, rows[q].correct) for q in (q1, q2, q3)] == [(6, 5), (6, 2), (6, 3)]
    assert rows[q2].percent_correct == pytest.approx(100 / 3)
    assert (rows[q2].top_wrong_text, rows[q2].top_wrong_count) == (_choice_text(app, q2, 1), 3)
    assert (rows[q3].top_wrong_text, rows[q3].top_wrong_count) == (_choice_text(app, q3, 0), 3)
    # Top third a1 a2, bottom third a5 a6.
    assert rows[q1].discrimination == pytest.approx(0.5)
    assert rows[q2].discrimination == pytest.approx(1.0)
    assert rows[q3].discrimination == pytest.approx(0.0)


def test_sorting_by_discrimination_and_by_attempts(app, scored):
    q1, q2, q3 = scored["ids"]
    assert _rows(app, scored["number"], sort="discrimination")[1] == [q3, q1, q2]
    with app.app_context():  # from now on Q3 is no longer drawn
        session = get_session()
        session.get(Question, q3).published = False
        session.scalar(
            select(Quiz).where(Quiz.indicator_id == session.get(Question, q3).indicator_id)
        ).draw_size = 2
        session.commit()
    _take(app, _volunteer(app), scored["number"], [q1, q2], ("R", "R"))
    rows, order = _rows(app, scored["number"], sort="attempts")
    assert [rows[q].attempts for q in order] == [7, 7, 6]
    assert order == [q1, q2, q3]  # equal counts keep the bank's order


def _volunteer(app) -> int:
    with app.app_context():
        session = get_session()
        user = User(
            full_name="ทดลอง เพิ่ม",
            phone="0899999991",
            password_hash="x",
            role=Role.VOLUNTEER.value,
            volunteer_type="osm",
        )
        session.add(user)
        session.commit()
        return user.id


def test_filter_by_district_counts_only_its_volunteers(app, scored):
    q1, q2, q3 = scored["ids"]
    rows, _ = _rows(app, scored["number"], Filters(district=scored["district_a"]))
    assert [(rows[q].attempts, rows[q].correct) for q in (q1, q2, q3)] == [(3, 3), (3, 2), (3, 2)]
    rows, order = _rows(app, scored["number"], Filters(district=scored["district_b"]))
    assert [(rows[q].attempts, rows[q].correct) for q in (q1, q2, q3)] == [(3, 2), (3, 0), (3, 1)]
    assert order[0] == q2


def test_filter_by_volunteer_type_and_too_few_for_discrimination(app, scored):
    q1, q2, q3 = scored["ids"]
    rows, _ = _rows(app, scored["number"], Filters(volunteer_type="village_head"))
    assert [(rows[q].attempts, rows[q].correct) for q in (q1, q2, q3)] == [(2, 2), (2, 1), (2, 1)]
    assert all(r.discrimination is None for r in rows.values())  # 2 attempts: no thirds


def test_versions_of_a_question_are_counted_apart(app, scored):
    q1, q2, q3 = scored["ids"]
    with app.app_context():
        session = get_session()
        old = session.get(Question, q1)
        old.published, old.archived_at = False, utcnow()
        new = Question(
            indicator_id=old.indicator_id,
            key=old.key,
            version=2,
            type=old.type,
            text=old.text + " (แก้ไข)",
            explanation=old.explanation,
            see=old.see,
            position=old.position,
            choices=[
                Choice(key=c.key, text=c.text, correct=c.correct, position=c.position)
                for c in old.choices
            ],
        )
        session.add(new)
        session.commit()
        new_id = new.id
    _take(app, _volunteer(app), scored["number"], [new_id, q2, q3], ("W", "R", "R"))
    rows, _ = _rows(app, scored["number"])
    assert (rows[q1].attempts, rows[q1].correct) == (6, 5)  # the old version's attempts
    assert (rows[new_id].attempts, rows[new_id].correct) == (1, 0)
    assert rows[q2].attempts == rows[q3].attempts == 7


def test_the_page_lists_hardest_first_with_a_faq_link(app, client, scored, trainer):
    q1, q2, q3 = scored["ids"]
    number = scored["number"]
    page = client.get(f"/studio/indicators/{number}/analysis").get_data(as_text=True)
    with app.app_context():
        texts = [str(escape(get_session().get(Question, q).text)) for q in (q2, q3, q1)]
    positions = [page.index(t) for t in texts]
    assert positions == sorted(positions)
    assert str(escape(_choice_text(app, q2, 1))) in page
    assert f"/studio/indicators/{number}/faq/new?from_question={q2}" in page
    page = client.get(f"/studio/indicators/{number}/analysis?sort=discrimination").get_data(
        as_text=True
    )
    positions = [page.index(t) for t in (texts[1], texts[2], texts[0])]  # q3, q1, q2
    assert positions == sorted(positions)


def _csv(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Thai as UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_the_figures_and_defuses_formula_text(app, client, scored, trainer):
    q1, q2, q3 = scored["ids"]
    with app.app_context():
        get_session().get(Question, q3).text = '=HYPERLINK("http://example.test")'
        get_session().commit()
        key2 = get_session().get(Question, q2).key
    rows = _csv(client, f"/studio/indicators/{scored['number']}/analysis.csv")
    assert list(rows[0]) == [
        "key",
        "version",
        "item",
        "text",
        "attempts",
        "percent_correct",
        "top_wrong_choice",
        "top_wrong_count",
        "discrimination",
    ]
    assert rows[0]["key"] == key2 and rows[0]["version"] == "1"
    assert (rows[0]["attempts"], rows[0]["percent_correct"]) == ("6", "33.3")
    assert rows[0]["top_wrong_choice"] == _choice_text(app, q2, 1)
    assert (rows[0]["top_wrong_count"], rows[0]["discrimination"]) == ("3", "1.00")
    assert rows[1]["text"] == '\'=HYPERLINK("http://example.test")'
    assert rows[2]["percent_correct"] == "83.3"


def test_csv_keeps_the_filters(client, scored, trainer):
    url = f"/studio/indicators/{scored['number']}/analysis.csv"
    rows = _csv(client, f"{url}?district={scored['district_b']}")
    assert [r["attempts"] for r in rows] == ["3", "3", "3"]
    assert rows[0]["percent_correct"] == "0.0"
    rows = _csv(client, f"{url}?volunteer_type=village_head")
    assert {r["attempts"] for r in rows} == {"2"} and {r["discrimination"] for r in rows} == {""}


def test_an_unknown_indicator_is_not_found(client, content, trainer):
    assert client.get("/studio/indicators/99/analysis").status_code == 404


URLS = ["/studio/indicators/1/analysis", "/studio/indicators/1/analysis.csv"]


@pytest.mark.parametrize("url", URLS)
def test_volunteers_are_refused(client, areas, make_user, login, url):
    login(client, make_user())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_anonymous_users_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_page_says_when_discrimination_will_appear(app, client, bank, make_user, trainer):
    number, ids = bank
    for marks in MARKS[:2]:
        _take(app, make_user(), number, ids, marks)
    url = f"/studio/indicators/{number}/analysis"
    page = client.get(url).get_data(as_text=True)
    assert "Shown once the quiz has been submitted at least 3 times (now 2)." in page
    _take(app, make_user(), number, ids, MARKS[2])
    page = client.get(url).get_data(as_text=True)
    assert "at least 3 times" not in page  # three attempts: every question has its index
    client.post("/language", data={"lang": "th"})
    page = client.get(url + "?volunteer_type=village_head").get_data(as_text=True)
    note = "Shown once the quiz has been submitted at least %(count)d times (now %(now)d)."
    assert thai(app, note, count=3, now=0) in page
