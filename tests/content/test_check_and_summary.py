"""`flask content check` reports gaps per indicator; pocket summaries come from the lessons."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.content.models import Indicator
from app.content_io.check import check_content
from app.db import get_session

ROOT = Path(__file__).resolve().parents[2]


def _gaps(content: Path, quizzes: Path, number: int) -> list[str]:
    return next(r for r in check_content(content, quizzes) if r.number == number).gaps


def test_check_names_missing_lesson_faq_questions(content_copy):
    content, quizzes = content_copy
    (quizzes / "26.yaml").unlink()
    for card in sorted((content / "indicators" / "26" / "faq").glob("*.md"))[2:]:
        card.unlink()
    (content / "indicators" / "26" / "lesson.yaml").unlink()
    gaps = " | ".join(_gaps(content, quizzes, 26))
    assert "no lesson text" in gaps and "2 FAQ cards (at least 3)" in gaps
    assert "no question bank" in gaps


def test_check_reports_media_older_than_the_text(content_copy):
    content, quizzes = content_copy
    lesson = content / "indicators" / "27" / "lesson.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert any("older than the text" in g for g in _gaps(content, quizzes, 27))


def test_check_reports_a_bank_with_too_few_questions_or_one_type(content_copy):
    content, quizzes = content_copy
    bank = quizzes / "28.yaml"
    text = bank.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n  - id:")
    first = "\n  - id:" + rest.split("\n  - id:")[1]
    bank.write_text(head.replace("draw: 5", "draw: 1") + first, encoding="utf-8")
    gaps = " | ".join(_gaps(content, quizzes, 28))
    assert "1 questions (at least 6)" in gaps and "one type only" in gaps


def test_check_exits_non_zero_on_a_gap(runner, content_copy):
    content, quizzes = content_copy
    (quizzes / "29.yaml").unlink()
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1 and "29: no question bank" in result.output


def test_basics_lesson_comes_first_and_is_not_an_indicator(app, client, content):
    with app.app_context():
        basics = get_session().scalar(select(Indicator).where(Indicator.number == 0))
    if basics is None:
        pytest.skip("no survey basics lesson in the shipped content yet")
    assert basics.category_number is None and not basics.needs_checking
    assert client.get("/indicators/0").status_code == 200
    numbers = [r["number"] for r in client.get("/api/v1/indicators").get_json()["indicators"]]
    assert 0 not in numbers and len(numbers) == 38
    home = client.get("/").get_data(as_text=True)
    assert home.index(basics.title_th) < home.index('href="/indicators/1"')


def test_pocket_summary_lists_question_criterion_and_pitfall_per_indicator(app, client, content):
    page = client.get("/summary/2").get_data(as_text=True)
    with app.app_context():
        water = get_session().scalar(select(Indicator).where(Indicator.number == 14))
        titles = [i.title_th for i in water.category.indicators]
        criterion = water.criterion_th
    assert all(t in page for t in titles) and criterion in page
    economy = client.get("/summary/4").get_data(as_text=True)
    with app.app_context():
        income = get_session().scalar(select(Indicator).where(Indicator.number == 28))
        first_pitfall_words = income.pitfalls.split("\n")[0].lstrip("-* ").split("**")[0][:12]
    assert first_pitfall_words in economy
    assert '"' not in economy.split("<dd>")[1][:1]  # the question is shown without its quotes


def test_pocket_summary_index_and_unknown_category(client, content):
    index = client.get("/summary").get_data(as_text=True)
    assert all(f'href="/summary/{n}"' in index for n in range(1, 6))
    assert client.get("/summary/9").status_code == 404
