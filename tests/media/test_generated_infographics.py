"""Generated infographics show their indicator: who is asked, the form's items, an example.

scripts/build_media.py draws each infographic and returns the layout it drew (item labels, ticked
answers, result); these tests hold that layout against recording.yaml, the data it is drawn from.
Rendering needs Debian's fonts-thai-tlwg and fonts-noto-color-emoji (`make media` installs them).
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
INDICATORS = ROOT / "content" / "indicators"
MAX_INFOGRAPHIC = 150 * 1024
PHONE_CSS_PX = 360


@cache
def builder():
    spec = importlib.util.spec_from_file_location(
        "build_media", ROOT / "scripts" / "build_media.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_media", module)
    spec.loader.exec_module(module)
    if not (module.FONT_DIR / module.FONT_REGULAR).exists() or not module.EMOJI_FONT.exists():
        missing = "fonts-thai-tlwg or fonts-noto-color-emoji not installed (make media)"
        if os.environ.get("BMN_REQUIRE_FONTS"):  # CI: make test installs them
            pytest.fail(missing)
        pytest.skip(missing)
    return module


@cache
def indicators() -> dict:
    return {ind.number: ind for ind in builder().load_indicators(ROOT)}


@cache
def layout(number: int):
    return builder().render_infographic(indicators()[number])[1]


def recording(number: int) -> dict | None:
    path = INDICATORS / f"{number:02d}" / "recording.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


CARRIED = [n for n in range(1, 39) if (INDICATORS / f"{n:02d}" / "recording.yaml").exists()]
PROVISIONAL = [n for n in range(1, 39) if n not in CARRIED]


@pytest.mark.parametrize("number", range(1, 39))
def test_infographic_fits_a_phone_and_a_prepaid_plan(number):
    path = INDICATORS / f"{number:02d}" / "media" / "infographic.png"
    assert path.stat().st_size <= MAX_INFOGRAPHIC
    with Image.open(path) as image:
        assert image.width == 2 * PHONE_CSS_PX  # text sizes are chosen for this width
        assert image.mode == "P"  # palette PNG


@pytest.mark.parametrize("number", CARRIED)
def test_infographic_draws_the_questionnaire_items_in_order(number):
    drawn = layout(number)
    labels = [
        str(item.get("item") or recording(number)["number_2560"])
        for item in recording(number)["items"]
    ]
    assert drawn.items, "no item drawn"
    assert drawn.items == labels[: len(drawn.items)], "items drawn out of order or invented"
    for label in labels[len(drawn.items) :]:  # what is left out is named on the picture
        group = label.split()[0]
        assert any(group.startswith(o.rstrip("…")) for o in drawn.omitted), label


@pytest.mark.parametrize("number", CARRIED)
def test_worked_example_ticks_answers_the_form_prints(number):
    drawn = layout(number)
    answers = [
        builder().form_answer(a) for item in recording(number)["items"] for a in item["answers_th"]
    ]
    printed = [re.compile("^" + re.escape(a).replace("___", ".+?") + "$") for a in answers]
    for tick in drawn.ticks:
        assert any(p.match(tick) for p in printed), f"ticked {tick!r} is not an answer on the form"
    rule = recording(number)["pass_rule_th"]
    if "**ตัวอย่าง" in rule:
        assert drawn.ticks or drawn.equation or drawn.result, "the example is not drawn"
    if drawn.result:
        assert f"**{drawn.result}**" in rule


def test_water_example_is_drawn_as_a_sum():
    assert layout(14).equation == "4 × 5 = 20 ลิตรต่อวัน"
    assert layout(28).equation.startswith("160,000 บาท ÷ 4 คน = 40,000 บาท")
    assert layout(28).omitted == ["22.2", "22.3", "22.4"]  # expenses, credit, debts: not the rule
    assert layout(28).result == "ผ่าน"


@pytest.mark.parametrize("number", range(1, 39))
def test_target_group_has_a_pictogram(number):
    assert layout(number).icon


def test_pictograms_follow_the_target_group():
    icons = {n: layout(n).icon for n in (3, 8, 14, 27, 31, 37)}
    assert icons == {3: "👶", 8: "🧑", 14: "🏠", 27: "🧓", 31: "♿", 37: "🧓🧑🧒"}


@pytest.mark.parametrize("number", PROVISIONAL)
def test_provisional_infographic_quotes_what_is_said_not_a_term(number):
    assert layout(number).items == []
    question = indicators()[number].question()
    assert re.search(r"(ครับ|คะ|ค่ะ|ไหม)", question), question
    assert question != "ช่องทางดิจิทัล"


@pytest.mark.parametrize("number", range(1, 39))
def test_alt_text_describes_the_picture(number):
    meta = yaml.safe_load((INDICATORS / f"{number:02d}" / "media" / "media.yaml").read_text())
    alt_th, alt_en = meta["infographic"]["alt_th"], meta["infographic"]["alt_en"]
    assert "pictogram" in alt_en
    if number in CARRIED:
        for label in layout(number).items:
            assert label in alt_th and label in alt_en
        assert "tick boxes" in alt_en
    else:
        assert "provisional" in alt_en
    assert "2566-2570" not in alt_th + alt_en  # no claim of conformity to the new manual
