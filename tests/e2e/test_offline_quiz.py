"""A quiz taken with no connection on a 360-px phone: a signed pack saved while online, the
answers kept on the phone ("รอส่ง"), sent once when back online ("ส่งแล้ว"), a forced second
send recorded no twice, an altered pack refused with its reason; and answers that survive a
session ending mid-quiz."""

from __future__ import annotations

import random
import re
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e

SAVED_PACK = """n => new Promise((ok, fail) => {
  const r = indexedDB.open("bmn-quiz", 1);
  r.onsuccess = () => {
    const get = r.result.transaction("packs").objectStore("packs").get(n);
    get.onsuccess = () => ok(get.result || null);
    get.onerror = () => fail(get.error);
  };
  r.onerror = () => fail(r.error);
})"""


def _wait_for_pack(page: Page, number: int, timeout: float = 10.0) -> dict:
    """The pack the lesson page keeps on the phone, once it is there (IndexedDB reads are
    asynchronous, so this polls from Python)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pack = page.evaluate(SAVED_PACK, number)
        if pack:
            return pack
        page.wait_for_timeout(100)
    raise AssertionError(f"no quiz pack for indicator {number} on the phone")


def _fill(page: Page, fields: dict[str, list[str]]) -> None:
    for name, values in fields.items():
        for value in values:
            box = page.locator(f'input[name="{name}"][value="{value}"]')
            if box.count():
                box.check()
            else:
                page.locator(f'input[name="{name}"]').fill(value)


def test_a_quiz_taken_offline_is_sent_once_when_back_online(page: Page, live_server):
    server, t = live_server, live_server.t
    number = server.plan_numbers[1]
    phone = f"0899{random.randrange(10**6):06d}"
    server.volunteer(phone, PASSWORD)
    log_in(page, server, phone)

    # Online: opening the lesson keeps a pack of its quiz on the phone.
    page.goto(f"{server.url}/indicators/{number}")
    _wait_for_pack(page, number)
    page.goto(f"{server.url}/offline/quiz?n={number}")
    pack = page.evaluate(SAVED_PACK, number)
    assert pack["number"] == number and "token" in pack
    expect(page.locator("#offline-quiz fieldset.q")).to_have_count(len(pack["questions"]))

    # Offline: take it; it waits on the phone.
    page.context.set_offline(True)
    _fill(page, server.right_fields([q["id"] for q in pack["questions"]]))
    page.get_by_role("button", name=t("Send my answers")).click()
    outbox = page.locator("#quiz-outbox")
    expect(outbox.locator('li[data-status="pending"]')).to_contain_text(t("Waiting to send"))
    assert server.attempts_of(phone) == []

    # Back online: sent once, the result shown.
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    sent = outbox.locator('li[data-status="sent"]')
    expect(sent).to_contain_text(t("Sent"))
    expect(sent).to_contain_text(t("Passed"))
    attempts = server.attempts_of(phone)
    assert len(attempts) == 1 and attempts[0][1] and attempts[0][2]

    # A second send of the same quiz (the phone never heard back) records nothing new.
    status = page.evaluate(
        """() => new Promise(ok => {
          const r = indexedDB.open("bmn-quiz", 1);
          r.onsuccess = () => {
            const all = r.result.transaction("outbox").objectStore("outbox").getAll();
            all.onsuccess = () => {
              const i = all.result[0];
              fetch("/quiz-packs/submit", {method: "POST", headers: {"Content-Type":
                "application/json"}, body: JSON.stringify({token: i.token, client_id:
                i.client_id, answers: i.answers, taken_at: i.taken_at})})
              .then(res => ok(res.status));
            };
          };
        })"""
    )
    assert status == 200 and len(server.attempts_of(phone)) == 1
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    # An altered pack waiting on the phone is refused, and the reason is shown in Thai.
    page.evaluate(
        """n => new Promise(ok => {
          const r = indexedDB.open("bmn-quiz", 1);
          r.onsuccess = () => {
            const s = r.result.transaction("outbox", "readwrite").objectStore("outbox");
            const all = s.getAll();
            all.onsuccess = () => {
              const i = Object.assign({}, all.result[0]);
              i.client_id = "altered-0000001"; i.status = "pending";
              i.token = i.token.replace(/.(?=\\.[^.]*$)/, c => c === "A" ? "B" : "A");
              s.put(i).onsuccess = () => ok();
            };
          };
        })""",
        number,
    )
    page.evaluate("() => BMNQuiz.sendPending()")
    refused = outbox.locator('li[data-status="refused"]')
    expect(refused).to_contain_text(
        t("This quiz was changed on the phone, so it cannot be counted. Take it again.")
    )
    assert len(server.attempts_of(phone)) == 1


def test_answers_survive_a_session_that_ends_mid_quiz(page: Page, live_server):
    server, t = live_server, live_server.t
    number = server.plan_numbers[0]
    phone = f"0899{random.randrange(10**6):06d}"
    server.volunteer(phone, PASSWORD)
    log_in(page, server, phone)
    page.goto(f"{server.url}/indicators/{number}")
    page.get_by_role("button", name=t("Take the quiz")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    _fill(page, server.answers(attempt_id, right=True))

    page.context.clear_cookies()  # the session ends while the volunteer answers
    page.get_by_role("button", name=t("Send my answers")).click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.locator("main")).to_contain_text(
        t("Your session ended. Log in again: your answers are kept on this phone.")
    )
    page.get_by_label(t("Mobile number"), exact=True).fill(phone)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=t("Log in")).click()
    # Back on the quiz, the answers are filled in again and sent once.
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/result$"))
    expect(page.locator("section.result")).to_contain_text(t("Passed"))
    assert len(server.attempts_of(phone)) == 1


def test_logging_out_removes_the_volunteers_packs_from_the_phone(page: Page, live_server):
    server, t = live_server, live_server.t
    number = server.plan_numbers[1]
    phone = f"0899{random.randrange(10**6):06d}"
    server.volunteer(phone, PASSWORD)
    log_in(page, server, phone)
    page.goto(f"{server.url}/indicators/{number}")
    _wait_for_pack(page, number)
    page.get_by_role("button", name=t("Log out")).click()
    expect(page.get_by_role("link", name=t("Log in")).first).to_be_visible()
    assert page.evaluate(SAVED_PACK, number) is None  # the next person cannot take it
