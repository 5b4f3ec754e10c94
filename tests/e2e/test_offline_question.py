"""A question asked from a saved lesson with no signal, on a 360-px phone: it waits on the
phone ("รอส่ง", the photo left for when there is signal), goes once when the phone is back
online ("ส่งแล้ว"), a forced second send records nothing new, and the zone's queue has it
once."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.auth.models import Role
from app.auth.services import create_user
from app.content.models import Indicator
from app.db import get_session
from app.support.models import SupportQuestion

from .conftest import PASSWORD, PHONE_VIEWPORT, log_in, off_loop

pytestmark = pytest.mark.e2e

TEXT = f"คนที่ย้ายออกไปแล้วแต่ยังมีชื่อในทะเบียนบ้าน นับไหมคะ ({random.randrange(10**6)})"
SAVED = "Saved. You can open these pages without signal."


def _phone() -> str:
    return f"0899{random.randrange(10**6):06d}"


@off_loop
def _category(server, number: int) -> int:
    with server.app.app_context():
        return get_session().scalar(
            select(Indicator.category_number).where(Indicator.number == number)
        )


@off_loop
def _count(server, text: str) -> int:
    with server.app.app_context():
        stmt = select(func.count()).select_from(SupportQuestion).where(SupportQuestion.text == text)
        return get_session().scalar(stmt)


@off_loop
def _admin(server) -> str:
    with server.app.app_context():
        session = get_session()
        admin = create_user(
            session, full_name="ผู้ดูแล ระบบ", phone=_phone(), password=PASSWORD, role=Role.ADMIN
        )
        session.commit()
        return admin.phone


def test_a_question_asked_offline_is_sent_once_when_back_online(browser, page: Page, live_server):
    server, t = live_server, live_server.t
    number = server.plan_numbers[0]
    phone = _phone()
    server.volunteer(phone, PASSWORD)
    log_in(page, server, phone)

    # Online: save the lesson's category on the phone.
    page.goto(server.url + "/offline")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.locator("select[name=n]").select_option(str(_category(server, number)))
    expect(page.locator("#offline-size")).to_contain_text("MB")
    page.get_by_role("button", name=t("Save on this phone")).click()
    expect(page.locator("#offline-status")).to_have_text(t(SAVED), timeout=30_000)

    # No signal: the saved lesson's ask form keeps the question on the phone.
    page.context.set_offline(True)
    page.goto(f"{server.url}/indicators/{number}")
    expect(page.locator(".offline-copy")).to_be_visible()
    page.get_by_text(t("Ask a question about this indicator"), exact=True).first.click()
    page.locator("textarea[name=text]").fill("ถาม")
    page.get_by_role("button", name=t("Send the question")).click()
    expect(page.locator(".ask-error")).to_have_text(
        t("Write your question in %(min)d to %(max)d characters.", min=5, max=1000)
    )
    page.locator("textarea[name=text]").fill(TEXT)
    page.locator("input[name=photo]").set_input_files(
        {"name": "form.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" + b"0" * 64}
    )
    page.get_by_role("button", name=t("Send the question")).click()
    outbox = page.locator("#ask-outbox")
    waiting = outbox.locator('li[data-status="pending"]')
    expect(waiting).to_contain_text(t("Waiting to send"))
    expect(waiting).to_contain_text(TEXT[:40])
    expect(waiting).to_contain_text(
        t(
            "Photos need a signal: only the text was kept. "
            "Send the photo with a new question when you are online."
        )
    )
    expect(outbox.locator(".outbox-note")).to_have_text(
        t("No signal: your question stays on this phone and is sent when you are back online.")
    )
    expect(page.locator("textarea[name=text]")).to_have_value("")
    expect(page.get_by_role("button", name=t("Send the question"))).to_be_enabled()  # another
    expect(page.get_by_role("button", name=t("Send now"))).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"]
    page.screenshot(path="/tmp/e2e-offline-question.png", full_page=True)
    assert _count(server, TEXT) == 0

    # Back online: sent once, "ส่งแล้ว" with a link to the volunteer's questions.
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    sent = outbox.locator('li[data-status="sent"]')
    expect(sent).to_contain_text(t("Sent"))
    expect(sent.get_by_role("link", name=t("My questions"))).to_have_attribute(
        "href", re.compile(r"^/support/mine#q\d+$")
    )
    expect(page.get_by_role("button", name=t("Send now"))).to_be_hidden()
    assert _count(server, TEXT) == 1

    # A second send (the "Send now" of another tab, a lost answer) records nothing new.
    key = page.evaluate(
        """() => new Promise(ok => {
          const r = indexedDB.open("bmn-ask", 1);
          r.onsuccess = () => {
            const all = r.result.transaction("outbox").objectStore("outbox").getAll();
            all.onsuccess = () => ok(all.result.map(i => i.key));
          };
        })"""
    )
    assert len(key) == 1 and re.fullmatch(r"[0-9a-f]{32}", key[0])
    status = page.evaluate(
        """([url, text, key]) => fetch(url, {method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json"},
            body: JSON.stringify({text: text, request_key: key})}).then(r => r.status)""",
        [f"/indicators/{number}/questions", TEXT, key[0]],
    )
    assert status == 200
    assert _count(server, TEXT) == 1

    # Shown once: the next page leaves the list empty.
    page.reload()
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_function(
        """() => new Promise(ok => {
          const r = indexedDB.open("bmn-ask", 1);
          r.onsuccess = () => {
            const c = r.result.transaction("outbox").objectStore("outbox").count();
            c.onsuccess = () => ok(c.result === 0);
          };
        })"""
    )
    expect(outbox).to_be_hidden()

    # The support team's queue has it once.
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="th-TH")
    context.set_default_timeout(10_000)
    staff = context.new_page()
    try:
        log_in(staff, server, _admin(server))
        staff.goto(f"{server.url}/support/team/")
        expect(staff.get_by_text(TEXT)).to_have_count(1)
    finally:
        context.close()


def test_logging_out_deletes_the_questions_waiting_on_the_phone(page: Page, live_server):
    server, t = live_server, live_server.t
    number = server.plan_numbers[0]
    phone = _phone()
    server.volunteer(phone, PASSWORD)
    log_in(page, server, phone)
    page.goto(f"{server.url}/indicators/{number}")
    page.context.set_offline(True)  # the page is open; the signal goes
    page.get_by_text(t("Ask a question about this indicator"), exact=True).first.click()
    page.locator("textarea[name=text]").fill("ถามไว้ก่อนออกจากระบบ " + TEXT)
    page.get_by_role("button", name=t("Send the question")).click()
    expect(page.locator('#ask-outbox li[data-status="pending"]')).to_be_visible()
    page.goto("about:blank")  # leave before the signal is back, so nothing is sent
    page.context.set_offline(False)
    page.goto(server.url + "/")  # home: no ask form, so nothing is sent from here
    page.locator("form[action$='/logout'] button").first.click()
    expect(page).to_have_url(re.compile(r"/login"))
    names = page.evaluate("() => indexedDB.databases().then(d => d.map(x => x.name))")
    assert "bmn-ask" not in names
    assert _count(server, "ถามไว้ก่อนออกจากระบบ " + TEXT) == 0


OUTBOX_KEYS = """() => new Promise(ok => {
  const r = indexedDB.open("bmn-ask", 1);
  r.onupgradeneeded = () => r.result.createObjectStore("outbox", { keyPath: "key" });
  r.onsuccess = () => {
    const all = r.result.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => { r.result.close(); ok(all.result.map(i => i.status)); };
  };
})"""


def test_online_questions_are_kept_until_the_form_itself_arrives(page: Page, live_server):
    """Online the form is sent as before; what the phone kept for it goes quietly once the
    form arrived, is sent later when the form's own send was lost, and goes when the server
    refused the form (its page says why)."""
    server, t = live_server, live_server.t
    number = server.plan_numbers[0]
    phone = _phone()
    server.volunteer(phone, PASSWORD)
    log_in(page, server, phone)
    lesson = f"{server.url}/indicators/{number}"
    ask = t("Ask a question about this indicator")

    # Arrives: the usual page; the copy kept on the phone goes with no second question.
    page.goto(lesson)
    page.get_by_text(ask, exact=True).first.click()
    page.locator("textarea[name=text]").fill("ถามตอนมีสัญญาณ " + TEXT)
    page.get_by_role("button", name=t("Send the question")).click()
    expect(page).to_have_url(re.compile(r"/support/mine#q\d+$"))
    page.goto(lesson)
    page.wait_for_function(f"({OUTBOX_KEYS})().then(s => s.length === 0)")
    expect(page.locator("#ask-outbox")).to_be_hidden()
    assert _count(server, "ถามตอนมีสัญญาณ " + TEXT) == 1

    # Lost on the way (weak signal): the next page sends it, once.
    page.route(re.compile(r"/indicators/\d+/ask$"), lambda route: route.abort())
    page.get_by_text(ask, exact=True).first.click()
    page.locator("textarea[name=text]").fill("สัญญาณอ่อน " + TEXT)
    with page.expect_event("requestfailed"):
        page.get_by_role("button", name=t("Send the question")).click()
    page.unroute(re.compile(r"/indicators/\d+/ask$"))
    assert _count(server, "สัญญาณอ่อน " + TEXT) == 0
    page.goto(lesson)
    expect(page.locator('#ask-outbox li[data-status="sent"]')).to_contain_text(t("Sent"))
    assert _count(server, "สัญญาณอ่อน " + TEXT) == 1

    # Refused (not a picture): the page says why and nothing is sent later.
    page.get_by_text(ask, exact=True).first.click()
    page.locator("textarea[name=text]").fill("รูปเสีย " + TEXT)
    page.locator("input[name=photo]").set_input_files(
        {"name": "form.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture at all"}
    )
    page.get_by_role("button", name=t("Send the question")).click()
    expect(page.locator("#ask .error").first).to_be_visible()
    page.wait_for_function(f"({OUTBOX_KEYS})().then(s => !s.includes('pending'))")
    page.goto(lesson)
    assert _count(server, "รูปเสีย " + TEXT) == 0


def test_a_phone_passed_on_without_logging_out_sends_no_one_elses_question(page: Page, live_server):
    """A question waits under the volunteer who asked it: another volunteer who logs in on the
    same phone (the first never logged out) neither sees nor sends it; its owner does."""
    server, t = live_server, live_server.t
    number = server.plan_numbers[0]
    first, second = _phone(), _phone()
    server.volunteer(first, PASSWORD)
    server.volunteer(second, PASSWORD)
    text = "ถามไว้แล้วส่งเครื่องต่อ " + TEXT
    log_in(page, server, first)
    page.goto(f"{server.url}/indicators/{number}")
    page.context.set_offline(True)
    page.get_by_text(t("Ask a question about this indicator"), exact=True).first.click()
    page.locator("textarea[name=text]").fill(text)
    page.get_by_role("button", name=t("Send the question")).click()
    expect(page.locator('#ask-outbox li[data-status="pending"]')).to_be_visible()
    page.goto("about:blank")
    page.context.set_offline(False)
    page.context.clear_cookies()  # the session ends without a logout: the queue stays
    log_in(page, server, second)
    page.goto(f"{server.url}/indicators/{number}")
    page.wait_for_timeout(1500)  # the page's send would have gone by now
    assert _count(server, text) == 0
    expect(page.get_by_text(text)).to_have_count(0)
    page.context.clear_cookies()
    log_in(page, server, first)
    page.goto(f"{server.url}/indicators/{number}")
    expect(page.locator('#ask-outbox li[data-status="sent"]')).to_be_visible()
    assert _count(server, text) == 1
