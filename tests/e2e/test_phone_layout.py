"""A 360-px phone without rough edges (issue 13, deliverable 6): the header at 200% text
size, 44-px tap targets, a readable save-data switch that follows the browser's Save-Data,
and the focus on the first error after a failed submit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE_VIEWPORT

pytestmark = pytest.mark.e2e

PHONE, PASSWORD = "0891110001", "phone-layout-1"
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
# WCAG contrast of an element's text against its own (or nearest painted) background.
CONTRAST = """(el) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let node = el, bg = null;
  while (node && node.nodeType === 1) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length < 4 || c[3] > 0) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def _log_in(page: Page, live_server, *, new: bool = True) -> None:
    if new:
        live_server.volunteer(PHONE, PASSWORD)
    page.goto(f"{live_server.url}/login")
    page.fill("#phone", PHONE)
    page.fill("#password", PASSWORD)
    page.locator("main button").click()
    expect(page).to_have_url(f"{live_server.url}/")


def _lesson(live_server) -> str:
    return f"{live_server.url}/indicators/{live_server.plan_numbers[-1]}"


def test_the_header_fits_a_phone_at_200_percent_text(page: Page, live_server):
    _log_in(page, live_server)
    page.goto(_lesson(live_server))
    page.evaluate("() => { document.documentElement.style.fontSize = '200%' }")  # CSSOM: CSP-safe
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    for item in page.locator("header a, header button").all():
        box = item.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_VIEWPORT["width"] + 0.5
    page.screenshot(path="/tmp/e2e-phone-header-200.png")


def test_header_and_pager_links_are_44_px_tap_targets(page: Page, live_server):
    _log_in(page, live_server)
    page.goto(_lesson(live_server))
    targets = page.locator(
        "header a, header button, .pager a, #save-data-toggle, main button:visible,"
        " details.faq summary"
    )
    assert targets.count() >= 6
    for item in targets.all():
        box = item.bounding_box()
        assert box and box["height"] >= 44, f"{item.inner_text()!r}: {box}"
    page.screenshot(path="/tmp/e2e-phone-lesson.png", full_page=True)
    # The quiz: every answer's label is a 44-px target, and a link leads back to the lesson.
    page.get_by_role("button", name=live_server.t("Take the quiz")).click()
    expect(page.get_by_role("link", name=live_server.t("Back to the lesson"))).to_be_visible()
    labels = page.locator(".choices label")
    assert labels.count() >= 4
    for label in labels.all():
        assert label.bounding_box()["height"] >= 44, label.inner_text()
    # A question heading of several lines stays inside its card, below the top border.
    for box in page.locator("fieldset.q").all():
        card, legend = box.bounding_box(), box.locator("legend").bounding_box()
        assert (
            legend["y"] >= card["y"] + 1
            and legend["y"] + legend["height"] <= card["y"] + card["height"]
        )
    page.screenshot(path="/tmp/e2e-phone-quiz.png", full_page=True)


def test_the_save_data_switch_is_readable_and_follows_the_browser(browser, page: Page, live_server):
    _log_in(page, live_server)
    page.goto(_lesson(live_server))
    switch = page.locator("#save-data-toggle")
    expect(switch).to_have_attribute("aria-pressed", "false")
    assert switch.evaluate(CONTRAST) >= 4.5
    # The same volunteer on a phone whose data saver is on (Chrome sends Save-Data: on).
    saver = browser.new_context(
        viewport=PHONE_VIEWPORT, locale="th-TH", extra_http_headers={"Save-Data": "on"}
    )
    try:
        tab = saver.new_page()
        _log_in(tab, live_server, new=False)
        tab.goto(_lesson(live_server))
        on = tab.locator("#save-data-toggle")
        expect(on).to_have_attribute("aria-pressed", "true")
        expect(on).to_have_text(live_server.t("Save data: on"))
        assert on.evaluate(CONTRAST) >= 4.5
        tab.screenshot(path="/tmp/e2e-phone-save-data-on.png")
    finally:
        saver.close()
    # A phone whose browser reports its data saver only to scripts (navigator.connection).
    page.add_init_script(
        "Object.defineProperty(navigator, 'connection', {value: {saveData: true}})"
    )
    page.goto(_lesson(live_server))
    expect(switch).to_have_attribute("aria-pressed", "true")
    expect(switch).to_have_text(live_server.t("Save data: on"))


def test_a_failed_signup_focuses_the_first_field_with_an_error(page: Page, live_server):
    page.goto(f"{live_server.url}/signup")
    page.locator("main form button").click()
    first = page.locator("#full_name")
    expect(first).to_be_focused()
    expect(first).to_have_attribute("aria-invalid", "true")
    assert "This field is required." not in page.content()
    expect(page.locator("#full_name-error-1")).to_have_text(
        live_server.t("This field is required.")
    )
    border = first.evaluate("(el) => getComputedStyle(el).borderTopColor")
    assert border == "rgb(164, 38, 44)"  # --bad
    page.screenshot(path="/tmp/e2e-phone-signup-errors.png")


def test_a_lesson_fetches_no_clip_byte_before_play_only_a_webp_poster(page: Page, live_server):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(_lesson(live_server))
    page.wait_for_load_state("networkidle")
    assert not [u for u in asked if u.endswith((".mp4", ".webm"))], asked
    posters = [u for u in asked if u.endswith((".webp", ".jpg")) and "/media/" in u]
    poster = page.locator("video").get_attribute("poster")
    assert poster and poster.endswith(".webp") and any(u.endswith(poster) for u in posters)
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200


# Where a line breaks inside one of these words on the page (main's text, as laid out).
BREAKS_INSIDE = """(words) => {
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  let text = "", top = null, left = null;
  const breaks = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) {
        if (top !== null && rect.top > top + 4 && rect.left < left) breaks.push(text.length);
        top = rect.top;
        left = rect.left;
      }
      text += node.data[i];
    }
  }
  const found = [];
  for (const at of breaks) {
    for (const word of words) {
      for (let k = text.indexOf(word); k >= 0; k = text.indexOf(word, k + 1)) {
        if (at > k && at < k + word.length) {
          found.push(text.slice(k, at) + "|" + text.slice(at, k + word.length));
        }
      }
    }
  }
  return found;
}"""


def test_thai_lines_do_not_break_inside_the_lessons_compounds(page: Page, live_server):
    """ICU's dictionary splits ตัว|ชี้วัด and ครัว|เรือน: app.js keeps such compounds whole."""
    words = ["ตัวชี้วัด", "ครัวเรือน", "อย่างเดียว", "ทะเบียนบ้าน", "คำตอบ", "สมาชิก"]
    for number in range(0, 10):
        page.goto(f"{live_server.url}/indicators/{number}")
        assert page.evaluate(BREAKS_INSIDE, words) == [], number
    page.screenshot(path="/tmp/e2e-phone-thai-lines.png", full_page=True)
