"""A trainer in headless Chromium: uploads a clip and watches the progress bar, sees it
processed by the job queue, publishes it; writes a FAQ card with a live, sanitised preview."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.models import Role
from app.auth.services import create_user
from app.db import get_session

from .conftest import log_in, off_loop

pytestmark = pytest.mark.e2e

PASSWORD = "trainer-pass-9"
# Throttled upload: 3 MB at ~1.5 MB/s gives the progress bar a couple of seconds to move.
UPLOAD_BYTES_PER_SECOND = 1_500_000


@pytest.fixture(scope="module")
def clip_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 4-second H.264 MP4 of about 3 MB (noisy test pattern, high bitrate)."""
    out = tmp_path_factory.mktemp("clips") / "lesson-clip.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=4",
         "-vf", "noise=alls=40:allf=t", "-c:v", "libx264", "-b:v", "6M",
         "-pix_fmt", "yuv420p", str(out)],
        check=True,
    )  # fmt: skip
    return out


@off_loop
def make_trainer(app) -> str:
    """A trainer account with a generated number; returns the number."""
    with app.app_context():
        session = get_session()
        phone = "0899777001"
        from app.auth.models import User

        if session.scalar(select(User).where(User.phone == phone)) is None:
            create_user(
                session, full_name="ครูฝึก ทดสอบ", phone=phone, password=PASSWORD,
                role=Role.TRAINER, volunteer_type=None, village_id=None, area_code=None,
            )  # fmt: skip
            session.commit()
        return phone


@off_loop
def run_jobs(app) -> int:
    """Run what the job queue holds, as a worker would."""
    from app.jobs import run_pending

    with app.app_context():
        return run_pending(app.extensions["huey"])


def test_trainer_uploads_a_clip_with_a_progress_bar_and_publishes_it(
    page: Page, live_server, clip_file: Path
):
    log_in(page, live_server, make_trainer(live_server.app), PASSWORD)
    page.goto(f"{live_server.url}/studio/indicators/1/clips/new")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1,
         "uploadThroughput": UPLOAD_BYTES_PER_SECOND},
    )  # fmt: skip
    page.locator("#clip-upload input[type=file]").set_input_files(str(clip_file))
    page.locator("#clip-upload button").click()

    progress = page.locator("#upload-progress")
    expect(progress).to_be_visible()
    # The bar moves while the bytes go up: a value strictly between 0 and 100 is seen.
    page.wait_for_function(
        "() => { const p = document.getElementById('upload-progress');"
        " return p && p.value > 0 && p.value < 100; }",
        timeout=10_000,
    )
    expect(page).to_have_url(re.compile(r"/studio/clips/\d+$"), timeout=20_000)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    state = page.locator("#clip-state")
    expect(state).to_have_attribute("data-state", "processing")

    assert run_jobs(live_server.app) >= 1
    # The page polls the status while processing; it turns ready without a reload.
    expect(state).to_have_attribute("data-state", "ready", timeout=15_000)
    page.reload()
    expect(page.locator("#clip-low")).not_to_be_empty()
    # Indicator 1 shows its shipped clip: the page says so and offers to show this one instead.
    expect(page.locator("#clip-shown")).to_be_visible()
    page.get_by_role("button", name=live_server.t("Show this clip instead")).click()
    expect(page.get_by_role("button", name=live_server.t("Unpublish"))).to_be_visible()


def test_trainer_sees_a_sanitised_live_preview_of_a_faq_card(page: Page, live_server):
    log_in(page, live_server, make_trainer(live_server.app), PASSWORD)
    page.goto(f"{live_server.url}/studio/indicators/1/faq/new")
    body = page.locator("textarea[name=body]")
    box = page.locator(f"#{body.get_attribute('data-preview')}")
    body.fill(
        "**ถามซ้ำ** ให้ชัด\n\n<script>window.pwned = 1</script>\n\n"
        '<img src=x onerror="window.pwned = 2">\n\n[ลิงก์](javascript:window.pwned=3)'
    )
    expect(box.locator("strong")).to_have_text("ถามซ้ำ")
    assert box.locator("script").count() == 0
    assert page.evaluate("() => window.pwned") is None
    html = box.inner_html()
    assert "onerror" not in html and "javascript:" not in html
