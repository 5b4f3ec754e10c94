"""Officers' LINE groups and reminders: scope, the Thai text, the outbox, LINE on and off,
the job queue, CSRF."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.areas.models import Village
from app.auth.models import Role
from app.db import get_session
from app.jobs import get_huey, run_pending
from app.outreach.models import LineGroup, LineMessage

from ..conftest import MUEANG, MUEANG_SUB, PUA, thai

GROUP = "C" + "0123456789abcdef" * 2
OTHER_GROUP = "C" + "fedcba9876543210" * 2


@pytest.fixture
def officer(make_user, login, client, areas):
    """A district officer of เมืองน่าน, logged in."""
    user_id = make_user(Role.OFFICER, area_code=MUEANG)
    login(client, user_id)
    return user_id


def village_code(app, subdistrict: str = MUEANG_SUB) -> str:
    with app.app_context():
        stmt = select(Village.code).where(Village.subdistrict_code == subdistrict)
        return get_session().scalar(stmt.order_by(Village.code))


def line_on(app, stub_line, **extra):
    app.config.update(
        LINE_ENABLED="1",
        LINE_CHANNEL_ACCESS_TOKEN="test-token",
        LINE_API_BASE=stub_line.base,
        LINE_BACKOFF_SECONDS=0,
        **extra,
    )


def add_group(client, area_code=MUEANG, group_id=GROUP, name="กลุ่ม อสม. เมืองน่าน"):
    return client.post(
        "/officer/line/groups", data={"name": name, "group_id": group_id, "area_code": area_code}
    )


def group_pk(app, group_id=GROUP) -> int:
    with app.app_context():
        return get_session().scalar(select(LineGroup.id).where(LineGroup.group_id == group_id))


def messages(app) -> list[LineMessage]:
    with app.app_context():
        session = get_session()
        found = list(session.scalars(select(LineMessage).order_by(LineMessage.id)))
        session.expunge_all()
        return found


def test_an_officer_registers_a_group_of_their_district(app, client, officer):
    response = add_group(client)
    assert response.status_code == 302
    page = client.get("/officer/line/groups").get_data(as_text=True)
    assert "กลุ่ม อสม. เมืองน่าน" in page and "อ.เมืองน่าน" in page


@pytest.mark.parametrize(
    "group_id",
    ["U" + "0" * 32, "C" + "0" * 31, "C" + "G" * 32, "c" + "0" * 32, "C" + "0" * 32 + "1"],
)
def test_a_malformed_group_id_is_refused_in_thai(app, client, officer, group_id):
    response = add_group(client, group_id=group_id)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert group_pk(app, group_id) is None
    assert "aria-invalid" in page


def test_the_group_id_message_is_thai(app, client, officer):
    page = add_group(client, group_id="C" + "z" * 32).get_data(as_text=True)
    expected = thai(app, 'A LINE group id starts with "C" followed by 32 characters 0-9 and a-f.')
    assert expected.replace('"', "&#34;") in page or expected in page


def test_a_group_outside_the_officers_district_is_refused(app, client, officer):
    response = add_group(client, area_code=PUA)
    assert response.status_code == 400
    assert group_pk(app) is None


def test_a_district_officer_cannot_register_a_zone_group(app, client, officer):
    response = client.post(
        "/officer/line/groups", data={"name": "โซน", "group_id": GROUP, "zone": "north"}
    )
    assert response.status_code == 400
    assert group_pk(app) is None


def test_preview_counts_not_ready_volunteers_without_names(app, client, officer, make_user):
    code = village_code(app)
    for name in ("สมศรี หนึ่ง", "สมชาย สอง"):
        make_user(Role.VOLUNTEER, full_name=name, village_code=code)
    make_user(Role.VOLUNTEER, full_name="นอกเขต สาม", village_code=village_code(app, PUA + "01"))
    add_group(client, area_code=code)
    response = client.post(
        "/officer/line/remind",
        data={"group": group_pk(app), "deadline": "2027-03-31", "lesson": "-1", "preview": "y"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    preview = re.search(r'id="reminder-preview">(.*?)</p>', page, re.S).group(1)
    assert "ยังมีอาสาสมัครอีก 2 คนที่ยังไม่ผ่านการอบรม" in preview
    assert "31 มีนาคม 2570" in preview
    assert "http://bmn.test/" in preview
    assert "สมศรี" not in preview and "สมชาย" not in preview
    assert messages(app) == []  # a preview sends nothing


def test_sending_with_line_off_records_it_and_sends_nothing(app, client, officer, stub_line):
    app.config.update(LINE_API_BASE=stub_line.base, LINE_CHANNEL_ACCESS_TOKEN="test-token")
    add_group(client)
    response = client.post(
        "/officer/line/remind", data={"group": group_pk(app), "lesson": "-1", "send": "y"}
    )
    assert response.status_code == 302
    (message,) = messages(app)
    assert message.status == "off" and message.error == "not sent: LINE is off"
    assert stub_line.requests == []
    outbox = client.get("/officer/line/outbox")
    assert "no-store" in outbox.headers["Cache-Control"]
    assert thai(app, "Not sent: LINE is off") in outbox.get_data(as_text=True)


def test_sending_pushes_the_text_to_the_group_and_records_it(
    app, client, officer, stub_line, make_indicator
):
    make_indicator(1)
    line_on(app, stub_line, LINE_SEND_INLINE=True)
    stub_line.answer(500)
    add_group(client)
    client.post("/officer/line/remind", data={"group": group_pk(app), "lesson": 1, "send": "y"})
    (message,) = messages(app)
    assert message.status == "sent" and message.attempts == 2 and message.response_code == 200
    first, second = stub_line.requests
    assert first["json"]["to"] == GROUP
    assert first["json"]["messages"][0]["text"] == message.text
    assert "http://bmn.test/l/1" in message.text
    assert first["headers"]["X-Line-Retry-Key"] == second["headers"]["X-Line-Retry-Key"]
    assert first["headers"]["X-Line-Retry-Key"] == message.retry_key
    outbox = client.get("/officer/line/outbox").get_data(as_text=True)
    assert thai(app, "Sent") in outbox


def test_a_failed_push_is_recorded_as_failed(app, client, officer, stub_line):
    line_on(app, stub_line, LINE_SEND_INLINE=True, LINE_MAX_ATTEMPTS=2)
    stub_line.answer(502, 502)
    add_group(client)
    client.post("/officer/line/remind", data={"group": group_pk(app), "lesson": "-1", "send": "y"})
    (message,) = messages(app)
    assert message.status == "failed" and message.attempts == 2 and message.response_code == 502
    assert message.sent_at is None


def test_the_job_queue_sends_a_queued_reminder_once(app, client, officer, stub_line):
    line_on(app, stub_line)
    add_group(client)
    client.post("/officer/line/remind", data={"group": group_pk(app), "lesson": "-1", "send": "y"})
    assert [m.status for m in messages(app)] == ["queued"]
    assert stub_line.requests == []
    with app.app_context():
        assert run_pending(get_huey()) == 1
        from app.outreach.tasks import send_line_message

        send_line_message(messages(app)[0].id)  # a repeated job finds it sent: no second push
    assert [m.status for m in messages(app)] == ["sent"]
    assert len(stub_line.requests) == 1


def test_another_districts_group_answers_404(app, client, make_user, login, officer, stub_line):
    line_on(app, stub_line, LINE_SEND_INLINE=True)
    add_group(client)
    mueang_group = group_pk(app)
    other = app.test_client()
    login(other, make_user(Role.OFFICER, area_code=PUA))
    data = {"group": mueang_group, "lesson": "-1"}
    assert other.post("/officer/line/remind", data={**data, "send": "y"}).status_code == 404
    assert other.post("/officer/line/remind", data={**data, "preview": "y"}).status_code == 404
    assert other.post(f"/officer/line/groups/{mueang_group}/remove").status_code == 404
    assert "กลุ่ม อสม. เมืองน่าน" not in other.get("/officer/line/groups").get_data(as_text=True)
    assert messages(app) == [] and stub_line.requests == []
    client.post("/officer/line/remind", data={**data, "send": "y"})
    outbox = other.get("/officer/line/outbox").get_data(as_text=True)
    assert "กลุ่ม อสม. เมืองน่าน" not in outbox


def test_a_province_officer_sends_to_a_zone_group(app, client, make_user, login, stub_line):
    line_on(app, stub_line, LINE_SEND_INLINE=True)
    login(client, make_user(Role.OFFICER, area_code="55"))
    response = client.post(
        "/officer/line/groups", data={"name": "โซนกลาง", "group_id": GROUP, "zone": "central"}
    )
    assert response.status_code == 302
    client.post("/officer/line/remind", data={"group": group_pk(app), "lesson": "-1", "send": "y"})
    (message,) = messages(app)
    assert message.status == "sent" and "โซนกลาง" in message.text


def test_removing_a_group_keeps_its_outbox(app, client, officer):
    add_group(client)
    client.post("/officer/line/remind", data={"group": group_pk(app), "lesson": "-1", "send": "y"})
    assert client.post(f"/officer/line/groups/{group_pk(app)}/remove").status_code == 302
    assert "กลุ่ม อสม. เมืองน่าน" in client.get("/officer/line/outbox").get_data(as_text=True)
    page = client.post(
        "/officer/line/remind", data={"group": group_pk(app), "lesson": "-1", "send": "y"}
    )
    assert page.status_code == 404


def test_forms_need_the_csrf_token(app, client, officer):
    """Without the token nothing is written (the app sends the form back with a message)."""
    app.config["WTF_CSRF_ENABLED"] = True
    response = add_group(client)
    assert response.status_code in (302, 400) and group_pk(app) is None
    page = client.get("/officer/line/groups").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', page)
    data = {"name": "กลุ่ม", "group_id": GROUP, "area_code": MUEANG, "csrf_token": token.group(1)}
    assert client.post("/officer/line/groups", data=data).status_code == 302
    response = client.post("/officer/line/remind", data={"group": group_pk(app), "send": "y"})
    assert response.status_code in (302, 400) and messages(app) == []
