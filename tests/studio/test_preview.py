"""Previews: the live Markdown preview returns only sanitised HTML; the lesson preview shows
trainers the drafts (marked) that volunteers never see."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.content.models import FaqCard, Indicator
from app.db import get_session, utcnow

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt&#58;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a style="position:fixed;top:0" href="https://example.org">x</a>',
    "<style>body{display:none}</style>",
    '<iframe src="https://example.org"></iframe>',
    "<svg onload=alert(1)><circle/></svg>",
    '<p onclick="alert(1)">x</p>',
]
DANGER = re.compile(
    r"<(script|style|iframe|svg|img|object|embed)|\son\w+\s*=|style\s*=|javascript:|data:", re.I
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_live_preview_removes_every_script_route(client, areas, trainer, payload):
    response = client.post("/studio/preview", data={"text": f"**ok** {payload}"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<strong>ok</strong>" in html
    assert not DANGER.search(html), html


def test_the_live_preview_keeps_safe_markdown_and_refuses_huge_text(client, areas, trainer):
    html = client.post(
        "/studio/preview", data={"text": "- หนึ่ง\n\n[คู่มือ](https://cdd.go.th)"}
    ).get_data(as_text=True)
    assert "<li>หนึ่ง</li>" in html and 'href="https://cdd.go.th"' in html
    assert client.post("/studio/preview", data={"text": "x" * 20_001}).status_code == 413


def _set(app, number: int, **published: bool) -> None:
    """Publish or unpublish an indicator's first clip, infographic and FAQ card."""
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        items = {
            "clip": indicator.clips[0],
            "infographic": indicator.infographics[0],
            "card": sorted(indicator.faq_cards, key=lambda c: c.position)[0],
        }
        for name, value in published.items():
            items[name].published = value
        session.commit()


def test_the_preview_shows_trainers_the_drafts_marked(app, client, content, trainer):
    client.post("/language", data={"lang": "en"})
    _set(app, 2, clip=False, infographic=False, card=False)
    lesson = client.get("/indicators/2").get_data(as_text=True)
    assert "<video" not in lesson and 'class="info"' not in lesson and ">Draft<" not in lesson
    preview = client.get("/studio/indicators/2/preview").get_data(as_text=True)
    assert "Preview: the page as volunteers will see it" in preview
    assert "<video" in preview and 'class="info"' in preview
    assert preview.count(">Draft<") == 3
    assert 'href="/studio/indicators/2"' in preview


def test_published_items_are_not_marked_in_the_preview(app, client, content, trainer):
    client.post("/language", data={"lang": "en"})
    preview = client.get("/studio/indicators/2/preview").get_data(as_text=True)
    assert "<video" in preview and ">Draft<" not in preview


def test_archived_items_stay_out_of_the_preview(app, client, content, trainer):
    _set(app, 3, card=False)
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == 3))
        card = sorted(indicator.faq_cards, key=lambda c: c.position)[0]
        card.archived_at = utcnow()
        slug = card.slug
        session.commit()
    assert f'id="faq-{slug}"' not in client.get("/studio/indicators/3/preview").get_data(
        as_text=True
    )


def test_studio_script_loads_on_editors_only(client, content, trainer):
    assert "js/studio.js" in client.get("/studio/indicators/1/faq/new").get_data(as_text=True)
    assert "js/studio.js" in client.get("/studio/indicators/1/lesson").get_data(as_text=True)
    assert "js/studio.js" not in client.get("/indicators/1").get_data(as_text=True)
    assert client.get("/static/js/studio.js").status_code == 200


def test_the_no_script_preview_button_shows_the_answer_and_saves_nothing(
    app, client, content, trainer
):
    page = client.post(
        "/studio/indicators/1/faq/new",
        data={"title": "ร่าง", "body": "**ตัวหนา** <script>alert(1)</script>", "preview": "1"},
    ).get_data(as_text=True)
    assert re.search(r'id="preview-body"[^>]*><p><strong>ตัวหนา</strong>', page)
    assert "<script>alert(1)" not in page
    with app.app_context():
        assert get_session().scalar(select(FaqCard).where(FaqCard.title_th == "ร่าง")) is None
