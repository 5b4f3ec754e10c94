"""With CSRF protection on (as in production), every form of the officers' volunteer tools
carries its token: the whole journey works through the pages' own forms."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from app.areas.models import Village
from app.auth.models import User
from app.db import get_session

from .conftest import MUEANG, MUEANG_SUB


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', page
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


def test_the_journey_works_with_csrf_on(app, officer_client, village_codes):
    officer = officer_client(MUEANG)
    app.config["WTF_CSRF_ENABLED"] = True
    village = village_codes[MUEANG_SUB][0]
    refused = officer.post("/officer/invitations", data={})  # no token: back with a message
    assert refused.status_code == 302 and "/login" not in refused.headers["Location"]

    page = officer.get("/officer/invitations").get_data(as_text=True)
    created = officer.post(
        "/officer/invitations", data={"csrf_token": _token(page), "subdistrict": MUEANG_SUB}
    )
    assert created.status_code == 302
    page = officer.get(created.headers["Location"]).get_data(as_text=True)
    rotated = officer.post(
        f"/officer/invitations/{village}/rotate", data={"csrf_token": _token(page)}
    )
    assert rotated.status_code == 302

    page = officer.get("/officer/volunteers/import").get_data(as_text=True)
    header = "full_name,mobile,volunteer_type,village_code\r\n"
    data = f"{header}ก ข,0899800001,osm,{village}\r\n".encode()
    checked = officer.post(
        "/officer/volunteers/import",
        data={"csrf_token": _token(page), "file": (io.BytesIO(data), "list.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', checked).group(1)
    confirmed = officer.post(
        "/officer/volunteers/import", data={"csrf_token": _token(checked), "token": token}
    )
    assert confirmed.status_code == 200
    slip = confirmed.get_data(as_text=True)
    activation = re.search(r"data-activation-code>([^<]+)<", slip).group(1)

    with app.app_context():
        session = get_session()
        code = session.scalar(select(Village.invite_code).where(Village.code == village))
        assert (
            session.scalar(select(func.count()).select_from(User).where(User.role == "volunteer"))
            == 1
        )
    visitor = app.test_client()
    page = visitor.get(f"/join/{code}").get_data(as_text=True)
    joined = visitor.post(
        f"/join/{code}",
        data={
            "csrf_token": _token(page),
            "full_name": "ก ข",
            "phone": "0899800001",
            "password": "s3cret-pass",
            "confirm": "s3cret-pass",
            "volunteer_type": "osm",
            "activation_code": activation,
        },
    )
    assert joined.status_code == 302  # claimed the imported account with its slip's code
