"""`flask content load` never silently overwrites studio changes that were not exported."""

from __future__ import annotations

from sqlalchemy import select

from app.content.models import FaqCard, Indicator
from app.db import get_session

CARD = {"slug": "guard-card", "title": "การ์ดจากห้องทำงานวิทยากร", "body": "เนื้อหาใหม่"}


def _studio_card_exists(app) -> bool:
    with app.app_context():
        return get_session().scalar(select(FaqCard).where(FaqCard.slug == "guard-card")) is not None


def _edit_in_studio(client) -> None:
    response = client.post("/studio/indicators/1/faq/new", data=CARD)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_load_refuses_while_studio_changes_are_not_exported(app, client, runner, content, trainer):
    _edit_in_studio(client)
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 1
    assert "1 studio change(s)" in result.output and "flask content export" in result.output
    assert _studio_card_exists(app)


def test_make_run_skips_the_load_and_keeps_the_changes(app, client, runner, content, trainer):
    _edit_in_studio(client)
    result = runner.invoke(args=["content", "load", "--skip-if-studio-changes"])
    assert result.exit_code == 0 and "not loaded" in result.output
    assert _studio_card_exists(app)


def test_after_an_export_the_load_goes_ahead(app, client, runner, content, trainer, tmp_path):
    import shutil
    from pathlib import Path

    root = Path(app.root_path).parent
    shutil.copytree(root / "content", tmp_path / "content")
    shutil.copytree(root / "quizzes", tmp_path / "quizzes")
    app.config.update(CONTENT_ROOT=str(tmp_path / "content"), QUIZ_ROOT=str(tmp_path / "quizzes"))
    _edit_in_studio(client)
    with app.app_context():  # publish it, so the export writes it
        card = get_session().scalar(select(FaqCard).where(FaqCard.slug == "guard-card"))
    assert client.post(f"/studio/faq/{card.id}/publish").status_code == 302
    exported = runner.invoke(args=["content", "export"])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "content/indicators/01/faq/guard-card.md").is_file()
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0 and result.output.strip() == "content: no changes"


def test_force_discards_the_studio_changes(app, client, runner, content, trainer):
    _edit_in_studio(client)
    with app.app_context():
        title = get_session().scalar(select(Indicator.title_th).where(Indicator.number == 1))
    result = runner.invoke(args=["content", "load", "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        card = get_session().scalar(select(FaqCard).where(FaqCard.slug == "guard-card"))
        assert card is not None and not card.published  # not in the files: left a draft
        assert (
            get_session().scalar(select(Indicator.title_th).where(Indicator.number == 1)) == title
        )
