"""Village invitation codes and their QR posters: listed per area, created and rotated by
POST only, and nothing of another district reachable."""

from __future__ import annotations

import io
import re

import pytest
import segno
from PIL import Image
from sqlalchemy import select

from app.areas.models import Village
from app.db import get_session
from app.volunteers.invites import ALPHABET, CODE_LENGTH
from app.volunteers.poster import QR_BORDER, H, W, placement

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA

URL = "/officer/invitations"


def codes(app) -> dict[str, str | None]:
    with app.app_context():
        return dict(get_session().execute(select(Village.code, Village.invite_code)).all())


def set_code(app, village_code: str, invite: str) -> None:
    with app.app_context():
        session = get_session()
        session.scalar(select(Village).where(Village.code == village_code)).invite_code = invite
        session.commit()


def test_listing_villages_writes_nothing(app, officer_client, village_codes):
    officer = officer_client(MUEANG)
    before = codes(app)
    page = officer.get(URL).get_data(as_text=True)
    assert village_codes[MUEANG_SUB][0] in page
    assert "Create the missing codes" in page
    page = officer.get(URL, query_string={"subdistrict": MUEANG_SUB}).get_data(as_text=True)
    assert village_codes[MUEANG_SUB][0] in page and village_codes[OTHER_SUB][0] not in page
    assert codes(app) == before
    assert set(before.values()) == {None}


def test_creating_codes_fills_only_the_listed_villages(app, officer_client, village_codes):
    officer = officer_client(MUEANG)
    response = officer.post(URL, data={"district": MUEANG, "subdistrict": MUEANG_SUB})
    assert response.status_code == 302
    after = codes(app)
    made = [after[code] for code in village_codes[MUEANG_SUB]]
    assert all(code and len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in made)
    assert len(set(made)) == len(made)
    assert all(after[code] is None for code in village_codes[OTHER_SUB])
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 invitation codes created." in page
    assert made[0] in page and f"/officer/invitations/{village_codes[MUEANG_SUB][0]}.png" in page
    # Again: nothing is missing, nothing changes.
    officer.post(URL, data={"subdistrict": MUEANG_SUB})
    assert codes(app) == after


def test_a_province_officer_pages_through_the_villages(app, officer_client, village_codes):
    officer = officer_client("55")
    first = officer.get(URL).get_data(as_text=True)
    second = officer.get(URL, query_string={"page": 2}).get_data(as_text=True)
    assert "Page 1 of 4" in first and "Page 2 of 4" in second
    first_codes = set(re.findall(r"· (\d{8})</small>", first))
    second_codes = set(re.findall(r"· (\d{8})</small>", second))
    assert len(first_codes) == 50 and len(second_codes) == 50
    assert not first_codes & second_codes
    assert officer.get(URL, query_string={"page": "0"}).status_code == 400


def test_rotating_a_code_retires_the_old_poster(app, officer_client, village_codes):
    village = village_codes[MUEANG_SUB][0]
    set_code(app, village, "ABCD2345")
    officer = officer_client(MUEANG)
    response = officer.post(f"{URL}/{village}/rotate")
    assert response.status_code == 302
    new = codes(app)[village]
    assert new != "ABCD2345" and len(new) == CODE_LENGTH
    assert app.test_client().get("/join/ABCD2345").status_code == 404
    assert app.test_client().get(f"/join/{new}").status_code == 200


def test_the_poster_is_an_a4_png_whose_qr_holds_the_join_url(app, officer_client, village_codes):
    village = village_codes[MUEANG_SUB][0]
    set_code(app, village, "ABCD2345")
    response = officer_client(MUEANG).get(f"{URL}/{village}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG" and image.size == (W, H)
    grey = image.convert("L")
    qr = segno.make_qr("http://bmn.test/join/ABCD2345", error="m", boost_error=False)
    where = placement(qr)
    for row, line in enumerate(qr.matrix):
        for column, dark in enumerate(line):
            x = where.left + (QR_BORDER + column) * where.module + where.module // 2
            y = where.top + (QR_BORDER + row) * where.module + where.module // 2
            assert (grey.getpixel((x, y)) < 128) == bool(dark), (row, column)
    # The quiet zone around the symbol is white.
    assert grey.getpixel((where.left + 1, where.top + 1)) > 200


def test_a_village_without_a_code_has_no_poster(app, officer_client, village_codes):
    village = village_codes[MUEANG_SUB][0]
    assert officer_client(MUEANG).get(f"{URL}/{village}.png").status_code == 404
    assert codes(app)[village] is None


@pytest.fixture
def pua_officer(officer_client):
    return officer_client(PUA)


def test_another_districts_village_is_not_found(app, pua_officer, village_codes):
    village = village_codes[MUEANG_SUB][0]
    set_code(app, village, "ABCD2345")
    before = codes(app)
    assert pua_officer.get(f"{URL}/{village}.png").status_code == 404
    assert pua_officer.post(f"{URL}/{village}/rotate").status_code == 404
    assert pua_officer.get(URL, query_string={"district": MUEANG}).status_code == 404
    assert pua_officer.post(URL, data={"district": MUEANG}).status_code == 404
    assert pua_officer.get(URL, query_string={"district": "55x1"}).status_code == 400
    assert codes(app) == before
    page = pua_officer.get(URL).get_data(as_text=True)
    assert village not in page and "ABCD2345" not in page
