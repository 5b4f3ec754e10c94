"""The lesson page: text, criterion, clip with captions, infographic, FAQ; media by range."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.content.markdown import render_markdown
from app.content.models import FaqCard, Indicator
from app.db import get_session

from ..conftest import thai


def test_a_complete_lesson_shows_every_part(app, client, content, complete_numbers):
    number = complete_numbers[0]
    page = client.get(f"/indicators/{number}").get_data(as_text=True)
    with app.app_context():
        indicator = get_session().scalar(select(Indicator).where(Indicator.number == number))
        cards = [c for c in indicator.faq_cards if c.published]
        title, criterion_th = indicator.title_th, indicator.criterion_th
    assert title in page
    for anchor in ("measures", "how_to_ask", "how_to_record", "criterion"):
        assert f'id="{anchor}"' in page
    assert (
        criterion_th in page
        if criterion_th
        else thai(
            app,
            "The exact threshold for this indicator is set in the official BMN manual (2566-2570). "
            "Follow the manual and your district community development officer; do not guess.",
        )
        in page
    )
    video = re.search(r"<video[^>]*>.*?</video>", page, re.S).group(0)
    assert 'poster="/media/' in video and 'kind="captions"' in video and 'srclang="th"' in video
    assert re.search(
        r'<img class="info" src="/media/[^"]+" width="\d+" height="\d+"\s+alt="[^"]+', page
    )
    assert len(cards) >= 3
    for card in cards:
        assert f'id="faq-{card.slug}"' in page
    assert f'href="/login?next=/indicators/{number}"' in page  # visitors log in first


def test_every_indicator_has_a_page_with_clip_and_infographic(client, content):
    for number in range(1, 39):
        page = client.get(f"/indicators/{number}").get_data(as_text=True)
        assert "<video" in page and 'class="info"' in page, number


def test_a_provisional_indicator_says_its_wording_awaits_the_manual(app, client, content):
    page = client.get("/indicators/1").get_data(as_text=True)
    assert (
        thai(
            app,
            "Provisional wording: this indicator's text awaits the official 2566-2570 manual. "
            "Follow your district officer if it differs.",
        )
        in page
    )
    assert "Provisional wording" not in client.get("/indicators/2").get_data(as_text=True)


def test_trainers_see_which_carried_over_indicators_still_need_checking(
    app, client, content, make_user, login
):
    from app.auth.models import Role

    note = "To check: wording carried over"
    client.post("/language", data={"lang": "en"})
    assert note not in client.get("/indicators/2").get_data(as_text=True)
    login(client, make_user(Role.TRAINER))
    client.post("/language", data={"lang": "en"})
    assert note in client.get("/indicators/2").get_data(as_text=True)


def test_faq_markdown_is_sanitised(app, client, content):
    with app.app_context():
        card = get_session().scalar(select(FaqCard).limit(1))
        card.body = (
            "**ตัวหนา** <script>alert(1)</script> [x](javascript:alert(1)) "
            "<img src=x onerror=alert(1)>"
        )
        number = card.indicator.number
        get_session().commit()
    page = client.get(f"/indicators/{number}").get_data(as_text=True)
    assert "<strong>ตัวหนา</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_markdown_renderer_keeps_lists_and_links():
    html = str(render_markdown("- หนึ่ง\n- สอง\n\n[คู่มือ](https://cdd.go.th)"))
    assert "<li>หนึ่ง</li>" in html and 'href="https://cdd.go.th"' in html and "noopener" in html


def test_unknown_indicator_is_404(client, content):
    assert client.get("/indicators/99").status_code == 404


def test_clip_is_served_with_range_requests(app, client, content):
    with app.app_context():
        clip = get_session().scalar(select(Indicator).where(Indicator.number == 2)).clips[0]
        path, size = clip.path, clip.size
    with client.get(f"/media/{path}") as full:
        assert full.status_code == 200 and full.mimetype == "video/mp4"
        assert full.headers["Accept-Ranges"] == "bytes"
        whole = full.data
    with client.get(f"/media/{path}", headers={"Range": "bytes=100-199"}) as part:
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 100-199/{size}"
        assert part.data == whole[100:200]


def test_captions_are_webvtt(app, client, content):
    with app.app_context():
        clip = get_session().scalar(select(Indicator).where(Indicator.number == 2)).clips[0]
        captions = clip.captions_path
    with client.get(f"/media/{captions}") as response:
        assert response.mimetype == "text/vtt" and response.data.startswith(b"WEBVTT")


def test_media_route_serves_only_media_files_inside_the_media_root(client, content):
    assert client.get("/media/indicators/02/media/media.yaml").status_code == 404
    assert client.get("/media/../app/config.py").status_code == 404
    assert client.get("/media/indicators.csv").status_code == 404


def test_rendered_markdown_is_reused_but_never_stale():
    """Each text is converted once (a lesson view used the same texts a dozen times); an edited
    text is a new text, rendered anew and sanitised like the first."""
    from app.content import markdown as rendering

    rendering._render.cache_clear()
    first = render_markdown("**ถามทุกคนในบ้าน**<script>alert(1)</script>")
    again = render_markdown("**ถามทุกคนในบ้าน**<script>alert(1)</script>")
    edited = render_markdown("**ถามทุกคนในบ้าน** รวมเด็กด้วย")
    assert again == first and "<script>" not in first and "<strong>" in first
    assert "รวมเด็กด้วย" in edited and edited != first
    info = rendering._render.cache_info()
    assert (info.hits, info.misses) == (1, 2)
