"""Anyone holding a volunteer's certificate can check it: its QR code scans (decoded here
from the page's SVG) and opens a public page with the name partly masked, the plan, the date
ready and whether it is valid, expired or revoked; checks are limited per address and logged
without personal data."""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from sqlalchemy import select, update

from app.auth.models import User
from app.db import get_session, utcnow
from app.readiness.certificates import mask_name
from app.readiness.limits import SlidingWindowLimiter
from app.readiness.models import Readiness, TrainingPlan

from ..conftest import thai
from .conftest import MUEANG, MUEANG_SUB

NAME = "สมศรี พร้อมแล้ว"


@pytest.fixture
def ready(app, plan, make_volunteer, train, village_codes) -> dict:
    """A ready volunteer of ในเวียง: their id and certificate code."""
    user_id = make_volunteer(village_codes[MUEANG_SUB][0], NAME)
    train(user_id, when=utcnow() - timedelta(days=2))
    with app.app_context():
        code = get_session().scalar(select(Readiness.code).where(Readiness.user_id == user_id))
    return {"id": user_id, "code": code}


def svg_to_image(svg: str, pixels_per_module: int = 8) -> Image.Image:
    """Rasterise segno's SVG (a viewBox and one path of horizontal runs: `M x y h n m dx
    dy h n ...`) onto white, as a printer would."""
    box = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert box, "the QR SVG has no viewBox: CSS crops it instead of scaling it"
    width, height = int(box[1]), int(box[2])
    path = re.search(r'class="qrline"[^>]*\sd="([^"]+)"', svg) or re.search(
        r'<path[^>]*\sd="([^"]+)"[^>]*/>\s*</svg>', svg
    )
    image = Image.new("L", (width * pixels_per_module, height * pixels_per_module), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for op, a, b in re.findall(r"([MmHhVv])(-?[\d.]+)(?:\s+(-?[\d.]+))?", path[1]):
        if op in "Mm":
            x, y = (float(a), float(b)) if op == "M" else (x + float(a), y + float(b))
        elif op in "Hh":
            end = float(a) if op == "H" else x + float(a)
            top = (y - 0.5) * pixels_per_module
            draw.rectangle(
                [
                    x * pixels_per_module,
                    top,
                    end * pixels_per_module - 1,
                    top + pixels_per_module - 1,
                ],
                fill=0,
            )
            x = end
    return image


def qr_url(svg: str) -> str:
    """The text of the QR code drawn by the SVG, read by ZXing's decoder."""
    found = zxingcpp.read_barcodes(svg_to_image(svg))
    assert found, "no QR code could be read"
    return found[0].text


def test_the_certificate_qr_scans_and_opens_the_public_check(app, officer_client, ready):
    html = officer_client(MUEANG).get(f"/officer/certificates/volunteer/{ready['id']}").text
    svg = re.search(r'<div class="cert-qr"[^>]*>(.*?)</div>', html, re.S)[1]
    opening = svg[: svg.index(">")]
    assert "viewBox" in opening and "width=" not in opening and "height=" not in opening
    url = urlsplit(qr_url(svg))
    assert url.path == f"/check/{ready['code']}"

    page = app.test_client().get(url.path)  # nobody logged in
    assert page.status_code == 200
    text = page.text
    assert thai(app, "This certificate is valid.") in text
    assert "สม*** พ***" in text and NAME not in text and "พร้อมแล้ว" not in text
    assert "แผนการอบรม 2570" in text
    assert str((utcnow() - timedelta(days=2)).year + 543) in text


def test_a_code_typed_with_spaces_and_lowercase_finds_the_certificate(app, ready):
    client = app.test_client()
    typed = ready["code"].lower().replace("-", " ")
    response = client.get("/check", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/check/{ready['code']}")
    assert thai(app, "This certificate is valid.") in client.get(f"/check/{ready['code']}").text


def test_an_unknown_code_says_so(app, ready):
    page = app.test_client().get("/check/ABCD-EFGH")
    assert page.status_code == 200
    assert thai(app, "No certificate has this code.") in page.text
    assert NAME not in page.text


def test_an_expired_plan_makes_the_certificate_expired(app, ready, plan):
    with app.app_context():
        session = get_session()
        session.execute(
            update(TrainingPlan)
            .where(TrainingPlan.id == plan)
            .values(expires_on=date.today() - timedelta(days=3))
        )
        session.commit()
    text = app.test_client().get(f"/check/{ready['code']}").text
    expired = "This certificate has expired: the training plan's readiness has lapsed."
    assert thai(app, expired) in text
    assert thai(app, "This certificate is valid.") not in text


def test_a_deactivated_volunteer_s_certificate_is_revoked(app, ready):
    with app.app_context():
        session = get_session()
        session.execute(update(User).where(User.id == ready["id"]).values(active=False))
        session.commit()
    text = app.test_client().get(f"/check/{ready['code']}").text
    assert thai(app, "This certificate has been revoked.") in text
    assert thai(app, "This certificate is valid.") not in text


def test_checks_are_limited_per_address(app, ready):
    app.config["CERTIFICATE_CHECKS_PER_MINUTE"] = 3
    client = app.test_client()
    here = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(3):
        assert client.get(f"/check/{ready['code']}", environ_base=here).status_code == 200
    refused = client.get(f"/check/{ready['code']}", environ_base=here)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) <= 61
    assert (
        thai(
            app,
            "Too many checks from this connection. Try again in %(minutes)d minutes.",
            minutes=1,
        )
        in refused.text
    )
    assert "พ***" not in refused.text
    elsewhere = {"REMOTE_ADDR": "198.51.100.9"}
    assert client.get(f"/check/{ready['code']}", environ_base=elsewhere).status_code == 200


def test_each_check_is_logged_without_personal_data(app, ready, caplog):
    client = app.test_client()
    with caplog.at_level(logging.INFO, logger="app.readiness.certificates"):
        client.get(f"/check/{ready['code']}", environ_base={"REMOTE_ADDR": "203.0.113.8"})
        client.get("/check/ZZZZ-ZZZZ", environ_base={"REMOTE_ADDR": "203.0.113.8"})
    lines = [r.getMessage() for r in caplog.records if r.name == "app.readiness.certificates"]
    assert lines[0].startswith("certificate check: valid")
    assert lines[1] == "certificate check: unknown"
    logged = "\n".join(lines)
    for secret in (ready["code"], "ZZZZ-ZZZZ", NAME, "สมศรี", "203.0.113.8"):
        assert secret not in logged


def test_the_limiter_forgets_hits_after_the_window():
    now = [0.0]
    limiter = SlidingWindowLimiter(2, 60.0, clock=lambda: now[0])
    assert limiter.hit("a") == 0 and limiter.hit("a") == 0
    assert limiter.hit("a") == pytest.approx(60.0)
    now[0] = 30.0
    assert limiter.hit("a") == pytest.approx(30.0)
    assert limiter.hit("b") == 0
    now[0] = 60.5
    assert limiter.hit("a") == 0


def test_the_limiter_allows_exactly_the_limit_under_concurrent_checks():
    limiter = SlidingWindowLimiter(10, 60.0)
    start = threading.Barrier(40)

    def one() -> bool:
        start.wait()
        return limiter.hit("203.0.113.9") == 0

    with ThreadPoolExecutor(max_workers=40) as pool:
        allowed = list(pool.map(lambda _: one(), range(40)))
    assert allowed.count(True) == 10


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("สมศรี พร้อมแล้ว", "สม*** พ***"),
        ("เจริญ ใจดี", "เจร*** ใจ***"),
        ("Ann Lee", "An*** L***"),
        ("กร", "ก***"),
        ("นาง สมศรี พร้อมแล้ว", "นา*** ส***"),
    ],
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked


def test_the_volunteer_s_card_links_to_the_public_check(app, ready, login):
    client = app.test_client()
    login(client, ready["id"])
    html = client.get("/ready").text
    assert f'href="/check/{ready["code"]}"' in html
    assert thai(app, "Anyone can check your certificate with this code") in html
