"""Installable and saved for no signal: the manifest, /sw.js, what each scope saves with its
sizes, and the content version a trainer's publish changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.content.models import Indicator
from app.db import get_session
from app.offline.rules import BadScope, parse_scope, pick_variant, shown_width


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["name"] == "BMN Learn" and manifest["short_name"]
    assert manifest["lang"] == "th"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b6e4f"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_every_page_links_the_manifest_and_registers_the_worker(client, content):
    page = client.get("/indicators/0").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "/static/js/offline.js?v=" in page


def test_the_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert 'addEventListener("fetch"' in response.get_data(as_text=True)


def test_the_save_page_needs_a_login(client):
    assert client.get("/offline").status_code == 302
    assert client.get("/offline/list?scope=all").status_code == 302


@pytest.fixture
def volunteer(client, content, make_user, login):
    login(client, make_user(Role.VOLUNTEER))
    return client


def test_the_save_page_offers_the_three_scopes(volunteer):
    page = volunteer.get("/offline").get_data(as_text=True)
    for scope in ("basics", "category", "all"):
        assert f'value="{scope}"' in page
    assert 'id="offline-clear"' in page


def urls(data, key="pages"):
    return [item["url"] for item in data[key]]


def test_a_category_saves_its_lessons_summary_card_and_quiz_shell(app, volunteer):
    data = volunteer.get("/offline/list?scope=category&n=1&w=360").get_json()
    with app.app_context():
        numbers = get_session().scalars(
            select(Indicator.number).where(Indicator.category_number == 1)
        )
        lessons = [f"/indicators/{n}" for n in numbers]
    pages = urls(data)
    assert lessons and all(url in pages for url in lessons)
    assert "/indicators/0" not in pages
    assert {"/", "/summary", "/summary/1", "/ready", "/offline"} <= set(pages)
    assert "/summary/2" not in pages
    assert any(url.startswith("/static/js/offline.js?v=") for url in urls(data, "files"))
    assert data["quizzes"] and set(data["quizzes"]) <= {int(u.rsplit("/", 1)[1]) for u in lessons}
    assert data["bytes"] == sum(i["bytes"] for i in data["pages"] + data["files"])
    assert all(item["bytes"] > 0 for item in data["pages"] + data["files"] + data["clips"])
    assert data["clip_bytes"] == sum(i["bytes"] for i in data["clips"])
    assert data["version"]


def test_basics_and_everything(volunteer):
    basics = urls(volunteer.get("/offline/list?scope=basics").get_json())
    assert "/indicators/0" in basics and "/indicators/1" not in basics
    everything = volunteer.get("/offline/list?scope=all").get_json()
    pages = urls(everything)
    assert "/indicators/0" in pages and "/indicators/38" in pages
    assert {f"/summary/{n}" for n in range(1, 6)} <= set(pages)


def test_the_infographic_is_saved_at_the_screen_width(app, volunteer):
    from app.content.models import Infographic

    with app.app_context():
        shown = get_session().scalars(select(Infographic).where(Infographic.published.is_(True)))
        infographic = next(i for i in shown if len(i.variants or []) > 1)
        number = infographic.indicator.number
        category = infographic.indicator.category_number
        variants = sorted(infographic.variants, key=lambda v: v["width"])
    narrow = volunteer.get(f"/offline/list?scope=category&n={category}&w=300").get_json()
    wide = volunteer.get(f"/offline/list?scope=category&n={category}&w=5000").get_json()
    assert f"/media/{variants[0]['webp']}" in urls(narrow, "files")
    assert f"/media/{variants[-1]['webp']}" in urls(wide, "files")
    assert f"/media/{variants[-1]['webp']}" not in urls(narrow, "files")
    # A saved page asking for another width gets the saved one.
    assert narrow["aliases"][f"/media/{variants[-1]['jpeg']}"] == f"/media/{variants[0]['webp']}"
    assert f"/indicators/{number}" in urls(narrow)


def test_clips_are_listed_apart_in_the_low_data_version(app, volunteer):
    from app.content.models import Clip

    with app.app_context():
        session = get_session()
        clip = session.scalar(
            select(Clip).where(Clip.published.is_(True), Clip.state == "ready").limit(1)
        )
        clip.low_path, clip.low_size = "lo/low-data.mp4", 12_345
        category, low, full = clip.indicator.category_number, clip.low_path, clip.path
        session.commit()
    data = volunteer.get(f"/offline/list?scope=category&n={category}").get_json()
    assert f"/media/{low}" in urls(data, "clips")
    assert f"/media/{full}" not in urls(data, "clips") + urls(data, "files")
    assert data["aliases"][f"/media/{full}"] == f"/media/{low}"


@pytest.mark.parametrize("query", ["scope=x", "scope=category", "scope=category&n=9"])
def test_a_bad_scope_is_refused(volunteer, query):
    assert volunteer.get(f"/offline/list?{query}").status_code == 400


def test_scope_and_width_rules():
    assert parse_scope("category", "2", {1, 2}).category == 2
    with pytest.raises(BadScope):
        parse_scope("category", "x", {1})
    variants = [{"width": 360}, {"width": 720}, {"width": 1080}]
    assert pick_variant(variants, 300)["width"] == 360
    assert pick_variant(variants, 700)["width"] == 720
    assert pick_variant(variants, 2000)["width"] == 1080
    assert pick_variant([], 300) is None
    assert shown_width(None) == 360


def version(client):
    response = client.get("/offline/version")
    assert "no-store" in response.headers["Cache-Control"]
    return response.get_json()["version"]


def test_publishing_a_card_changes_the_content_version(app, client, content, make_faq_card):
    before = version(client)
    assert version(client) == before
    card_id = make_faq_card(1, "new-card", published=False)
    assert version(client) == before  # a draft is not published
    with app.app_context():
        from app.content.models import FaqCard

        get_session().get(FaqCard, card_id).published = True
        get_session().commit()
    assert version(client) != before


def test_editing_a_lesson_changes_the_content_version(app, client, content):
    before = version(client)
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == 1))
        indicator.pitfalls += "\n\nข้อผิดพลาดใหม่"
        session.commit()
    assert version(client) != before


def test_unpublishing_a_question_changes_the_content_version(app, client, content):
    from app.quizzes.models import Question

    before = version(client)
    with app.app_context():
        session = get_session()
        question = session.scalar(select(Question).where(Question.published.is_(True)).limit(1))
        question.published = False
        session.commit()
    assert version(client) != before


def test_a_saved_lesson_keeps_what_its_page_loads_offline(volunteer):
    """The poster the page shows, its captions and robots.txt are saved with the lessons
    (the clip itself only when asked for)."""
    data = volunteer.get("/offline/list?scope=category&n=1&w=720").get_json()
    saved = {item["url"] for item in data["pages"] + data["files"]}
    assert "/robots.txt" in saved
    lesson = volunteer.get("/indicators/3").get_data(as_text=True)
    poster = lesson.split('poster="', 1)[1].split('"', 1)[0]
    captions = lesson.split('kind="captions"', 1)[1].split('src="', 1)[1].split('"', 1)[0]
    assert poster in saved and captions in saved
    robots = volunteer.get("/robots.txt")
    assert robots.status_code == 200 and b"Disallow: /officer/" in robots.data
