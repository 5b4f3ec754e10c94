"""NUL and other control characters are refused at the form and query layer (issue 14,
defect 5): on PostgreSQL a NUL byte in any text input or query was a 500."""

from __future__ import annotations

import pytest

from app.errors import _has_control_characters

from .conftest import MUEANG, thai

MESSAGE = (
    "The request contains control characters (such as a NUL byte) that are not allowed. "
    "Remove them and try again."
)


@pytest.mark.parametrize(
    "url",
    [
        "/verify?code=AB%00CD",
        "/officer/volunteers?q=%E0%B8%81%00",
        "/officer/volunteers?sort=name%01",
        "/officer/volunteers?q%00=x",
    ],
)
def test_a_query_with_a_control_character_is_a_clear_400(app, officer_client, url):
    response = officer_client(MUEANG).get(url)
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)


def test_a_form_with_a_nul_is_refused_in_thai(app, client, areas):
    response = client.post("/login", data={"mobile": "0812345678\x00", "password": "secret"})
    assert response.status_code == 400
    assert thai(app, MESSAGE) in response.get_data(as_text=True)


def test_an_officer_form_with_a_nul_registers_nobody(app, officer_client, village_codes):
    officer = officer_client(MUEANG)
    village = next(iter(village_codes.values()))[0]
    response = officer.post(
        "/officer/volunteers/new",
        data={
            "full_name": "สมชาย\x00 ใจดี",
            "mobile": "0899800001",
            "volunteer_type": "osm",
            "village_code": village,
        },
    )
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)


def test_json_with_a_nul_is_refused(app, client):
    response = client.post(
        "/quiz-packs/submit",
        json={"token": "t\x00", "client_id": "abcdefgh", "answers": {"1": ["a\x00"]}},
    )
    assert response.status_code == 400


def test_text_keeps_tabs_and_line_breaks():
    assert not _has_control_characters("บรรทัดหนึ่ง\r\nบรรทัดสอง\tแท็บ")
    assert _has_control_characters({"a": ["ok", {"b\x1b": 1}]})
    assert _has_control_characters("x\x7f")
