"""Lessons shared to LINE: the short link, link previews (Open Graph) for crawlers that are
not logged in, the share box, and the officers' printable QR codes."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from app.auth.models import Role
from app.content.models import Indicator, Infographic
from app.db import get_session

from ..conftest import MUEANG, thai

VARIANTS = [
    {"width": w, "height": w, "webp": f"ab/{k}.webp", "jpeg": f"cd/{k}.jpg"}
    for w, k in ((360, "h360"), (720, "h720"), (1080, "h1080"))
]


@pytest.fixture
def lesson(app, make_indicator) -> int:
    """Indicator 7 with a published infographic (content-addressed media keys)."""
    number = make_indicator(7, title_th="น้ำสะอาดสำหรับดื่ม")
    with app.app_context():
        session = get_session()
        indicator = session.scalars(select(Indicator).where(Indicator.number == number)).one()
        session.add(
            Infographic(
                indicator_id=indicator.id,
                path="ef/original.png",
                width=1080,
                height=1080,
                alt_th="อินโฟกราฟิกน้ำดื่ม",
                size=1,
                variants=VARIANTS,
            )
        )
        session.commit()
    return number


def meta(page: str) -> dict[str, str]:
    """Open Graph and twitter meta tags of a page, by property or name."""
    pattern = r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"'
    return dict(re.findall(pattern, page))


def test_a_short_link_opens_the_lesson_without_a_session(client, lesson):
    response = client.get(f"/l/{lesson}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/indicators/{lesson}")
    assert client.get("/l/99").status_code == 404


def test_anonymous_crawlers_get_the_preview_tags(client, lesson):
    response = client.get(f"/l/{lesson}", follow_redirects=True)
    assert response.status_code == 200
    tags = meta(response.get_data(as_text=True))
    assert tags["og:title"].endswith("น้ำสะอาดสำหรับดื่ม")
    assert "น้ำสะอาดสำหรับดื่ม" in tags["og:description"]
    assert tags["og:url"] == f"http://bmn.test/indicators/{lesson}"
    assert tags["og:type"] == "article" and tags["og:locale"] == "th_TH"
    # The 1080-px JPEG under its content hash: a changed picture gets a new URL.
    assert tags["og:image"] == "http://bmn.test/media/cd/h1080.jpg"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]


def test_absolute_urls_do_not_follow_the_host_header(client, lesson):
    page = client.get(f"/indicators/{lesson}", headers={"Host": "evil.example"})
    tags = meta(page.get_data(as_text=True))
    assert tags["og:url"].startswith("http://bmn.test/")


def test_a_lesson_without_an_infographic_has_a_small_card(client, make_indicator):
    tags = meta(client.get(f"/indicators/{make_indicator(8)}").get_data(as_text=True))
    assert "og:image" not in tags and tags["twitter:card"] == "summary"


def test_the_lesson_page_offers_sharing_with_the_short_link_and_a_qr(app, client, lesson):
    page = client.get(f"/indicators/{lesson}").get_data(as_text=True)
    assert thai(app, "Share this lesson") in page
    assert f'value="http://bmn.test/l/{lesson}"' in page
    assert "https://line.me/R/share?text=http%3A%2F%2Fbmn.test%2Fl%2F7" in page
    assert re.search(r'<div class="share-qr"><svg [^>]*viewBox=', page)


def test_the_studio_preview_has_no_share_box(app, client, lesson, make_user, login):
    login(client, make_user(Role.TRAINER))
    response = client.get(f"/studio/indicators/{lesson}/preview")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if "share-qr" in page or 'property="og:url"' in page:
        pytest.fail("the studio's preview shows the share box or preview tags")


@pytest.mark.parametrize(("kind", "mimetype"), [("png", "image/png"), ("svg", "image/svg+xml")])
def test_officers_download_a_printable_qr_of_the_short_link(
    app, client, lesson, make_user, login, areas, kind, mimetype
):
    login(client, make_user(Role.OFFICER, area_code=MUEANG))
    response = client.get(f"/officer/lessons/{lesson}/qr.{kind}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert f"lesson-{lesson}-qr.{kind}" in response.headers["Content-Disposition"]
    if kind == "png":
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))
        assert [f.text for f in found] == [f"http://bmn.test/l/{lesson}"]
    listing = client.get("/officer/lessons/share").get_data(as_text=True)
    assert f"http://bmn.test/l/{lesson}" in listing
    assert client.get("/officer/lessons/99/qr.png").status_code == 404
    assert client.get(f"/officer/lessons/{lesson}/qr.gif").status_code == 404
