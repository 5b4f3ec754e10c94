"""Asking from a lesson or a quiz result: routed to the asker's zone, checked, sent once."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import func, select

from app.db import get_session
from app.support.models import PROVINCE, SupportQuestion
from app.support.photos import photo_store

from ..conftest import thai
from ..media.test_images import gps_jpeg

KEY = "0123456789abcdef0123456789abcdef"


def _ask(client, number=1, text="สมาชิกที่ไปทำงานต่างจังหวัดนับไหมครับ", key=KEY, **extra):
    data = {"text": text, "request_key": key, **extra}
    return client.post(f"/indicators/{number}/ask", data=data, content_type="multipart/form-data")


def _questions(app) -> list[SupportQuestion]:
    with app.app_context():
        return list(get_session().scalars(select(SupportQuestion).order_by(SupportQuestion.id)))


def test_the_lesson_and_the_quiz_result_offer_the_ask_form(app, client, zone_volunteer, login):
    login(client, zone_volunteer("north"))
    page = client.get("/indicators/3").get_data(as_text=True)
    assert thai(app, "Ask a question about this indicator") in page
    assert 'action="/indicators/3/ask"' in page and 'name="request_key"' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_question_goes_to_the_askers_zone(app, client, zone_volunteer, login):
    login(client, zone_volunteer("south"))
    response = _ask(client, number=5)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        thai(
            app,
            "Question sent to your zone's support team. The answer will appear on your home page.",
        )
        in page
    )
    [question] = _questions(app)
    assert (question.zone, question.status) == ("south", "open")
    with app.app_context():
        from app.content.models import Indicator

        assert get_session().get(Indicator, question.indicator_id).number == 5


def test_a_volunteer_without_a_zone_asks_the_province_wide_queue(
    app, client, content, make_user, login
):
    user_id = make_user()
    with app.app_context():
        from app.auth.models import User

        get_session().get(User, user_id).village_id = None
        get_session().commit()
    login(client, user_id)
    assert _ask(client).status_code == 302
    assert [q.zone for q in _questions(app)] == [PROVINCE]


def test_too_short_or_too_long_questions_are_refused_in_thai(app, client, zone_volunteer, login):
    login(client, zone_volunteer("north"))
    message = thai(app, "Write your question in %(min)d to %(max)d characters.", min=5, max=1000)
    for text in ("ไม่", "ก" * 1001):
        response = _ask(client, text=text)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert thai(app, "Write your question.") in _ask(client, text="").get_data(as_text=True)
    assert _questions(app) == []


def test_the_same_form_sent_twice_records_one_question(app, client, zone_volunteer, login):
    login(client, zone_volunteer("central"))
    assert _ask(client).status_code == 302
    assert _ask(client).status_code == 302
    assert len(_questions(app)) == 1
    assert _ask(client, key="f" * 32).status_code == 302  # a new form: a new question
    assert len(_questions(app)) == 2
    # The same page used again (back button, a lesson saved offline) for another question.
    assert _ask(client, key="f" * 32, text="อีกเรื่องหนึ่งครับ").status_code == 302
    assert len(_questions(app)) == 3


def test_asking_is_limited_per_volunteer(app, client, zone_volunteer, login):
    app.config["SUPPORT_ASK_LIMIT"] = "2 per hour"
    login(client, zone_volunteer("north"))
    assert _ask(client, key="a" * 32).status_code == 302
    assert _ask(client, key="b" * 32).status_code == 302
    response = _ask(client, key="c" * 32)
    assert response.status_code == 429
    assert thai(
        app, "You have sent many questions in the last hour. Please wait a while and try again."
    ) in response.get_data(as_text=True)
    assert len(_questions(app)) == 2


def test_a_photo_is_kept_without_its_gps_position(app, client, zone_volunteer, login, tmp_path):
    app.config["SUPPORT_PHOTO_ROOT"] = str(tmp_path / "photos")
    user_id = zone_volunteer("north")
    login(client, user_id)
    photo = (io.BytesIO(gps_jpeg()), "IMG_0001.jpg")
    assert _ask(client, photo=photo).status_code == 302
    [question] = _questions(app)
    with app.app_context():
        stored = photo_store().path(question.photo_key).read_bytes()
    assert b"secret-place" not in stored and b"secret-comment" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    response = client.get(f"/support/photos/{question.id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    response.close()


def test_a_file_that_is_not_a_picture_is_refused(app, client, zone_volunteer, login, tmp_path):
    app.config["SUPPORT_PHOTO_ROOT"] = str(tmp_path / "photos")
    login(client, zone_volunteer("north"))
    photo = (io.BytesIO(b"%PDF-1.4 not a picture"), "form.jpg")
    response = _ask(client, photo=photo)
    assert response.status_code == 400
    assert thai(app, "This file is not a PNG, JPEG or WebP image.") in response.get_data(
        as_text=True
    )
    assert _questions(app) == []


def test_another_volunteer_cannot_see_the_photo(
    app, client, zone_volunteer, login, put_question, tmp_path
):
    app.config["SUPPORT_PHOTO_ROOT"] = str(tmp_path / "photos")
    asker = zone_volunteer("north")
    with app.app_context():
        from app.support.photos import store_photo

        key = store_photo(photo_store(), gps_jpeg(), max_bytes=10**7, max_pixels=10**7,
                          max_memory=None)  # fmt: skip
    question_id = put_question(asker, "north", photo_key=key)
    login(client, zone_volunteer("north", full_name="คนอื่น ทดสอบ"))
    assert client.get(f"/support/photos/{question_id}").status_code == 404
    with app.app_context():
        assert get_session().scalar(select(func.count(SupportQuestion.id))) == 1


def _form_values(page: str) -> dict[str, str]:
    form = page[page.index('<details class="card support-ask"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'name="(csrf_token|request_key)" type="hidden" value="([^"]*)"', form))


def test_every_page_gets_its_own_request_key_and_a_working_token(
    app, client, zone_volunteer, login
):
    """The fresh ask form is rendered once per language and indicator (issue 16); each page
    still carries a new request key and the session's CSRF token, and a question sent with
    them is recorded, once."""
    login(client, zone_volunteer("north"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        first = _form_values(client.get("/indicators/3").get_data(as_text=True))
        second = _form_values(client.get("/indicators/3").get_data(as_text=True))
        assert re.fullmatch(r"[0-9a-f]{32}", first["request_key"])
        assert first["request_key"] != second["request_key"]
        assert first["csrf_token"] and "mark" not in first["csrf_token"]
        for _twice in range(2):
            response = _ask(client, number=3, **second)
            assert response.status_code == 302
        _ask(client, number=3, key=KEY)  # no token: not recorded
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert len(_questions(app)) == 1
