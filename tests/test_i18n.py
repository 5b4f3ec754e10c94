"""Thai first, English selectable and remembered; Buddhist-era dates in Thai."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import force_locale

from app.i18n import format_date_be

from .conftest import thai


def test_thai_is_the_default_even_for_an_english_browser(app, client, content):
    page = client.get("/", headers={"Accept-Language": "en-US,en"}).get_data(as_text=True)
    assert '<html lang="th">' in page and thai(app, "Sign up") in page


def test_english_is_selectable_and_remembered(client, content):
    response = client.post("/language", data={"lang": "en", "next": "/indicators/2"})
    assert response.headers["Location"] == "/indicators/2"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and ">Log in<" in page


def test_the_language_switch_ignores_foreign_next_urls(client):
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_a_logged_in_users_language_is_saved_on_the_account(app, areas, make_user, login):
    first = app.test_client()
    user_id = make_user()
    login(first, user_id)
    first.post("/language", data={"lang": "en"})
    second = app.test_client()
    login(second, user_id)
    assert '<html lang="en">' in second.get("/").get_data(as_text=True)


def test_thai_dates_use_the_buddhist_era_in_bangkok_time(app):
    late = datetime(2026, 12, 31, 18, 0, tzinfo=UTC)  # already 1 Jan 2027 in Bangkok
    with app.test_request_context():
        with force_locale("th"):
            assert format_date_be(late) == "1 มกราคม 2570"
        with force_locale("en"):
            assert format_date_be(late) == "1 January 2027"
