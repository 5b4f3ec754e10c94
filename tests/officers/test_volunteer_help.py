"""Officers help the volunteers of their area: edit details, deactivate and reactivate, reset
a forgotten password; another area's officer gets 404; every access and change is audited
(actor, subjects, no personal data in the detail)."""

from __future__ import annotations

import json
import re
import threading

import pytest
from sqlalchemy import event, select

from app.auth.models import PersonalDataEvent, PersonalDataSubject, User
from app.db import get_session
from tests.conftest import PASSWORD, Browser, thai

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA

NEW_PASSWORD = "fresh-mango-42"


def _wrong_code(app) -> str:  # noqa: N802 - reads as the message it is
    return thai(
        app,
        "The mobile number or activation code is wrong, or the code has expired. "
        "Ask your officer for a new slip.",
    )


def _user(app, user_id: int) -> User:
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        session.expunge(user)
        return user


def _events(app, action: str | None = None) -> list[tuple[str, int | None, list[int], dict]]:
    """(action, actor, subject ids, detail) of every audit event, oldest first."""
    with app.app_context():
        session = get_session()
        stmt = select(PersonalDataEvent).order_by(PersonalDataEvent.id)
        if action:
            stmt = stmt.where(PersonalDataEvent.action == action)
        found = []
        for e in session.scalars(stmt):
            subjects = session.scalars(
                select(PersonalDataSubject.user_id)
                .where(PersonalDataSubject.event_id == e.id)
                .order_by(PersonalDataSubject.user_id)
            ).all()
            assert e.subject_count == len(subjects)
            found.append((e.action, e.actor_id, list(subjects), e.detail))
        return found


def _no_personal_data(app, detail: dict, *user_ids: int) -> None:
    """The detail names none of these people's names or mobile numbers."""
    text = json.dumps(detail, ensure_ascii=False)
    for user_id in user_ids:
        user = _user(app, user_id)
        assert user.full_name not in text and user.phone not in text


def _village(code: str) -> int:
    from app.areas.models import Village

    return get_session().scalar(select(Village.id).where(Village.code == code))


def _form(app, user_id: int, **changes) -> dict:
    user = _user(app, user_id)
    data = {
        "full_name": user.full_name,
        "phone": user.phone,
        "volunteer_type": user.volunteer_type,
        "village": str(user.village_id),
    }
    data.update(changes)
    return data


def _volunteer_browser(app, login, user_id: int):
    browser = app.test_client()
    login(browser, user_id)
    assert _in(browser)
    return browser


def _in(browser) -> bool:
    """True while the browser's session opens a page only a logged-in user sees."""
    return browser.get("/account/password").status_code == 200


def _copy(source, app):
    thief = app.test_client()
    host = app.config["SERVER_NAME"]
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name, domain=host)
        if cookie is not None:
            thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return thief


def _log_in(app, phone: str, password: str) -> int:
    return app.test_client().post("/login", data={"phone": phone, "password": password}).status_code


@pytest.fixture
def person(make_volunteer, village_codes) -> int:
    return make_volunteer(village_codes[MUEANG_SUB][0], "สมหมาย ช่วยได้")


# Editing


def test_the_volunteer_page_offers_the_officers_help(officer_client, person):
    page = officer_client(MUEANG).get(f"/officer/volunteers/{person}").get_data(as_text=True)
    assert f'href="/officer/volunteers/{person}/edit"' in page
    assert f'action="/officer/volunteers/{person}/password-reset"' in page
    assert f'action="/officer/volunteers/{person}/deactivate"' in page


def test_edit_saves_every_field_and_records_which_changed(
    app, officer_client, person, village_codes, login
):
    browser = _volunteer_browser(app, login, person)
    officer = officer_client(MUEANG)
    other = village_codes[OTHER_SUB][0]
    with app.app_context():
        village = _village(other)
    response = officer.post(
        f"/officer/volunteers/{person}/edit",
        data=_form(app, person, full_name=" สมหมาย แก้แล้ว ", village=str(village),
                   volunteer_type="village_head"),
    )  # fmt: skip
    assert response.status_code == 303
    user = _user(app, person)
    assert (user.full_name, user.village_id, user.volunteer_type) == (
        "สมหมาย แก้แล้ว",
        village,
        "village_head",
    )
    [(action, actor, subjects, detail)] = _events(app, "volunteer.edit")
    assert (actor, subjects) == (officer.user_id, [person])
    assert detail == {"fields": ["full_name", "village_id", "volunteer_type"]}
    _no_personal_data(app, detail, person)
    assert _in(browser)  # the mobile is the same: still logged in


def test_a_new_mobile_becomes_the_login_and_ends_every_session(app, officer_client, person, login):
    browser = _volunteer_browser(app, login, person)
    thief = _copy(browser, app)
    old_phone = _user(app, person).phone
    officer = officer_client(MUEANG)
    response = officer.post(
        f"/officer/volunteers/{person}/edit", data=_form(app, person, phone="089 955 7001")
    )
    assert response.status_code == 303
    assert not _in(browser) and not _in(thief)
    assert _log_in(app, old_phone, PASSWORD) == 200
    assert _log_in(app, "0899557001", PASSWORD) == 302
    [(_a, _o, _s, detail)] = _events(app, "volunteer.edit")
    assert detail == {"fields": ["phone"]}
    assert "0899557001" not in json.dumps(detail) and old_phone not in json.dumps(detail)


def test_a_mobile_of_another_account_is_refused_in_thai_and_nothing_changes(
    app, officer_client, person, make_volunteer, village_codes
):
    other = make_volunteer(village_codes[OTHER_SUB][0])
    taken = _user(app, other).phone
    officer = officer_client(MUEANG)
    officer.post("/language", data={"lang": "th"})
    before = _user(app, person)
    response = officer.post(
        f"/officer/volunteers/{person}/edit",
        data=_form(app, person, full_name="ชื่อ ใหม่", phone=taken),
    )
    assert response.status_code == 400
    assert thai(app, "This mobile number is registered already.") in response.get_data(as_text=True)
    after = _user(app, person)
    assert (after.full_name, after.phone) == (before.full_name, before.phone)
    assert _events(app, "volunteer.edit") == []


def test_a_bad_mobile_is_refused_with_the_forms_message(app, officer_client, person):
    officer = officer_client(MUEANG)
    response = officer.post(
        f"/officer/volunteers/{person}/edit", data=_form(app, person, phone="12")
    )
    assert response.status_code == 400
    assert "Enter a Thai mobile number" in response.get_data(as_text=True)


def test_a_village_outside_the_officers_area_is_refused(app, officer_client, person, village_codes):
    officer = officer_client(MUEANG_SUB)  # ต.ในเวียง only
    with app.app_context():
        elsewhere = _village(village_codes[OTHER_SUB][0])
    page = officer.get(f"/officer/volunteers/{person}/edit").get_data(as_text=True)
    assert f'value="{elsewhere}"' not in page
    response = officer.post(
        f"/officer/volunteers/{person}/edit", data=_form(app, person, village=str(elsewhere))
    )
    assert response.status_code == 400
    assert "Choose a village in your area." in response.get_data(as_text=True)
    assert _user(app, person).village_id != elsewhere


def test_an_officer_of_another_district_gets_404_and_changes_nothing(
    app, officer_client, person, village_codes
):
    stranger = officer_client(PUA)
    before = _user(app, person)
    base = f"/officer/volunteers/{person}"
    assert stranger.get(base).status_code == 404
    assert stranger.get(f"{base}/edit").status_code == 404
    edit = _form(app, person, full_name="ไม่ ควร", phone="0899557002")
    assert stranger.post(f"{base}/edit", data=edit).status_code == 404
    for action in ("deactivate", "password-reset"):
        assert stranger.post(f"{base}/{action}", data={"confirm": "1"}).status_code == 404
    after = _user(app, person)
    assert (after.full_name, after.phone, after.active, after.password_hash) == (
        before.full_name,
        before.phone,
        before.active,
        before.password_hash,
    )
    assert after.session_version == before.session_version
    assert _events(app) == []
    assert _log_in(app, before.phone, PASSWORD) == 302


# Deactivating and reactivating


def test_a_deactivated_volunteer_cannot_log_in_and_a_copied_cookie_stops_working(
    app, officer_client, person, login
):
    browser = _volunteer_browser(app, login, person)
    thief = _copy(browser, app)
    assert _in(thief)
    officer = officer_client(MUEANG)
    unconfirmed = officer.post(f"/officer/volunteers/{person}/deactivate")
    assert unconfirmed.status_code == 303 and _user(app, person).active  # the box unticked
    assert (
        officer.post(f"/officer/volunteers/{person}/deactivate", data={"confirm": "1"}).status_code
        == 303
    )
    assert not _user(app, person).active
    assert not _in(browser) and not _in(thief)
    assert _log_in(app, _user(app, person).phone, PASSWORD) == 200
    [(_a, actor, subjects, detail)] = _events(app, "volunteer.deactivate")
    assert (actor, subjects, detail) == (officer.user_id, [person], {})
    page = officer.get(f"/officer/volunteers/{person}").get_data(as_text=True)
    assert "Deactivated: cannot log in" in page and "Reactivate account" in page
    listing = officer.get("/officer/volunteers").get_data(as_text=True)
    assert 'class="badge inactive"' in listing


def test_reactivation_restores_login(app, officer_client, person):
    officer = officer_client(MUEANG)
    officer.post(f"/officer/volunteers/{person}/deactivate", data={"confirm": "1"})
    assert officer.post(f"/officer/volunteers/{person}/reactivate").status_code == 303
    assert _user(app, person).active
    assert _log_in(app, _user(app, person).phone, PASSWORD) == 302
    [(_a, actor, subjects, _d)] = _events(app, "volunteer.reactivate")
    assert (actor, subjects) == (officer.user_id, [person])
    assert 'class="badge inactive"' not in officer.get("/officer/volunteers").get_data(as_text=True)


# Resetting a password


def _reset(officer, user_id: int) -> str:
    response = officer.post(f"/officer/volunteers/{user_id}/password-reset", data={"confirm": "1"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "New password slip" in page
    return re.search(r"data-activation-code>([^<]+)<", page).group(1)


def _claim(app, phone: str, code: str, password: str = NEW_PASSWORD):
    return app.test_client().post(
        "/claim",
        data={"phone": phone, "activation_code": code, "password": password, "confirm": password},
    )


def test_a_reset_ends_the_old_password_and_its_code_sets_a_new_one_once(
    app, officer_client, person, login
):
    browser = _volunteer_browser(app, login, person)
    phone = _user(app, person).phone
    officer = officer_client(MUEANG)
    code = _reset(officer, person)
    assert not _in(browser)  # logged out at once
    assert _log_in(app, phone, PASSWORD) == 200  # the old password is gone
    wrong = _claim(app, phone, "ABCDE-23456", "wrong-guess-77")
    assert wrong.status_code == 200 and _wrong_code(app) in wrong.get_data(as_text=True)
    assert _user(app, person).password_hash == ""  # a wrong code changed nothing
    assert _claim(app, phone, code.lower()).status_code == 302  # logged in with the new one
    assert _log_in(app, phone, NEW_PASSWORD) == 302
    again = _claim(app, phone, code, "another-pass-88")
    assert again.status_code == 200  # the code worked once
    assert _log_in(app, phone, NEW_PASSWORD) == 302
    [(_a, actor, subjects, detail)] = _events(app, "volunteer.password_reset")
    assert (actor, subjects, detail) == (officer.user_id, [person], {})


def test_without_a_reset_a_code_claims_no_account_that_has_a_password(app, person):
    phone = _user(app, person).phone
    assert _claim(app, phone, "ABCDE-23456").status_code == 200
    assert _log_in(app, phone, PASSWORD) == 302


def test_the_reset_needs_the_box_ticked(app, officer_client, person):
    officer = officer_client(MUEANG)
    assert officer.post(f"/officer/volunteers/{person}/password-reset").status_code == 303
    assert _log_in(app, _user(app, person).phone, PASSWORD) == 302
    assert _events(app, "volunteer.password_reset") == []


def test_a_deactivated_account_is_not_reset(app, officer_client, person):
    officer = officer_client(MUEANG)
    officer.post(f"/officer/volunteers/{person}/deactivate", data={"confirm": "1"})
    response = officer.post(f"/officer/volunteers/{person}/password-reset", data={"confirm": "1"})
    assert response.status_code == 303
    assert _user(app, person).password_hash != ""
    assert _events(app, "volunteer.password_reset") == []


def test_an_officer_of_another_area_cannot_reset(app, officer_client, person):
    stranger = officer_client(OTHER_SUB)  # the next subdistrict of the same district
    response = stranger.post(f"/officer/volunteers/{person}/password-reset", data={"confirm": "1"})
    assert response.status_code == 404
    assert _log_in(app, _user(app, person).phone, PASSWORD) == 302


# Reads: a volunteer's page, list pages, exports and the print-out


def test_opening_a_volunteers_page_is_recorded(app, officer_client, person):
    officer = officer_client(MUEANG)
    officer.get(f"/officer/volunteers/{person}")
    assert _events(app) == [("volunteer.view", officer.user_id, [person], {})]


def test_each_list_page_records_the_volunteers_it_shows(
    app, officer_client, make_volunteer, village_codes
):
    ids = [make_volunteer(village_codes[MUEANG_SUB][0], f"คนที่ {i:02d}") for i in range(3)]
    make_volunteer(village_codes[OTHER_SUB][0], "นอก ตำบล")
    officer = officer_client(MUEANG_SUB)
    officer.get("/officer/volunteers?q=" + "คนที่")
    officer.get("/officer/volunteers")
    [first, second] = _events(app, "volunteers.list")
    assert first[1] == officer.user_id and first[2] == sorted(ids)
    assert second[2] == sorted(ids)
    assert first[3] == {"page": 1}  # the search text is not kept


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "print"])
def test_exports_record_their_rows_and_format(
    app, officer_client, make_volunteer, village_codes, fmt
):
    ids = [make_volunteer(village_codes[MUEANG_SUB][i % 2], f"ส่งออก {i}") for i in range(3)]
    make_volunteer(village_codes[OTHER_SUB][0], "นอก ตำบล")
    officer = officer_client(MUEANG_SUB)
    url = "/officer/volunteers/print" if fmt == "print" else f"/officer/volunteers/export.{fmt}"
    response = officer.get(url)
    assert response.status_code == 200
    response.get_data()  # the stream ends
    [(_a, actor, subjects, detail)] = _events(app, "volunteers.export")
    assert (actor, subjects, detail) == (officer.user_id, sorted(ids), {"format": fmt})


def test_the_list_pages_query_count_does_not_grow_with_its_rows(
    app, officer_client, make_volunteer, village_codes
):
    officer = officer_client(MUEANG_SUB)

    def statements() -> int:
        with app.app_context():
            engine = get_session().get_bind()
        seen: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert officer.get("/officer/volunteers").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    make_volunteer(village_codes[MUEANG_SUB][0], "หนึ่ง")
    few = statements()
    for i in range(12):
        make_volunteer(village_codes[MUEANG_SUB][1], f"อีก {i}")
    assert statements() == few


# Two officers at once (a real threaded server; the race matters on PostgreSQL)


def test_two_officers_giving_two_volunteers_the_same_mobile_at_once_get_one_clear_refusal(
    app, http_server, officer_client, make_volunteer, village_codes
):
    first = make_volunteer(village_codes[MUEANG_SUB][0], "คนแรก")
    second = make_volunteer(village_codes[MUEANG_SUB][1], "คนที่สอง")
    browsers = []
    for _ in range(2):
        client = officer_client(MUEANG)
        browser = Browser(http_server)
        host = app.config["SERVER_NAME"]
        browser.cookies["session"] = client.get_cookie("session", domain=host).value
        browsers.append(browser)
    barrier = threading.Barrier(2)
    statuses = [0, 0]

    def edit(index: int, user_id: int) -> None:
        data = _form(app, user_id, phone="0899557010")
        barrier.wait()
        statuses[index] = browsers[index].request(
            "POST", f"/officer/volunteers/{user_id}/edit", data
        )

    threads = [threading.Thread(target=edit, args=(i, u)) for i, u in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [303, 400], statuses
    phones = [_user(app, u).phone for u in (first, second)]
    assert phones.count("0899557010") == 1
    assert len(_events(app, "volunteer.edit")) == 1  # the refused one left no trace
