"""Sessions end for good: after logout, a new password or deactivation, a copied session or
remember-me cookie opens nothing (server-side session versions)."""

from __future__ import annotations

from app.auth.models import Role, User
from app.db import get_session

from ..conftest import PASSWORD


def _copy_cookies(source, target) -> None:
    host = source.application.config.get("SERVER_NAME") or "localhost"
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name, domain=host)
        if cookie is not None:
            target.set_cookie(cookie.key, cookie.value, domain=cookie.domain)


def _phone(app, user_id) -> str:
    with app.app_context():
        return get_session().get(User, user_id).phone


def test_a_copied_session_and_remember_cookie_die_at_logout(app, areas, make_user):
    officer = make_user(Role.ADMIN)
    browser = app.test_client()
    response = browser.post(
        "/login", data={"phone": _phone(app, officer), "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    thief = app.test_client()
    _copy_cookies(browser, thief)
    assert thief.get("/officer/").status_code == 200  # the copy works while logged in
    browser.post("/logout")
    assert thief.get("/officer/").status_code == 302  # and not after logout
    remembered = app.test_client()  # only the remember-me cookie, as after a browser restart
    cookie = thief.get_cookie("remember_token", domain=app.config.get("SERVER_NAME") or "localhost")
    assert cookie is not None, "the remember-me cookie was copied"
    remembered.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert remembered.get("/officer/").status_code == 302


def test_a_password_reset_and_a_deactivation_end_the_officers_sessions(app, areas, make_user):
    from app.officers.accounts import reset_password, set_active

    officer = make_user(Role.ADMIN)
    for change in ("reset", "deactivate"):
        browser = app.test_client()
        browser.post("/login", data={"phone": _phone(app, officer), "password": PASSWORD})
        assert browser.get("/officer/").status_code == 200
        with app.app_context():
            session = get_session()
            user = session.get(User, officer)
            if change == "reset":
                reset_password(session, user, PASSWORD)  # even the same password
            else:
                set_active(session, user, False)
            session.commit()
        assert browser.get("/officer/").status_code == 302, change


def test_an_old_style_login_id_is_not_accepted(app, areas, make_user):
    from app.auth.views import load_user

    user_id = make_user()
    with app.app_context():
        assert load_user(str(user_id)) is None
        assert load_user(f"{user_id}.0") is not None
        assert load_user(f"{user_id}.1") is None


def test_a_volunteer_changes_their_password_and_other_browsers_are_logged_out(
    app, areas, make_user, login
):
    from ..conftest import thai

    user_id = make_user()
    phone = _phone(app, user_id)
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user_id)
    login(elsewhere, user_id)
    wrong = here.post(
        "/account/password",
        data={"current": "not-it", "password": "kaewta-2569!", "confirm": "kaewta-2569!"},
    )
    assert thai(app, "The current password is not right.") in wrong.get_data(as_text=True)
    weak = here.post(
        "/account/password",
        data={"current": PASSWORD, "password": phone, "confirm": phone},
    )
    assert thai(app, "Do not use your mobile number as your password.") in weak.get_data(
        as_text=True
    )
    done = here.post(
        "/account/password",
        data={"current": PASSWORD, "password": "kaewta-2569!", "confirm": "kaewta-2569!"},
    )
    assert done.status_code == 302
    assert here.get("/ready").status_code == 200  # this browser stays logged in
    assert elsewhere.get("/ready").status_code == 302  # the other one is logged out
    fresh = app.test_client()
    assert fresh.post("/login", data={"phone": phone, "password": PASSWORD}).status_code == 200
    new = fresh.post("/login", data={"phone": phone, "password": "kaewta-2569!"})
    assert new.status_code == 302


def test_the_login_page_says_whom_to_ask_about_a_forgotten_password(app, client, areas):
    from ..conftest import thai

    page = client.get("/login").get_data(as_text=True)
    assert (
        thai(app, "Forgot your password? Ask the officer of your district or subdistrict for help.")
        in page
    )
