"""`flask content load`: validates everything, loads in one transaction, idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.content.models import Category, Clip, FaqCard, Indicator
from app.db import get_session
from app.quizzes.models import Question

ROOT = Path(__file__).resolve().parents[2]
SHARED_CSV = ROOT.parent / "shared" / "data" / "bmn-indicators.csv"


def _count(model) -> int:
    return get_session().scalar(select(func.count()).select_from(model))


def test_all_38_indicators_in_5_categories_load_with_their_status(app, runner):
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        numbers = set(get_session().scalars(select(Indicator.number)))
        assert numbers - {0} == set(range(1, 39)) and _count(Category) == 5
        session = get_session()
        statuses = dict(session.execute(select(Indicator.number, Indicator.status)).all())
        assert {n for n, s in statuses.items() if s == "provisional"} == {1, 5, 12, 20, 36, 37, 38}
        water = session.scalar(select(Indicator).where(Indicator.number == 14))
        assert "5 ลิตร" in water.criterion_th


def test_the_indicator_list_is_the_shared_facts_file():
    if not SHARED_CSV.exists():
        pytest.skip("shared/data is not beside this checkout")
    assert (ROOT / "content" / "indicators.csv").read_text() == SHARED_CSV.read_text()


def test_loading_twice_changes_nothing(app, runner):
    first = runner.invoke(args=["content", "load"])
    assert "new indicators" in first.output
    second = runner.invoke(args=["content", "load"])
    assert second.exit_code == 0
    assert second.output.strip() == "content: no changes"


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_bank(quizzes: Path) -> Path:
    return sorted(quizzes.glob("*.yaml"))[0]


def test_a_malformed_bank_names_file_line_and_field_and_loads_nothing(app, runner, content_copy):
    _content, quizzes = content_copy
    bank = _first_bank(quizzes)
    _break(bank, "type: single", "type: essay")
    line = next(i for i, t in enumerate(bank.read_text().splitlines(), 1) if "type: essay" in t)
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code != 0
    assert f"{bank.name}:{line}" in result.output and ".type" in result.output
    with app.app_context():
        assert _count(Indicator) == 0 and _count(Question) == 0


def test_a_single_choice_question_needs_exactly_one_right_answer(app, runner, content_copy):
    _content, quizzes = content_copy
    bank = _first_bank(quizzes)
    text = bank.read_text(encoding="utf-8")
    # make the choice after the right one right too
    old = "correct: true\n      - text:"
    assert old in text
    bank.write_text(text.replace(old, "correct: true\n      - correct: true\n        text:", 1))
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code != 0
    assert "exactly 1 correct" in result.output


def test_a_reference_to_a_missing_faq_card_is_refused(app, runner, content_copy):
    _content, quizzes = content_copy
    bank = _first_bank(quizzes)
    text = bank.read_text(encoding="utf-8")
    start = text.index("see: faq:") + len("see: faq:")
    bank.write_text(text[:start] + "no-such-card-" + text[start:], encoding="utf-8")
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code != 0 and "no FAQ card" in result.output


def test_invalid_yaml_is_reported_with_its_line(app, runner, content_copy):
    content, _quizzes = content_copy
    lesson = sorted(content.glob("indicators/*/lesson.yaml"))[0]
    lesson.write_text("version: 1\nindicator: [unclosed\n", encoding="utf-8")
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code != 0
    assert lesson.name in result.output and "invalid YAML" in result.output


def test_a_faq_card_without_front_matter_is_named(app, runner, content_copy):
    content, _quizzes = content_copy
    card = sorted(content.glob("indicators/*/faq/*.md"))[0]
    card.write_text("just text\n", encoding="utf-8")
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code != 0 and card.name in result.output and "front matter" in result.output


def test_media_are_checked_by_content_not_by_name(app, runner, content_copy):
    content, _quizzes = content_copy
    media = content / "indicators" / "01" / "media"
    shutil.copy(media / "poster.jpg", media / "clip.mp4")  # a JPEG named .mp4
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code != 0
    assert "clip.file" in result.output and "not the expected file type" in result.output


def test_an_oversized_infographic_is_refused(app, runner, content_copy):
    content, _quizzes = content_copy
    image = content / "indicators" / "02" / "media" / "infographic.png"
    image.write_bytes(image.read_bytes() + b"\0" * 160 * 1024)
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code != 0 and "150 KB" in result.output


def test_a_removed_faq_card_is_unpublished_not_deleted(app, runner, content_copy):
    content, _quizzes = content_copy
    runner.invoke(args=["content", "load"])
    # a card no question points at
    banks = "".join(p.read_text() for p in (content.parent / "quizzes").glob("*.yaml"))
    card = next(p for p in content.glob("indicators/*/faq/*.md") if f"faq:{p.stem}" not in banks)
    card.unlink()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    number = int(card.parent.parent.name)
    with app.app_context():
        stmt = (
            select(FaqCard)
            .join(Indicator)
            .where(FaqCard.slug == card.stem, Indicator.number == number)
        )
        row = get_session().scalar(stmt)
        assert row is not None and row.published is False


def test_official_list_import_keeps_lessons_and_questions_attached(app, runner, tmp_path):
    runner.invoke(args=["content", "load"])
    with app.app_context():
        before = _count(Question)
        some = get_session().scalar(
            select(Question).join(Indicator).where(Indicator.number > 0).limit(1)
        )
        number = get_session().get(Indicator, some.indicator_id).number
    source = (ROOT / "content" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    header, rows = source[0], source[1:]
    rows = [r.rsplit(",", 1)[0] + ",official" for r in rows]
    rows[number - 1] = rows[number - 1].replace(",", ",", 1)
    official = tmp_path / "official.csv"
    official.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["content", "import-indicators", str(official)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["content", "load"]).exit_code == 0  # must not undo the import
    with app.app_context():
        session = get_session()
        assert _count(Question) == before
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        assert indicator.status == "official" and indicator.wording_source == "import"
        assert session.get(Question, some.id).indicator_id == indicator.id


def test_a_bad_official_list_imports_nothing(app, runner, tmp_path):
    runner.invoke(args=["content", "load"])
    bad = tmp_path / "official.csv"
    lines = (ROOT / "content" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",maybe"
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(args=["content", "import-indicators", str(bad)])
    assert result.exit_code != 0 and "official.csv:4: status" in result.output
    with app.app_context():
        stmt = select(Indicator.status).where(Indicator.number > 0)
        assert "official" not in set(get_session().scalars(stmt))


def test_media_gone_from_the_files_are_unpublished(app, runner, content_copy):
    content, _quizzes = content_copy
    runner.invoke(args=["content", "load"])
    (content / "indicators" / "03" / "media" / "media.yaml").unlink()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    with app.app_context():
        indicator = get_session().scalar(select(Indicator).where(Indicator.number == 3))
        assert [c.published for c in indicator.clips] == [False]
        assert [i.published for i in indicator.infographics] == [False]


def test_a_file_clip_replaces_an_uploaded_clip_shown_in_its_place(app, runner, content_copy):
    runner.invoke(args=["content", "load"])
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == 3))
        (shipped,) = indicator.clips
        shipped.published = False
        session.flush()
        session.add(
            Clip(indicator=indicator, path="00/upload.mp4", size=1, original_name="ใหม่.mp4")
        )  # published: shown instead of the shipped clip
        session.commit()
    result = runner.invoke(args=["content", "load", "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        indicator = get_session().scalar(select(Indicator).where(Indicator.number == 3))
        shown = [(c.original_name, c.published) for c in indicator.clips]
        assert shown == [("", True), ("ใหม่.mp4", False)]  # one clip shown: the files'
