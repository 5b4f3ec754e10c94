"""All village posters of a district or subdistrict in one streamed ZIP."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from app.volunteers import invitation_views
from app.volunteers.poster import H, W

from .conftest import MUEANG, MUEANG_SUB, PUA
from .test_invitations import URL, set_code

ZIP = f"{URL}/posters.zip"


def test_zip_holds_one_png_per_village_with_a_code(app, officer_client, village_codes):
    first, second = village_codes[MUEANG_SUB]
    set_code(app, first, "ABCD2345")
    set_code(app, second, "EFGH2345")
    set_code(app, village_codes["550102"][0], "JKLM2345")  # another subdistrict
    response = officer_client(MUEANG).get(ZIP, query_string={"subdistrict": MUEANG_SUB})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.namelist() == [f"invitation-{first}.png", f"invitation-{second}.png"]
    image = Image.open(io.BytesIO(archive.read(f"invitation-{first}.png")))
    assert image.format == "PNG" and image.size == (W, H)


def test_zip_is_bounded_to_a_district(app, officer_client, village_codes, monkeypatch):
    set_code(app, village_codes[MUEANG_SUB][0], "ABCD2345")
    province = officer_client("55")
    assert province.get(ZIP).status_code == 400  # a whole province: choose a district
    assert province.get(ZIP, query_string={"district": MUEANG}).status_code == 200
    monkeypatch.setattr(invitation_views, "MAX_POSTERS_PER_ZIP", 0)
    assert province.get(ZIP, query_string={"district": MUEANG}).status_code == 400


def test_zip_stays_in_scope_and_needs_codes(app, officer_client, village_codes):
    assert officer_client(MUEANG).get(ZIP).status_code == 404  # no codes yet
    set_code(app, village_codes[MUEANG_SUB][0], "ABCD2345")
    assert officer_client(PUA).get(ZIP, query_string={"district": MUEANG}).status_code == 404


def test_coverage_page_links_to_the_zip(app, officer_client, areas):
    html = officer_client(MUEANG).get(f"/officer/coverage?district={MUEANG}").get_data(as_text=True)
    assert f"/officer/invitations/posters.zip?district={MUEANG}" in html
