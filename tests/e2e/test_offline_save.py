"""Saved for no signal, in headless Chromium at 360x740: save a category, go offline and read
its lesson and infographic with the "saved copy" notice; a connection that answers nothing
still shows the saved lesson after ~3 s; a trainer's publish reaches the saved lesson once
the phone is online; storage is shown and cleared."""

from __future__ import annotations

import random
import re
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.content.models import FaqCard, Indicator, Infographic
from app.db import get_session

from .conftest import off_loop

pytestmark = pytest.mark.e2e

PASSWORD = "offline-password-1"
NOTICE = "หน้านี้เป็นสำเนาที่บันทึกไว้เมื่อ"
BUDDHIST_YEAR = str(time.gmtime().tm_year + 543)
SAVED = "Saved. You can open these pages without signal."


@off_loop
def lesson_with_infographic(app) -> tuple[int, int, str]:
    """An indicator with a published infographic: its number, category and title."""
    with app.app_context():
        session = get_session()
        info = session.scalar(
            select(Infographic)
            .join(Indicator)
            .where(Infographic.published.is_(True), Indicator.number > 0)
            .order_by(Indicator.number)
            .limit(1)
        )
        indicator = info.indicator
        return indicator.number, indicator.category_number, indicator.title_th


@off_loop
def publish_card(app, number: int, title: str) -> None:
    """A trainer's newly published FAQ card on an indicator's lesson."""
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        session.add(
            FaqCard(indicator_id=indicator.id, slug="offline-new", title_th=title, body="ใหม่")
        )
        session.commit()


def log_in(page: Page, server) -> None:
    phone = f"0899{random.randrange(10**6):06d}"
    server.volunteer(phone, PASSWORD)
    page.goto(server.url + "/login")
    page.get_by_label(server.t("Mobile number"), exact=True).fill(phone)
    page.get_by_label(server.t("Password"), exact=True).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=server.t("Log in")).click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def save(page: Page, server, category: int | None = None, *, clips: bool = False) -> None:
    """Open the save page and save the basics, or one category (with its clips)."""
    page.goto(server.url + "/offline")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if category is not None:
        page.locator("select[name=n]").select_option(str(category))
        expect(page.locator("input[value=category]")).to_be_checked()
    expect(page.locator("#offline-size")).to_contain_text("MB")
    if clips:
        expect(page.locator("#offline-clip-size")).to_contain_text("MB")
        page.locator("#offline-clips").check()
    page.get_by_role("button", name=server.t("Save on this phone")).click()
    expect(page.locator("#offline-status")).to_have_text(server.t(SAVED), timeout=30_000)


def test_a_saved_category_opens_offline_with_the_saved_copy_notice(page: Page, live_server):
    number, category, title = lesson_with_infographic(live_server.app)
    log_in(page, live_server)
    save(page, live_server, category, clips=True)
    expect(page.locator("#offline-used")).to_contain_text("MB")
    expect(page.locator("#offline-saved")).to_contain_text(BUDDHIST_YEAR)
    page.screenshot(path="/tmp/e2e-offline-save.png", full_page=True)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/indicators/{number}")
    expect(page.locator("h1")).to_contain_text(title)
    notice = page.locator(".offline-copy")
    expect(notice).to_contain_text(NOTICE)
    expect(notice).to_contain_text(BUDDHIST_YEAR)
    page.screenshot(path="/tmp/e2e-offline-lesson.png")
    picture = page.locator("img.info")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.info'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    if page.locator("video source").count():  # the saved clip plays, by ranges
        src = page.locator("video source").first.get_attribute("src")
        status, content_range = page.evaluate(
            "src => fetch(src, {headers: {Range: 'bytes=0-99'}})"
            ".then(r => [r.status, r.headers.get('Content-Range')])",
            src,
        )
        assert status == 206 and content_range.startswith("bytes 0-99/")
        duration = page.evaluate(
            """() => new Promise(resolve => {
                const video = document.querySelector("video");
                video.addEventListener("loadedmetadata", () => resolve(video.duration));
                video.load();
            })"""
        )
        assert duration > 0
    for path in (f"/summary/{category}", "/ready", "/"):
        page.goto(live_server.url + path)
        expect(page.locator(".offline-copy")).to_contain_text(NOTICE)
    page.goto(f"{live_server.url}/indicators/{number}?unsaved=1")  # not saved: a Thai notice
    expect(page.locator("main")).to_contain_text("ยังไม่ได้บันทึกหน้านี้")

    page.context.set_offline(False)
    page.goto(live_server.url + "/offline")
    expect(page.locator("#offline-saved")).to_contain_text(BUDDHIST_YEAR)
    page.get_by_role("button", name=live_server.t("Clear saved content")).click()
    expect(page.locator("#offline-status")).to_have_text(live_server.t("Saved content cleared."))
    expect(page.locator("#offline-saved")).to_have_text(
        live_server.t("Nothing is saved on this phone yet.")
    )
    assert not page.evaluate("caches.has('bmn-offline')")


def test_a_late_answer_for_the_first_choice_does_not_undo_the_category_chosen(
    page: Page, live_server
):
    """The page's first size list (the basics, no clips) answering after the category's must
    not overwrite the category's sizes: the clips box stays enabled with the category's MB."""
    _, category, _ = lesson_with_infographic(live_server.app)
    log_in(page, live_server)
    held = []
    page.route(re.compile(r".*/offline/list\?scope=basics.*"), lambda route: held.append(route))
    page.goto(live_server.url + "/offline")
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the page did not ask for the basics' sizes"
    page.locator("select[name=n]").select_option(str(category))
    clips = page.locator("#offline-clips")
    expect(page.locator("#offline-clip-size")).to_contain_text("MB")
    expect(clips).to_be_enabled()
    category_size = page.locator("#offline-clip-size").inner_text()
    assert category_size != "(0.0 MB)"
    with page.expect_response(re.compile(r".*/offline/list\?scope=basics.*")):
        held[0].continue_()
    page.wait_for_timeout(300)
    expect(clips).to_be_enabled()
    expect(page.locator("#offline-clip-size")).to_have_text(category_size)


def test_lie_fi_still_shows_the_saved_lesson_after_about_three_seconds(page: Page, live_server):
    log_in(page, live_server)
    save(page, live_server)
    # The phone claims a connection, but documents never arrive.
    page.context.route(re.compile(r".*/indicators/0$"), lambda route: None)
    started = time.monotonic()
    page.goto(f"{live_server.url}/indicators/0", wait_until="commit", timeout=20_000)
    waited = time.monotonic() - started
    expect(page.locator(".offline-copy")).to_contain_text(NOTICE)
    assert 2.5 <= waited < 10, waited


def test_a_trainers_publish_reaches_the_saved_lesson_once_online(page: Page, live_server):
    log_in(page, live_server)
    save(page, live_server)
    title = "บัตรคำถามใหม่จากผู้ฝึก"
    publish_card(live_server.app, 0, title)
    page.goto(live_server.url + "/")  # online: the worker compares the content version
    page.evaluate(
        """() => new Promise(resolve => {
            navigator.serviceWorker.addEventListener("message", e => {
                if (e.data.type === "refreshed") resolve(true);
            });
            navigator.serviceWorker.controller.postMessage({type: "refresh"});
        })"""
    )
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/indicators/0")
    expect(page.locator(".offline-copy")).to_contain_text(NOTICE)
    expect(page.locator("details.faq summary", has_text=title)).to_be_visible()


@off_loop
def category_of(app, number: int) -> int:
    with app.app_context():
        return get_session().scalar(
            select(Indicator.category_number).where(Indicator.number == number)
        )


def test_a_saved_category_keeps_its_quizzes_for_offline(page: Page, live_server):
    """Saving fetches the quiz packs of the saved lessons and keeps the offline quiz page."""
    if not any(r.rule == "/offline/quiz" for r in live_server.app.url_map.iter_rules()):
        pytest.skip("the offline quiz page is not part of this build")
    number = live_server.plan_numbers[0]
    log_in(page, live_server)
    save(page, live_server, category_of(live_server.app, number))
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/offline/quiz?n={number}")
    expect(page.locator(".offline-copy")).to_contain_text(NOTICE)
    expect(page.locator("#offline-quiz fieldset.q").first).to_be_visible()
