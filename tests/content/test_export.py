"""`flask content export`: the published content back in the load formats, so that loading
the export right after changes nothing and the files pass `flask content check`."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.auth.models import Role
from app.content.files import (
    Faq,
    Lesson,
    faq_md,
    lesson_yaml,
    read_faq,
    read_indicator_csv,
    read_lesson,
)
from app.content.models import Clip, Indicator, Infographic
from app.content_io.check import check_content
from app.content_io.export import ExportError, export_content
from app.content_io.load import load_content
from app.db import get_session, utcnow
from app.media.images import variants_for_stored
from app.quizzes.files import Bank, ChoiceSpec, QuestionSpec, bank_yaml, read_bank
from app.quizzes.models import Question, Quiz
from app.quizzes.services import start_attempt, submit_attempt
from app.storage import get_storage
from app.studio import faq as faq_services
from app.studio import questions as question_services
from app.studio.wording import edit_wording

from ..conftest import ROOT

REPO_CONTENT, REPO_QUIZZES = ROOT / "content", ROOT / "quizzes"


def _export(session, to: Path):
    return export_content(
        session, to / "content", to / "quizzes", get_storage(), reference=REPO_CONTENT
    )


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and "plans" not in p.parts and p.name != "README.md"
    }


def _indicator(session, number: int) -> Indicator:
    return session.scalar(select(Indicator).where(Indicator.number == number))


def test_exporting_the_loaded_repo_content_gives_back_its_files(app, content, tmp_path):
    with app.app_context():
        report = _export(get_session(), tmp_path)
    assert not report.warnings and not report.removed
    exported = _files(tmp_path / "content") | {
        f"../quizzes/{k}": v for k, v in _files(tmp_path / "quizzes").items()
    }
    repo = _files(REPO_CONTENT) | {f"../quizzes/{k}": v for k, v in _files(REPO_QUIZZES).items()}
    assert set(exported) == set(repo)
    differing = [name for name in repo if exported[name] != repo[name]]
    # Byte for byte, but for a field the repo's CSV quotes without need: the same rows.
    assert differing in ([], ["indicators.csv"])
    assert read_indicator_csv(tmp_path / "content" / "indicators.csv") == read_indicator_csv(
        REPO_CONTENT / "indicators.csv"
    )


def test_exporting_over_the_same_files_writes_nothing(app, content, tmp_path):
    with app.app_context():
        _export(get_session(), tmp_path)
        again = _export(get_session(), tmp_path)
    assert again.written == [] and again.removed == [] and again.unchanged > 400


def _take_quiz(session, user_id: int, indicator: Indicator) -> list[int]:
    """Submit an (unanswered) attempt; returns the ids of the questions it drew."""
    attempt = start_attempt(
        session,
        user_id=user_id,
        indicator=indicator,
        now=utcnow(),
        cooldown_seconds=0,
        rng=random.Random(1),
    )
    submit_attempt(session, attempt, user_id=user_id, answers={}, now=utcnow())
    return [item["q"] for item in attempt.draw]


def test_studio_edits_round_trip_through_the_files(app, content, make_user, tmp_path):
    trainer = make_user(Role.TRAINER)
    volunteer = make_user()
    with app.app_context():
        session = get_session()
        one, two = _indicator(session, 1), _indicator(session, 2)
        card = one.faq_cards[0]
        slug = card.slug
        faq_services.edit_faq(
            session, card, title="หัวข้อใหม่: ถาม-ตอบ", body="- ข้อหนึ่ง\n- ข้อสอง", user_id=trainer
        )
        faq_services.publish_draft(session, card, user_id=trainer)  # it was published: staged
        spec = QuestionSpec(
            key="new-question",
            type="multiple",
            text='ข้อใดถูก "ทั้งหมด"\nเลือกได้หลายข้อ',
            choices=(
                ChoiceSpec("a", "# ไม่ใช่หัวข้อ", True),
                ChoiceSpec("b", "yes", True),
                ChoiceSpec("c", "- ขีด", False),
            ),
            explanation="คำอธิบาย: ตาม **คู่มือ**",
            see=f"faq:{card.slug}",
        )
        added = question_services.create_question(session, one, spec, user_id=trainer, now=utcnow())
        question_services.set_published(session, added, True, user_id=trainer)
        values = {
            "title_th": two.title_th + " (แก้ไข)",
            "title_en": two.title_en,
            "target_group_th": two.target_group_th,
            "criterion_th": "เกณฑ์: อย่างน้อย 2,500 กรัม",
        }
        edit_wording(session, two, values, user_id=trainer)
        # A question volunteers were asked gets a new version when edited.
        drawn = _take_quiz(session, volunteer, two)
        asked = session.scalars(
            select(Question).where(Question.id.in_(drawn), Question.type != "record")
        ).first()
        old = QuestionSpec(
            asked.key,
            asked.type,
            asked.text,
            tuple(ChoiceSpec(c.key, c.text, c.correct) for c in asked.choices),
            asked.explanation,
            asked.see,
        )
        edited = question_services.edit_question(
            session,
            asked,
            replace(old, explanation=old.explanation + " (ปรับปรุง)"),
            user_id=trainer,
            now=utcnow(),
        )
        assert edited is asked and edited.draft  # published: the edit waits as a draft
        edited = question_services.publish_draft(session, asked, user_id=trainer, now=utcnow())
        assert edited.version == 2
        session.commit()

        _export(session, tmp_path)
        changes = load_content(session, tmp_path / "content", tmp_path / "quizzes", get_storage())
        assert changes.total == 0, (changes.created, changes.updated)
        session.rollback()

    card_file = tmp_path / "content/indicators/01/faq" / f"{slug}.md"
    assert read_faq(card_file).title == "หัวข้อใหม่: ถาม-ตอบ"
    assert "new-question" in (tmp_path / "quizzes/01.yaml").read_text(encoding="utf-8")
    rows = read_indicator_csv(tmp_path / "content/indicators.csv")
    assert rows[1].title_th.endswith("(แก้ไข)")
    # Clean, but for indicator 2 whose wording changed: its clip was made from the old text.
    gaps = {r.number: r.gaps for r in check_content(tmp_path / "content", tmp_path / "quizzes")}
    assert {n: g for n, g in gaps.items() if g} == {
        2: ["clip and infographic are older than the text (run make media)"]
    }


def test_cards_no_longer_published_lose_their_files(app, content, make_user, tmp_path):
    trainer = make_user(Role.TRAINER)
    with app.app_context():
        session = get_session()
        _export(session, tmp_path)
        three = _indicator(session, 3)
        named = set(session.scalars(select(Question.see).where(Question.indicator_id == three.id)))
        card = next(c for c in three.faq_cards if f"faq:{c.slug}" not in named)
        slug = card.slug
        faq_services.set_published(session, card, False, user_id=trainer)
        session.commit()
        report = _export(session, tmp_path)
        changes = load_content(session, tmp_path / "content", tmp_path / "quizzes", get_storage())
        assert changes.total == 0
        session.rollback()
    gone = tmp_path / "content/indicators/03/faq" / f"{slug}.md"
    assert report.removed == [gone] and not gone.exists()
    orders = [
        read_faq(p).order for p in sorted((tmp_path / "content/indicators/03/faq").glob("*.md"))
    ]
    assert sorted(orders) == list(range(1, len(orders) + 1))


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 110, 79)).save(out, "PNG")
    return out.getvalue()


def test_an_uploaded_infographic_replaces_the_shipped_one(app, content, tmp_path):
    with app.app_context():
        session = get_session()
        indicator = _indicator(session, 4)
        shipped = indicator.infographics[0]
        shipped.published = False
        stored = get_storage().save(io.BytesIO(_png(40, 30)), "png")
        session.add(
            Infographic(
                indicator=indicator,
                path=stored.key,
                width=40,
                height=30,
                alt_th="ภาพสรุปใหม่",
                size=stored.size,
                original_name="new.png",
                variants=variants_for_stored(get_storage(), stored.key, []),  # as an upload has
            )
        )
        session.commit()
        report = _export(session, tmp_path)
        changes = load_content(session, tmp_path / "content", tmp_path / "quizzes", get_storage())
        assert changes.total == 0
        session.rollback()
    media = tmp_path / "content/indicators/04/media"
    assert (media / "infographic.png").read_bytes() == _png(40, 30)
    assert not report.warnings
    # New media were chosen for the exported text: the check finds them current.
    assert all(not r.gaps for r in check_content(tmp_path / "content", tmp_path / "quizzes"))


def test_media_a_content_folder_cannot_hold_are_left_out_with_a_warning(app, content, tmp_path):
    with app.app_context():
        session = get_session()
        indicator = _indicator(session, 5)
        big = get_storage().save(io.BytesIO(b"\x89PNG" + bytes(200 * 1024)), "png")
        session.add(
            Infographic(
                indicator=indicator,
                path=big.key,
                width=2000,
                height=3000,
                alt_th="ใหญ่",
                size=big.size,
                original_name="big.png",
                position=1,
            )
        )
        session.commit()
        big_id = session.scalar(select(Infographic.id).where(Infographic.path == big.key))
        report = _export(session, tmp_path)
        kept = get_storage().path(big.key)
    assert any(w.startswith("05: infographic") and "KB" in w for w in report.warnings)
    assert f"05: infographic {big_id} “big.png” not exported" in report.warnings[0]
    assert report.warnings[0].endswith(f"its image is kept at {kept}")
    shipped = (REPO_CONTENT / "indicators/05/media/infographic.png").read_bytes()
    assert (tmp_path / "content/indicators/05/media/infographic.png").read_bytes() == shipped


def test_an_uploaded_clip_left_out_says_where_each_of_its_files_is_kept(
    app, content, runner, tmp_path
):
    with app.app_context():
        session = get_session()
        indicator = _indicator(session, 7)
        storage = get_storage()
        webm = storage.save(io.BytesIO(b"\x1a\x45\xdf\xa3" + bytes(64)), "webm")
        vtt = storage.save(io.BytesIO(b"WEBVTT\n"), "vtt")
        indicator.clips[0].published = False
        session.flush()
        upload = Clip(
            indicator=indicator, path=webm.key, captions_path=vtt.key, size=webm.size,
            duration=3.0, original_name="สอน.webm",
        )  # fmt: skip
        session.add(upload)
        session.commit()
        places = [str(storage.path(k)) for k in (webm.key, vtt.key)]
    result = runner.invoke(args=["content", "export", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("warning: 07:")]
    assert len(lines) == 2  # one per file: the video and its captions
    for line, what, place in zip(lines, ("video", "captions"), places, strict=True):
        assert "“สอน.webm” not exported (content files need a ready clip" in line
        assert line.endswith(f"its {what} is kept at {place}")


def test_an_export_that_would_not_load_writes_nothing(app, content, tmp_path):
    with app.app_context():
        session = get_session()
        quiz = session.scalar(select(Quiz).join(Indicator).where(Indicator.number == 6))
        quiz.draw_size = 99
        session.flush()
        with pytest.raises(ExportError, match=r"quizzes/06\.yaml.*draw"):
            _export(session, tmp_path)
        session.rollback()
    assert not any(tmp_path.rglob("*.yaml"))


def test_the_command_exports_to_a_folder(app, content, runner, tmp_path):
    result = runner.invoke(args=["content", "export", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "export:" in result.output and "0 removed" in result.output
    assert (tmp_path / "quizzes/01.yaml").read_bytes() == (REPO_QUIZZES / "01.yaml").read_bytes()
    again = runner.invoke(args=["content", "export", "--to", str(tmp_path)])
    assert "export: 0 written" in again.output


TRICKY = [
    "yes",
    "  นำหน้าด้วยช่องว่าง\nบรรทัดสอง",
    "key: value # not a comment",
    '"quoted" and \\ backslash',
    "- looks like a list\n\n  indented code\n\ttab",
    "ends with colon:",
    "[not] {a} flow, mapping",
]


@pytest.mark.parametrize("text", TRICKY)
def test_written_files_read_back_the_same_text(tmp_path, text):
    lesson = Lesson(0, text, text, text, text, text, title_th=text.split("\n")[0], title_en="x")
    path = tmp_path / "lesson.yaml"
    path.write_bytes(lesson_yaml(lesson, basics=True))
    expected = text.strip()
    back = read_lesson(path, 0)
    assert back.measures == expected and back.title_th == text.split("\n")[0].strip()
    card = tmp_path / "card.md"
    card.write_bytes(faq_md(Faq("card", 1, text.split("\n")[0], text)))
    assert read_faq(card).body == expected
    question = QuestionSpec(
        "q",
        "single",
        text,
        (ChoiceSpec("a", text, True), ChoiceSpec("b", "อื่น", False)),
        text,
        "measures",
    )
    bank = tmp_path / "bank.yaml"
    bank.write_bytes(bank_yaml(Bank(1, 80, 1, (question,))))
    back_question = read_bank(bank, 1, set()).questions[0]
    assert back_question.text == back_question.choices[0].text == expected
