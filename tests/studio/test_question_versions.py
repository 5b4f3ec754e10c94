"""Editing a question volunteers were asked makes a new version; old attempts keep theirs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.content.models import Indicator
from app.db import get_session
from app.quizzes.models import Attempt, Question

from ..conftest import correct_answers
from .test_questions import NUMBER, audit, english, make_unit, question, question_data

ROOT = Path(__file__).resolve().parents[2]
NEW_TEXT = "คำถามที่ 1 เขียนใหม่"


def _start(client, number: int = NUMBER) -> int:
    location = client.post(f"/indicators/{number}/quiz").location
    return int(re.search(r"/attempts/(\d+)", location)[1])


def _drawn(app, attempt_id: int) -> set[int]:
    with app.app_context():
        return {item["q"] for item in get_session().get(Attempt, attempt_id).draw}


def _edit_q1(client, q1_id: int):
    """Edit the published q1 (kept as its draft), then publish the draft."""
    data = question_data(text=NEW_TEXT, choices=(("ใหม่ถูก", True), ("ใหม่ผิด", False)))
    client.post(f"/studio/questions/{q1_id}", data=data)
    return client.post(f"/studio/questions/{q1_id}/draft/publish", follow_redirects=True)


@pytest.fixture
def volunteer(app, areas, make_user, login):
    """A second client, logged in as a volunteer."""
    other = app.test_client()
    login(other, make_user())
    return other


def test_editing_an_asked_question_makes_version_2_and_old_results_keep_version_1(
    app, client, trainer, volunteer
):
    make_unit(app, published=2, draw=2)
    v1 = question(app, "q1")
    asked = _start(volunteer)
    volunteer.post(f"/attempts/{asked}", data=correct_answers(app, asked))
    english(client)
    page = _edit_q1(client, v1.id).get_data(as_text=True)
    assert "Saved as version 2: attempts so far keep version 1." in page
    v2 = question(app, "q1")
    old = question(app, "q1", latest=False)
    assert (v2.version, v2.text, v2.position, v2.published) == (2, NEW_TEXT, 1, True)
    assert old.id == v1.id and old.text == "คำถามที่ 1"
    assert old.archived_at is not None and not old.published
    assert "version 2" in page and "Retired questions" not in page
    assert client.get(f"/studio/questions/{v1.id}").location.endswith(f"/studio/questions/{v2.id}")

    result = volunteer.get(f"/attempts/{asked}/result").get_data(as_text=True)
    assert "คำถามที่ 1" in result and NEW_TEXT not in result and "ถูกต้อง 1" in result
    again = _start(volunteer)
    assert v2.id in _drawn(app, again) and v1.id not in _drawn(app, again)
    edits = audit(app, "question.edit")
    assert edits == [{"key": "q1", "version": [1, 2], "question_id": [v1.id, v2.id]}]


def test_a_question_drawn_in_an_open_attempt_counts_as_asked(app, client, trainer, volunteer):
    make_unit(app, published=2, draw=2)
    v1 = question(app, "q1")
    open_attempt = _start(volunteer)
    _edit_q1(client, v1.id)
    assert question(app, "q1").version == 2
    take = volunteer.get(f"/attempts/{open_attempt}").get_data(as_text=True)
    assert "คำถามที่ 1" in take and NEW_TEXT not in take  # the open attempt asks what it drew


def test_editing_a_never_asked_question_changes_it_in_place(app, client, trainer):
    make_unit(app)
    v1 = question(app, "q1")
    english(client)
    page = _edit_q1(client, v1.id).get_data(as_text=True)
    assert "Published: volunteers now get the new wording." in page
    edited = question(app, "q1")
    assert (edited.id, edited.version, edited.text) == (v1.id, 1, NEW_TEXT)
    assert [c.text for c in edited.choices] == ["ใหม่ถูก", "ใหม่ผิด"]
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Question)) == 3
    assert audit(app, "question.edit")[0]["version"] == [1, 1]


def test_saving_unchanged_content_writes_nothing(app, client, trainer, volunteer):
    make_unit(app, published=2, draw=2)
    v1 = question(app, "q1")
    _start(volunteer)
    english(client)
    same = question_data(
        text="คำถามที่ 1", choices=(("ถูกต้อง 1", True), ("ผิด 1", False)), explanation="เพราะข้อ 1"
    )
    page = client.post(f"/studio/questions/{v1.id}", data=same, follow_redirects=True)
    assert "Nothing changed." in page.get_data(as_text=True)
    assert question(app, "q1").id == v1.id and audit(app, "question.edit") == []


def test_the_edit_form_shows_the_stored_question(app, client, trainer):
    make_unit(app)
    v1 = question(app, "q1")
    page = client.get(f"/studio/questions/{v1.id}").get_data(as_text=True)
    assert "คำถามที่ 1</textarea>" in page and "เพราะข้อ 1</textarea>" in page
    assert 'value="ถูกต้อง 1"' in page
    assert re.search(r'<input checked id="choices-0-correct"', page)
    assert 'name="key"' not in page  # the key is fixed


# Loading quizzes/NN.yaml goes through the same versioning.


@pytest.fixture
def files(app, areas, tmp_path: Path) -> Path:
    """A writable copy of content/ and quizzes/, loaded; returns the quizzes folder."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "quizzes", tmp_path / "quizzes")
    app.config.update(CONTENT_ROOT=str(tmp_path / "content"), QUIZ_ROOT=str(tmp_path / "quizzes"))
    result = app.test_cli_runner().invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    return tmp_path / "quizzes"


def _replace_text(bank: Path, old: str, new: str) -> None:
    text = bank.read_text(encoding="utf-8")
    assert f'text: "{old}"' in text
    bank.write_text(text.replace(f'text: "{old}"', f'text: "{new}"', 1), encoding="utf-8")


def test_loading_an_edited_bank_file_versions_asked_questions_only(app, files, volunteer):
    with app.app_context():
        indicator = get_session().scalar(select(Indicator).where(Indicator.number == 1))
        stmt = select(Question).where(Question.indicator_id == indicator.id)
        bank = {q.key: (q.id, q.text) for q in get_session().scalars(stmt)}
    attempt_id = _start(volunteer, 1)
    volunteer.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))
    drawn = _drawn(app, attempt_id)
    asked_key = next(k for k, (qid, _) in bank.items() if qid in drawn)
    fresh_key = next(k for k, (qid, _) in bank.items() if qid not in drawn)
    _replace_text(files / "01.yaml", bank[asked_key][1], "ถามใหม่จากไฟล์")
    _replace_text(files / "01.yaml", bank[fresh_key][1], "อีกข้อที่เขียนใหม่")

    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0 and "questions" in result.output, result.output
    assert runner.invoke(args=["content", "load"]).output.strip() == "content: no changes"

    asked = question(app, asked_key, number=1)
    assert asked.version == 2 and asked.text == "ถามใหม่จากไฟล์" and asked.published
    first = question(app, asked_key, latest=False, number=1)
    assert first.id == bank[asked_key][0] and first.archived_at is not None
    fresh = question(app, fresh_key, number=1)
    assert (fresh.id, fresh.version, fresh.text) == (bank[fresh_key][0], 1, "อีกข้อที่เขียนใหม่")
    result_page = volunteer.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert bank[asked_key][1] in result_page and "ถามใหม่จากไฟล์" not in result_page


def test_a_question_gone_from_the_bank_file_is_unpublished_not_deleted(app, files, volunteer):
    attempt_id = _start(volunteer, 1)
    volunteer.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))
    bank = files / "01.yaml"
    text = bank.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n  - id: ")
    _first, _, others = rest.partition("\n  - id: ")
    bank.write_text(f"{head}\n  - id: {others}", encoding="utf-8")
    gone_key = rest.split("\n", 1)[0]
    assert app.test_cli_runner().invoke(args=["content", "load"]).exit_code == 0
    gone = question(app, gone_key, number=1)
    assert not gone.published and gone.version == 1
    assert volunteer.get(f"/attempts/{attempt_id}/result").status_code == 200
