"""The phone experience a volunteer notices (issue 13, deliverables 6 and 7): Thai form errors
and error pages, fields with errors tied to their messages, the lesson's status, start vs
continue, no clip bytes before play, a WebP poster, the favicon and a meta description."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.content.models import Clip, Indicator
from app.db import get_session

from .conftest import correct_answers, thai


def _clip(app, number: int) -> Clip:
    with app.app_context():
        session = get_session()
        stmt = select(Clip).join(Indicator).where(Indicator.number == number)
        return session.scalar(stmt.where(Clip.published.is_(True)))


# --- Thai messages ------------------------------------------------------------------------


def test_an_empty_signup_says_what_is_missing_in_thai(app, client, areas):
    page = client.post("/signup", data={}).get_data(as_text=True)
    assert "This field is required." not in page
    assert thai(app, "This field is required.") in page


def test_a_too_short_name_is_refused_in_thai(app, client, areas):
    page = client.post("/signup", data={"full_name": "ก"}).get_data(as_text=True)
    assert "characters long" not in page
    assert thai(app, "Field must be between %(min)d and %(max)d characters long.") % {
        "min": 2, "max": 120
    } in page  # fmt: skip


def test_the_english_ui_keeps_wtforms_english_messages(app, client, areas):
    client.post("/language", data={"lang": "en"})
    page = client.post("/signup", data={}).get_data(as_text=True)
    assert "This field is required." in page


def test_an_unknown_indicator_is_a_thai_404(app, client, content):
    response = client.get("/indicators/99")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert thai(app, "There is no indicator %(number)d.", number=99) in page
    assert thai(app, "Page not found") in page and "There is no indicator" not in page


def test_an_unknown_address_is_a_thai_404(app, client, areas):
    page = client.get("/no/such/page").get_data(as_text=True)
    assert "The requested URL was not found" not in page
    assert thai(app, "There is no page at this address. Check the link, or start again "
                     "from the training plan.") in page  # fmt: skip


def test_a_volunteer_opening_the_studio_gets_a_thai_403(app, client, make_user, login):
    login(client, make_user())
    response = client.get("/studio/")
    assert response.status_code == 403
    assert thai(app, "Your role may not open this page.") in response.get_data(as_text=True)


def test_the_409_certificate_page_is_thai(app, client, areas, make_user, login):
    volunteer = make_user()
    login(client, make_user(Role.ADMIN))
    response = client.get(f"/officer/certificates/volunteer/{volunteer}")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert thai(app, "Not possible yet") in page
    assert thai(app, "There is no active training plan, so nobody is ready yet.") in page


# --- Fields with errors -------------------------------------------------------------------


def test_a_field_with_an_error_is_marked_and_tied_to_its_message(app, client, areas):
    page = client.post("/login", data={"phone": "", "password": ""}).get_data(as_text=True)
    field = re.search(r"<input[^>]*\bid=\"phone\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert described and all(f'id="{i}"' in page for i in described)
    assert 'id="phone-error-1"' in described[0] or "phone-error-1" in described
    assert 'class="field has-error"' in page


def test_a_valid_field_is_not_marked_invalid(client, areas):
    page = client.get("/login").get_data(as_text=True)
    assert "aria-invalid" not in page


# --- Lessons, home, quiz ------------------------------------------------------------------


@pytest.fixture
def volunteer(client, make_user, login) -> int:
    """A logged-in volunteer."""
    user_id = make_user()
    login(client, user_id)
    return user_id


def _start(client, number) -> int:
    response = client.post(f"/indicators/{number}/quiz")
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def test_a_new_volunteer_is_asked_to_start_not_continue(app, client, content, make_plan, volunteer):
    make_plan([0, 1, 2])
    page = client.get("/").get_data(as_text=True)
    unit = thai(app, "Survey basics")
    assert thai(app, "Start: %(unit)s", unit=unit) in page
    assert thai(app, "Continue: %(unit)s", unit=unit) not in page


def test_a_lesson_says_it_was_passed_and_home_then_says_continue(
    app, client, content, make_plan, volunteer
):
    make_plan([0, 1, 2])
    assert thai(app, "You passed this lesson's quiz.") not in client.get("/indicators/1").text
    attempt_id = _start(client, 1)
    client.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))
    lesson = client.get("/indicators/1").get_data(as_text=True)
    assert thai(app, "You passed this lesson's quiz.") in lesson
    assert thai(app, "Take the quiz again") in lesson
    home = client.get("/").get_data(as_text=True)
    assert thai(app, "Continue: %(unit)s", unit=thai(app, "Survey basics")) in home


def test_the_lesson_loads_no_clip_before_play_and_shows_a_webp_poster(app, client, content):
    clip = _clip(app, 3)
    page = client.get("/indicators/3").get_data(as_text=True)
    video = re.search(r"<video[^>]*>", page).group(0)
    assert 'preload="none"' in video
    poster = re.search(r'poster="([^"]+)"', video).group(1)
    assert poster.endswith(".webp") and clip.poster_webp_path in poster
    with client.get(poster) as served, client.get(f"/media/{clip.poster_path}") as jpeg:
        assert served.status_code == 200 and served.mimetype == "image/webp"
        assert served.data[:4] == b"RIFF" and served.data[8:12] == b"WEBP"
        assert len(served.data) < len(jpeg.data) / 1.5  # a third to a half of the JPEG's bytes


def test_the_webp_poster_is_made_at_the_width_a_phone_shows(app, content):
    from PIL import Image

    from app.media.images import POSTER_WIDTH
    from app.storage import get_storage

    clip = _clip(app, 3)
    with app.app_context(), Image.open(get_storage().path(clip.poster_webp_path)) as image:
        assert image.format == "WEBP" and image.width == POSTER_WIDTH


def test_the_save_data_switch_is_on_when_the_browser_saves_data(app, client, content, volunteer):
    page = client.get("/indicators/3", headers={"Save-Data": "on"}).get_data(as_text=True)
    switch = re.search(r'<button class="switch"[^>]*>[^<]*', page).group(0)
    assert 'aria-pressed="true"' in switch and thai(app, "Save data: on") in switch
    off = client.get("/indicators/3").get_data(as_text=True)
    assert thai(app, "Save data: off") in re.search(r'<button class="switch"[^>]*>[^<]*', off)[0]


def test_thai_lesson_text_is_marked_thai_in_the_english_ui(client, content):
    client.post("/language", data={"lang": "en"})
    page = client.get("/indicators/3").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert re.search(r'<h1 lang="th">', page)
    assert page.count('lang="th"') >= 4  # title, who is asked, criterion, lesson sections


def test_the_thai_ui_does_not_repeat_lang_on_lesson_text(client, content):
    page = client.get("/indicators/3").get_data(as_text=True)
    assert "<h1 lang=" not in page


# --- Favicon and description --------------------------------------------------------------


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00" and len(response.data) < 8192


@pytest.mark.parametrize("url", ["/", "/indicators/3", "/summary", "/login", "/signup"])
def test_public_pages_have_a_meta_description(client, content, url):
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert found and len(found.group(1)) > 40


def test_process_pending_gives_older_clips_their_webp_poster(app, runner, content):
    with app.app_context():
        session = get_session()
        clip = session.scalar(select(Clip).join(Indicator).where(Indicator.number == 3))
        clip.poster_webp_path = None  # as stored before lessons showed WebP posters
        session.commit()
    result = runner.invoke(args=["media", "process-pending"])
    assert result.exit_code == 0 and "WebP posters made: 1" in result.output
    assert _clip(app, 3).poster_webp_path.endswith(".webp")
