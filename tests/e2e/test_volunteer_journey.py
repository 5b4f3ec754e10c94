"""A volunteer's whole journey in a phone-sized headless Chromium, and the language switch.

Assertions are on what a user sees (visible text, URLs). UI strings are looked up in the
app's catalogue for the user's language (live_server.t), so they hold once Thai is translated.
"""

from __future__ import annotations

import random
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SCREENSHOT = "/tmp/e2e-lesson.png"
PASSWORD = "correct-horse-9"


def attempt_id_of(page: Page) -> int:
    """The attempt id in the quiz page's URL (/attempts/<id>)."""
    match = re.search(r"/attempts/(\d+)$", page.url)
    assert match, f"not a quiz page: {page.url}"
    return int(match.group(1))


def answer_quiz(page: Page, server, *, right: bool) -> tuple[int, int]:
    """Tick every drawn question's answers (all right or all wrong) and send the form.
    Returns the attempt id and how many questions were asked."""
    attempt_id = attempt_id_of(page)
    answers = server.answers(attempt_id, right=right)
    asked = len({re.match(r"q\d+", field).group() for field in answers})  # q12, q12_0 …
    questions = page.locator("fieldset.q")
    expect(questions).to_have_count(asked)
    for field, keys in answers.items():
        for key in keys:
            box = page.locator(f'input[name="{field}"][value="{key}"]')
            if box.count():
                box.check()
            else:  # a number written in a recording exercise's blank
                page.locator(f'input[name="{field}"]').fill(key)
    page.get_by_role("button", name=server.t("Send my answers")).click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/result$"))
    return attempt_id, asked


def test_volunteer_signs_up_learns_fails_then_passes_and_is_ready(page: Page, live_server):
    server, t = live_server, live_server.t
    first, second = server.plan_numbers
    titles = server.titles([first, second])
    name = "สมหญิง ทดสอบระบบ"
    phone = f"0899{random.randrange(10**6):06d}"  # generated test range, no real person

    # Home, logged out: the welcome card leads to signup.
    page.goto(server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    page.locator("main").get_by_role("link", name=t("Sign up"), exact=True).click()
    expect(page).to_have_url(server.url + "/signup")

    # Signup, with the district › subdistrict › village picker filtered by the page's JS.
    page.get_by_label(t("Full name"), exact=True).fill(name)
    page.get_by_label(t("Mobile number"), exact=True).fill(phone)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Password again"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Village health volunteer (อสม.)")).check()

    districts = page.locator("#district option:not([value=''])")
    assert districts.count() >= 2, "the area list should offer several districts"
    district = districts.nth(districts.count() - 1).get_attribute("value")
    page.select_option("#district", district)
    offered = page.eval_on_selector_all(
        "#subdistrict option:not([value=''])",
        "os => os.filter(o => !o.disabled).map(o => [o.value, o.dataset.district])",
    )
    assert offered and all(parent == district for _code, parent in offered), offered
    subdistrict = offered[0][0]
    page.select_option("#subdistrict", subdistrict)
    villages = page.eval_on_selector_all(
        "#village optgroup:not([disabled]) option", "os => os.map(o => o.value)"
    )
    assert len(villages) == 2, f"2 demo villages expected in {subdistrict}: {villages}"
    hidden_groups = page.eval_on_selector_all(
        "#village optgroup", "gs => gs.filter(g => g.disabled).length"
    )
    assert hidden_groups > 0, "villages of other subdistricts should be filtered out"
    page.select_option("#village", villages[0])
    page.locator("main form").get_by_role("button", name=t("Sign up")).click()

    # Home, logged in: the plan with nothing passed yet.
    expect(page).to_have_url(server.url + "/")
    expect(page.get_by_role("heading", name=t("Hello, %(name)s", name=name))).to_be_visible()
    plan_card = page.locator("section.card", has=page.get_by_role("heading", name="แผนทดสอบ"))
    expect(plan_card).to_contain_text(
        t("%(passed)d of %(total)d lessons passed", passed=0, total=2)
    )
    expect(page.get_by_text(titles[first][0])).to_be_visible()
    expect(page.get_by_text(titles[second][0])).to_be_visible()
    # Nothing started yet: the button says start, not continue.
    plan_card.get_by_role(
        "link", name=t("Start: %(unit)s", unit=t("Indicator %(number)d", number=first))
    ).click()

    # The first lesson: not a byte of the clip until play is tapped, then it loads; the
    # infographic shows.
    expect(page).to_have_url(f"{server.url}/indicators/{first}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(titles[first][0])
    assert page.locator("video").evaluate("v => v.preload === 'none' && v.readyState === 0")
    page.locator("video").evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); return v && v.readyState >= 2; }",
        timeout=15_000,
    )
    infographic = page.locator("img.info")
    infographic.scroll_into_view_if_needed()
    expect(infographic).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.info');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    expect(page.get_by_role("heading", name=t("Frequent problems"))).to_be_visible()
    no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll), "the lesson scrolls sideways at 360 px"
    page.screenshot(path=SCREENSHOT, full_page=True)

    # Fail the quiz on purpose, and read the feedback.
    page.get_by_role("button", name=t("Take the quiz")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    failed, asked = answer_quiz(page, server, right=False)
    result = page.locator("section.result")
    expect(result.get_by_role("heading", name=t("Not passed yet"), exact=True)).to_be_visible()
    score = "%(score)d of %(total)d right (pass mark %(mark)d%%)."
    mark = server.pass_mark(failed)
    expect(result).to_contain_text(t(score, score=0, total=asked, mark=mark))
    explanations = server.explanations(failed)
    expect(page.get_by_text(explanations[0], exact=False).first).to_be_visible()
    reviews = page.locator("section.q a")
    assert reviews.count() >= 1, "a failed quiz should link back to the lesson"
    for href in reviews.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert re.fullmatch(rf"/indicators/{first}#[\w-]+", href), href
    faq_links = page.locator("section.q a[href*='#faq-']")
    review = faq_links.first if faq_links.count() else reviews.first
    expect(review).to_have_text(
        re.compile(
            re.escape(t("Review the FAQ card"))
            + "|"
            + re.escape(t("Review: %(section)s", section=""))
        )
    )
    anchor = review.get_attribute("href").split("#", 1)[1]
    review.click()
    expect(page).to_have_url(f"{server.url}/indicators/{first}#{anchor}")
    target = page.locator(f"#{anchor}")
    expect(target).to_be_in_viewport()
    if anchor.startswith("faq-"):
        expect(target).to_have_attribute("open", "")  # the FAQ card opens itself
    page.go_back()
    expect(page).to_have_url(f"{server.url}/attempts/{failed}/result")

    # Retake and pass.
    page.get_by_role("button", name=t("Try again")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    assert attempt_id_of(page) != failed, "a retake is a new attempt"
    _retake, asked = answer_quiz(page, server, right=True)
    result = page.locator("section.result")
    expect(result.get_by_role("heading", name=t("Passed"), exact=True)).to_be_visible()
    expect(result).to_contain_text(t(score, score=asked, total=asked, mark=mark))
    page.get_by_role("link", name=t("Continue"), exact=True).click()
    expect(page).to_have_url(server.url + "/")
    plan_card = page.locator("section.card", has=page.get_by_role("heading", name="แผนทดสอบ"))
    expect(plan_card).to_contain_text(
        t("%(passed)d of %(total)d lessons passed", passed=1, total=2)
    )

    # The second indicator: lesson, quiz, pass.
    plan_card.get_by_role(
        "link", name=t("Continue: %(unit)s", unit=t("Indicator %(number)d", number=second))
    ).click()
    expect(page).to_have_url(f"{server.url}/indicators/{second}")
    page.get_by_role("button", name=t("Take the quiz")).click()
    answer_quiz(page, server, right=True)
    expect(
        page.locator("section.result").get_by_role("heading", name=t("Passed"), exact=True)
    ).to_be_visible()
    page.get_by_role("link", name=t("Continue"), exact=True).click()

    # Ready: home says so, and the card shows name, verification code and the BE year.
    expect(page).to_have_url(server.url + "/")
    expect(page.get_by_role("heading", name=t("You are ready to collect data"))).to_be_visible()
    plan_card = page.locator("section.card", has=page.get_by_role("heading", name="แผนทดสอบ"))
    expect(plan_card).to_contain_text(
        t("%(passed)d of %(total)d lessons passed", passed=2, total=2)
    )
    page.get_by_role("link", name=t("Show my readiness card")).click()
    expect(page).to_have_url(server.url + "/ready")
    card = page.locator("section.card.ready")
    expect(card).to_be_visible()
    expect(card).to_contain_text(name)
    expect(card.locator(".code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    be_year = datetime.now(ZoneInfo("Asia/Bangkok")).year + 543
    expect(card).to_contain_text(re.compile(rf"\b{be_year}\b"))
    assert str(be_year).startswith("25")


def test_visitor_switches_to_english_and_it_sticks(page: Page, live_server):
    server, t = live_server, live_server.t
    first = server.plan_numbers[0]
    title_th, title_en = server.titles([first])[first]

    page.goto(server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_text(title_th)).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text(title_en)).to_be_visible()
    expect(page.get_by_text(title_th)).to_have_count(0)
    expect(page.get_by_role("button", name="ภาษาไทย")).to_be_visible()
    expect(page.get_by_role("link", name=t("Sign up", "en"), exact=True).first).to_be_visible()

    # The next page stays English.
    page.get_by_role("link", name=re.compile(re.escape(title_en))).click()
    expect(page).to_have_url(f"{server.url}/indicators/{first}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main p[lang=en]")).to_have_text(title_en)
    expect(page.get_by_role("link", name=t("Log in to take the quiz", "en"))).to_be_visible()
    expect(page.get_by_role("button", name="ภาษาไทย")).to_be_visible()
    page.get_by_role("link", name=t("Log in", "en"), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=t("Log in", "en"))).to_be_visible()


def test_volunteer_records_a_household_item_by_item_on_a_phone(page: Page, live_server):
    """A recording exercise on a 360-px phone: the household, the form's items with their
    boxes, one item recorded wrongly on purpose, then the feedback item by item."""
    server, t = live_server, live_server.t
    number = server.plan_numbers[1]  # a carried-over indicator: its quiz has exercises
    phone = f"0899{random.randrange(10**6):06d}"
    server.volunteer(phone, PASSWORD)
    page.goto(server.url + "/login")
    page.get_by_label(t("Mobile number"), exact=True).fill(phone)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=t("Log in")).click()
    page.goto(f"{server.url}/indicators/{number}")
    page.get_by_role("button", name=t("Take the quiz")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    attempt_id = attempt_id_of(page)
    question_id, record = server.exercise(attempt_id)

    exercise = page.locator(f'fieldset.record:has(input[name="q{question_id}_r"])')
    expect(exercise.get_by_text(t("Record a household"))).to_be_visible()
    no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll), "the exercise scrolls sideways at 360 px"

    # Everything else right; the exercise's first item wrong (as a volunteer would tap it).
    answers = server.answers(attempt_id, right=True)
    for field, keys in answers.items():
        if field.startswith(f"q{question_id}_"):
            continue
        for key in keys:
            page.locator(f'input[name="{field}"][value="{key}"]').check()
    for index, entry in enumerate(record.entries):
        item = exercise.locator(f'li.form-item[data-item="{entry.label}"]')
        expect(item).to_be_visible()
        wrong = index == 0
        if entry.kind == "number":
            if entry.skipped != wrong:
                item.get_by_label(t("Skip this item (the form says to)")).check()
            else:
                item.locator("input.number").fill("1" if wrong else entry.answer[0])
            continue
        values = list(entry.answer)
        if wrong:
            values = ["skip"] if not entry.skipped else ["0"]
        for value in values:
            item.locator(f'label:has(input[value="{value}"])').click()  # tap the label
    exercise.locator(f'input[name="q{question_id}_r"][value="{record.result}"]').check()
    exercise.screenshot(path="/tmp/e2e-record-form.png")
    page.get_by_role("button", name=t("Send my answers")).click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/result$"))

    total = len(record.entries)
    feedback = page.locator("section.q", has=page.get_by_text(record.entries[0].why)).first
    expect(feedback).to_contain_text(
        t("%(right)d of %(total)d items recorded right.", right=total - 1, total=total)
    )
    first = feedback.locator(f'li.form-item[data-item="{record.entries[0].label}"]')
    expect(first).to_contain_text(t("The form needs:"))
    expect(first).to_contain_text(record.entries[0].why)
    assert page.evaluate(no_sideways_scroll), "the feedback scrolls sideways at 360 px"
    page.screenshot(path="/tmp/e2e-record.png", full_page=True)
