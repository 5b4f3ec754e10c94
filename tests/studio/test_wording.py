"""Trainers edit an indicator's wording and lesson text, and confirm wording against the
manual; edits survive `flask content load`, and the history says who did what, when."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from app.content.models import AuditEntry, Indicator
from app.db import get_session
from app.i18n import format_date_be

from ..conftest import thai

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'
WORDING = {
    "title_th": "หญิงตั้งครรภ์ได้รับการฝากครรภ์ครบ 8 ครั้ง",
    "title_en": "Pregnant women attend all 8 antenatal visits",
    "target_group_th": "หญิงตั้งครรภ์",
    "criterion_th": "ฝากครรภ์ครบ 8 ครั้งตามคู่มือ",
}


def _indicator(number: int) -> Indicator:
    return get_session().scalar(select(Indicator).where(Indicator.number == number))


def _audit(action: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return list(get_session().scalars(stmt))


def test_edited_wording_is_audited_and_kept_by_content_load(app, client, runner, content, trainer):
    with app.app_context():
        old_title = _indicator(1).title_th
    response = client.post("/studio/indicators/1/wording", data=WORDING)
    assert response.status_code == 302
    result = runner.invoke(args=["content", "load", "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        indicator = _indicator(1)
        assert {name: getattr(indicator, name) for name in WORDING} == WORDING
        assert indicator.wording_source == "studio"
        (entry,) = _audit("wording.edit")
        assert entry.user_id == trainer and entry.indicator_id == indicator.id
        assert entry.detail["title_th"] == [old_title, WORDING["title_th"]]
    assert WORDING["title_th"] in client.get("/indicators/1").get_data(as_text=True)


def test_saving_unchanged_wording_records_nothing(app, client, content, trainer):
    with app.app_context():
        indicator = _indicator(2)
        same = {name: getattr(indicator, name) for name in WORDING}
    client.post("/studio/indicators/2/wording", data=same)
    with app.app_context():
        assert _audit("wording.edit") == []
        assert _indicator(2).wording_source == "content"


def test_a_title_is_required(app, client, content, trainer):
    page = client.post("/studio/indicators/2/wording", data={**WORDING, "title_th": " "})
    assert page.status_code == 200 and 'class="field has-error"' in page.get_data(as_text=True)
    with app.app_context():
        assert _indicator(2).title_th != WORDING["title_th"]


def test_confirming_records_who_and_when_and_shows_in_the_history(
    app, client, runner, content, trainer
):
    client.post("/language", data={"lang": "th"})  # Buddhist-era dates in Thai
    client.post("/studio/indicators/1/wording", data=WORDING)
    note = "คู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570 หน้า 34"
    assert client.post("/studio/indicators/1/confirm", data={"note": note}).status_code == 302
    assert runner.invoke(args=["content", "load", "--force"]).exit_code == 0
    with app.app_context():
        indicator = _indicator(1)
        assert indicator.status == "official" and indicator.confirmed_by_id == trainer
        verified = indicator.verified_at
        (entry,) = _audit("wording.confirm")
        assert entry.detail["note"] == note and entry.detail["wording"] == WORDING
    with app.test_request_context(), force_locale("th"):
        when = format_date_be(verified, with_time=True)
        date = format_date_be(verified)
    page = client.get("/studio/indicators/1/wording").get_data(as_text=True)
    history = page[page.index('id="history"') :]
    assert "ครูฝึก ทดสอบ" in history and note in history and when in history
    assert history.index(note) < history.index(WORDING["title_en"])  # newest first
    overview = client.get("/studio/").get_data(as_text=True)
    assert "ครูฝึก ทดสอบ" in overview and date in overview
    provisional = thai(
        app,
        "Provisional wording: this indicator's text awaits the official 2566-2570 manual. "
        "Follow your district officer if it differs.",
    )
    assert provisional not in client.get("/indicators/1").get_data(as_text=True)


def test_confirming_needs_a_note(app, client, content, trainer):
    page = client.post("/studio/indicators/1/confirm", data={"note": "  "})
    assert 'class="field has-error"' in page.get_data(as_text=True)
    with app.app_context():
        assert _indicator(1).status == "provisional" and _audit("wording.confirm") == []


def test_editing_confirmed_wording_makes_it_provisional_again(app, client, content, trainer):
    client.post("/studio/indicators/3/confirm", data={"note": "manual p. 40"})
    client.post("/studio/indicators/3/wording", data=WORDING)
    with app.app_context():
        indicator = _indicator(3)
        assert indicator.status == "provisional" and indicator.confirmed_by_id is None
        (entry,) = _audit("wording.edit")
        assert entry.detail["status"] == ["official", "provisional"]


def test_wording_is_escaped_on_studio_pages_and_the_lesson(client, content, trainer):
    client.post("/studio/indicators/4/wording", data={**WORDING, "title_th": XSS, "title_en": XSS})
    for url in (
        "/studio/",
        "/studio/indicators/4",
        "/studio/indicators/4/wording",
        "/indicators/4",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(1)" in page, url


def test_the_survey_basics_have_no_wording_page(client, content, trainer):
    assert client.get("/studio/indicators/0/wording").status_code == 404
    assert client.post("/studio/indicators/0/confirm", data={"note": "x"}).status_code == 404


def test_lesson_text_is_saved_audited_and_shown_sanitised(app, client, content, trainer):
    with app.app_context():
        indicator = _indicator(5)
        sections = {
            name: getattr(indicator, name)
            for name in ("measures", "target_group", "how_to_ask", "how_to_record", "pitfalls")
        }
        old_pitfalls = indicator.pitfalls
    pitfalls = "- **ลืมถาม** ผู้สูงอายุ\n- <script>alert(1)</script> [x](javascript:alert(1))"
    response = client.post("/studio/indicators/5/lesson", data={**sections, "pitfalls": pitfalls})
    assert response.status_code == 302
    with app.app_context():
        assert _indicator(5).pitfalls == pitfalls
        (entry,) = _audit("lesson.edit")
        assert entry.detail == {"pitfalls": [old_pitfalls, pitfalls]}
    page = client.get("/indicators/5").get_data(as_text=True)
    assert "<strong>ลืมถาม</strong>" in page
    assert "<script>alert(1)" not in page and "javascript:" not in page


def test_the_lesson_preview_button_renders_without_saving(app, client, content, trainer):
    with app.app_context():
        before = _indicator(6).measures
    page = client.post(
        "/studio/indicators/6/lesson",
        data={"measures": "**ใหม่** <img src=x onerror=alert(1)>", "preview": "1"},
    ).get_data(as_text=True)
    box = page[page.index('id="preview-measures"') :]
    assert box.startswith('id="preview-measures" aria-live="polite"><p><strong>ใหม่</strong>')
    assert "onerror" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    with app.app_context():
        assert _indicator(6).measures == before and _audit("lesson.edit") == []
