"""The generated clips work as clips: slides leave the caption band free, captions are a script.

scripts/build_media.py renders each slide and lists the texts it drew; the captions are a
narrator's script built from the same data. These tests hold the committed clips and captions to
what a volunteer on a phone notices. Rendering needs Debian's fonts-thai-tlwg and
fonts-noto-color-emoji (`make media` installs them).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from tests.media.test_generated_infographics import builder

ROOT = Path(__file__).resolve().parents[2]
INDICATORS = ROOT / "content" / "indicators"
MAX_CLIP = 400 * 1024
SENTENCE_END = re.compile(r"(ครับ|คะ|ค่ะ|นะ|ไหม)$")


@cache
def indicator(number: int):
    return next(i for i in builder().load_indicators(ROOT) if i.number == number)


@cache
def plan(number: int):
    """[(slide, picture, texts drawn on it)] as the builder makes them now."""
    ind = indicator(number)
    slides = ind.slides()
    rendered = builder().render_slides(ind, slides)
    return [(s, img, drawn) for s, (img, drawn) in zip(slides, rendered, strict=True)]


def committed_cues(number: int) -> list[str]:
    text = (INDICATORS / f"{number:02d}" / "media" / "captions.th.vtt").read_text(encoding="utf-8")
    blocks = [b.splitlines() for b in text.split("\n\n")[1:] if "-->" in b]
    return [
        " ".join(line for line in b if "-->" not in line and not line.isdigit()) for b in blocks
    ]


@pytest.mark.parametrize("number", range(1, 39))
def test_clip_fits_a_prepaid_plan(number):
    assert (INDICATORS / f"{number:02d}" / "media" / "clip.mp4").stat().st_size <= MAX_CLIP


@pytest.mark.parametrize("number", range(1, 39))
def test_committed_captions_are_the_current_script(number):
    expected = builder().captions(indicator(number).slides())
    path = INDICATORS / f"{number:02d}" / "media" / "captions.th.vtt"
    assert path.read_text(encoding="utf-8") == expected, "run scripts/build_media.py"


@pytest.mark.parametrize("number", range(1, 39))
def test_caption_cues_are_whole_phrases_of_readable_length(number):
    cues = committed_cues(number)
    connectives = set(builder().CONNECTIVES)
    for cue in cues:
        assert len(cue) <= 90, f"more than about two caption lines: {cue}"
        assert cue.split(" ")[-1] not in connectives, f"cue ends on a connective: {cue}"
        assert not re.search(r"[…(“,:]$", cue), f"cue cut mid-sentence: {cue}"
        assert cue.count("“") == cue.count("”"), f"cue cuts a quote: {cue}"
        assert cue.count("(") <= cue.count(")"), f"cue cuts a bracket: {cue}"  # 1)-3) is fine
    for slide, _, _ in plan(number):  # what is said over a slide ends as a sentence
        assert SENTENCE_END.search(slide.cues[-1][0]), slide.cues[-1][0]


def test_clip_30_caption_is_not_cut():
    for cue in committed_cues(30):
        assert not cue.endswith("…")


@pytest.mark.parametrize("number", range(1, 39))
def test_no_caption_cue_repeats_the_slide(number):
    """No cue is mostly a sentence drawn on its slide. Naming the box a step ticks ("ข้อ 2.4
    เลือก “ทุกคน”") is narration of the picture, so answer boxes (☐ ☑) are not counted."""
    for slide, _, drawn in plan(number):
        sentences = [t for t in drawn if not t.startswith(("☐ ", "☑ "))]
        for cue, _ in slide.cues:
            assert cue not in sentences
            for text in sentences:
                assert not (text in cue and len(text) >= 0.6 * len(cue)), (cue, text)


@pytest.mark.parametrize("number", range(1, 39))
def test_caption_band_is_free_of_slide_text(number):
    bm = builder()
    for slide, img, _ in plan(number):
        band = img.crop((0, bm.H - bm.BAND, bm.W, bm.H))
        colours = band.getcolors(maxcolors=4)
        assert colours is not None and len(colours) == 1, f"slide {slide.kind} draws in the band"
    assert bm.BAND >= 0.2 * bm.H


def test_indicator_37_asks_the_question_not_the_term():
    ask = next(drawn for slide, _, drawn in plan(37) if slide.kind == "ask")
    said = " ".join(ask)
    assert "ไหม" in said and said.strip("“” ") != "ช่องทางดิจิทัล"


def test_carried_over_clip_shows_the_deciding_item_and_the_worked_example():
    shown = {slide.kind: drawn for slide, _, drawn in plan(3)}
    assert "ข้อ 2.4" in shown["form"] and "☐ ทุกคน" in shown["form"]
    assert "☑ ไม่ได้กิน 1 คน" in shown["example"] and "ไม่ผ่าน" in shown["example"]
    said = " ".join(cue for slide, _, _ in plan(3) for cue, _ in slide.cues)
    assert "ดูก่อนนะครับว่าบ้านนี้มีเด็กอายุ 6 เดือนถึง 1 ปีไหม" in said
    assert "ไม่ประเมิน" in said  # when there is no such child


def test_water_clip_draws_the_sum():
    shown = {slide.kind: drawn for slide, _, drawn in plan(14)}
    assert "4 × 5 = 20 ลิตรต่อวัน" in shown["example"]


def test_long_sentences_are_cut_between_phrases():
    chunks = builder().cue_chunks(
        "เกณฑ์คือ ได้รับวัคซีนครบทุกชนิดตามตารางสร้างเสริมภูมิคุ้มกันโรคของกระทรวงสาธารณสุขตามช่วงอายุครับ"
    )
    assert len(chunks) == 2 and all(len(c) <= 84 for c in chunks)
    assert chunks[1].startswith("ของ")
    assert builder().cue_chunks("แม่บอกว่าเด็ก 3 ปี ยังไม่ได้ไปรับวัคซีนช่วง 2 ปี 6 เดือน " * 2)[0]
    for chunk in builder().cue_chunks(
        "บ้านมีคนอายุ 15-59 ปี 3 คน พ่อกับลูกสาวได้ทั้ง 3 อย่าง แม่อายุ 52 ปี อ่านภาษาไทยได้ "
        "คิดเลขได้ แต่เขียนไม่ได้ ข้อ 19.2 เลือก “ไม่ได้ 1 คน” ผลคือ ไม่ผ่านครับ"
    ):
        assert chunk.split(" ")[-1] not in builder().CONNECTIVES
        assert not re.match(r"^\d", chunk)  # a number stays with what it counts
