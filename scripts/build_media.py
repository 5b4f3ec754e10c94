"""Render each indicator's clip, poster, captions and infographic into content/indicators/NN/media/.

Usage: python scripts/build_media.py [--only 26,27] [--force]

Everything is drawn from the indicator's own data: its row in content/indicators.csv, its
lesson.yaml and, for the carried-over indicators, its recording.yaml (the 2560-2564 form's items,
the pass rule and its worked example). The infographic shows who is asked (a pictogram), the
form's items as tick boxes and the worked example; the clip's slides show the same pictures above
an empty caption band, and its captions are a narrator's script made from templates and that
data (silent: no offline Thai voice from the package registries was found intelligible).

An indicator is skipped when its media.yaml records the sha256 of what it would render now, so a
re-run only rebuilds what changed (bump RENDER_VERSION after a design change). The same text gives
byte-identical PNG, JPEG, VTT and YAML files, and the same MP4 with the same ffmpeg/x264. Needs
Pillow with raqm, ffmpeg with libx264, Debian's fonts-thai-tlwg (/usr/share/fonts/truetype/tlwg,
or $BMN_FONT_DIR) and fonts-noto-color-emoji (`make media` installs them); uses libthai's word
list when installed.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import functools
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont, features

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from app.content.text import plain_paragraphs, quoted_question, text_hash  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = Path(os.environ.get("BMN_FONT_DIR", "/usr/share/fonts/truetype/tlwg"))
FONT_REGULAR, FONT_BOLD = "Loma.ttf", "Loma-Bold.ttf"
FFMPEG = os.environ.get("FFMPEG", "ffmpeg")
MEDIA_FILES = ("clip.mp4", "poster.jpg", "captions.th.vtt", "infographic.png", "media.yaml")

RENDER_VERSION = 5  # part of the source hash: bump it when the design changes
W, H = 854, 480  # slides and clip, 16:9
FPS, CRF = 2, 30  # half-second timing steps; a held slide costs almost nothing after its key frame
INFO_W = 720
SLIDE_LIMIT, INFO_LIMIT = 100, 180  # characters per lesson paragraph on a slide, infographic
MAX_CLIP, MAX_INFOGRAPHIC = 400 * 1024, 150 * 1024

EDITION = "จปฐ. ปี 2566-2570"
NO_CRITERION = "เกณฑ์ตามคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570"  # never invent a threshold
PROVISIONAL_NOTE = (
    "ถ้อยคำของตัวชี้วัดนี้ยังไม่ใช่ถ้อยคำทางการ ให้ตรวจสอบกับคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570 ก่อนใช้งานจริง"
)
FALLBACK_ASK = "ใช้ข้อคำถามตามแบบสอบถาม จปฐ. ปี 2566-2570 และฟังคำตอบจากผู้ตอบโดยตรง"
FALLBACK_RECORD = "บันทึกตามคำตอบจริงลงแบบสอบถาม จปฐ. แล้วเทียบกับเกณฑ์ของตัวชี้วัด"

INK, MUTED, RULE, PAPER = "#1b1b1f", "#5a5a66", "#dcdce3", "#ffffff"
# One colour per category: white text on it, and it as text on white, contrast at least 6.2:1.
CATEGORY_COLORS = {
    "1": "#0b6e55",  # สุขภาพ
    "2": "#1f5aa6",  # มาตรฐานความเป็นอยู่
    "3": "#6a3d9a",  # การศึกษา
    "4": "#9a4a00",  # เศรษฐกิจ
    "5": "#a8284f",  # การคุ้มครองทางสังคมและการมีส่วนร่วม
}


# --- Markdown to plain paragraphs: shared with the app (pocket summary, content check) ---------


def shorten(s: str, limit: int) -> str:
    """At most about limit characters, cut before a word and marked with …."""
    if len(s) <= limit:
        return s
    units, prios = break_units(s)
    cut, length = 1, 0
    for i, unit in enumerate(units):
        if length + len(unit) > limit:
            break
        length += len(unit)
        if i + 1 < len(units) and prios[i + 1] >= 2:
            cut = i + 1
    return "".join(units[:cut]).rstrip() + "…"


# --- Thai line breaking -------------------------------------------------------------------------
# Thai puts no spaces between words. Text is cut into units that must never be split (a consonant
# with its vowel and tone marks, a leading vowel with its consonant, a number), and each gap between
# units gets a priority; the wrapper prefers spaces, then word starts, then syllable starts.

MARKS = {chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F))}  # combining
LEADING = set("เแโใไ")  # written before their consonant, and stay with it
NO_START = set("ะาำๅๆ)]}”’,.;:!?%…")  # never begin a line
OPENERS = set("([{“‘")
SYLLABLE_END = set("ะำๆ")
ON_INITIAL = {chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3A), *range(0x0E48, 0x0E4C))}
ON_INITIAL |= set("ะาำ")  # a consonant carrying one of these starts a syllable
UNITS = ("ปี", "เดือน", "สัปดาห์", "วัน", "ชั่วโมง", "นาที", "ครั้ง", "คน", "กรัม", "ลิตร", "บาท")
# Compounds that libthai splits (ครัว|เรือน, ได้|รับ) but a reader expects on one line.
KEEP_WHOLE = (
    "ครัวเรือน ได้รับ อย่างน้อย ขึ้นไป ผู้สูงอายุ ผู้ป่วย ผู้ตอบ ความรุนแรง ความพร้อม ความมั่นคง "
    "ความปลอดภัย ความอบอุ่น แรกเกิด ตั้งครรภ์ ฝากครรภ์ อย่างเดียว ติดต่อกัน ต่อเนื่อง ออกกำลังกาย "
    "ที่อยู่อาศัย หลักประกัน คัดแยก ภาคบังคับ การศึกษา เรียนต่อ ฝึกอบรม ภาษาไทย คิดเลข เก็บออม "
    "ภาครัฐ ภาคเอกชน ช่องทาง ภัยธรรมชาติ ไม่น้อยกว่า ไม่ต่ำกว่า เจ็บป่วย ตรวจสุขภาพ ประจำปี "
    "ปีละ วันละ สัปดาห์ละ คนละ ต่อวัน ต่อปี ตลอดปี ทั้งปี ถูกวิธี ทางสังคม ทางศาสนา สมวัย วัยเรียน "
    "มีงานทำ แบบสอบถาม ตัวชี้วัด กลุ่มเป้าหมาย หัวหน้า สมาชิก พัฒนากร พัฒนาชุมชน ผ่านมา เดือนที่ "
    "ค่าตอบแทน ส่วนร่วม เข้าถึง ออมทรัพย์ ปีนั้น"
).split()


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _load_libthai():
    """libthai's dictionary word breaker (Debian: libthai0), or None when it is not installed."""
    if ctypes.sizeof(ctypes.c_wchar) != 4:
        return None
    try:
        lib = ctypes.CDLL("libthai.so.0")
        lib.th_brk_new.restype = ctypes.c_void_p
        lib.th_brk_new.argtypes = [ctypes.c_char_p]
        lib.th_brk_wc_find_breaks.restype = ctypes.c_int
        lib.th_brk_wc_find_breaks.argtypes = [
            ctypes.c_void_p,
            ctypes.c_wchar_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_size_t,
        ]
        brk = lib.th_brk_new(None)
    except (OSError, AttributeError):
        return None
    return (lib, brk) if brk else None


_LIBTHAI = _load_libthai()


def word_starts(s: str) -> set[int] | None:
    """Offsets where libthai sees a new word; None without libthai."""
    if _LIBTHAI is None:
        return None
    lib, brk = _LIBTHAI
    positions = (ctypes.c_int * (len(s) + 1))()
    count = lib.th_brk_wc_find_breaks(brk, s, positions, len(s) + 1)
    return set(positions[:count])


def break_units(s: str) -> tuple[list[str], list[int]]:
    """Split s into unbreakable units, with the priority of a line break before each unit.

    3 after a space; 2 at a word start (libthai, else a sure syllable start: before เ แ โ ใ ไ,
    after ะ ำ ๆ) or a Thai/Latin switch; 1 at another syllable start; 0 elsewhere, inside a
    KEEP_WHOLE word, or at a space that would part a number from its unit; -1 before a silent
    letter (์).
    """
    units: list[str] = []
    starts: list[int] = []
    for i, ch in enumerate(s):
        prev = s[i - 1] if i else " "
        if ch == " ":
            if units:
                units[-1] += ch  # a space stays at the end of its line
            continue
        attach = bool(units) and (
            ch in MARKS
            or ch in NO_START
            or prev in LEADING
            or prev in OPENERS
            or (prev != " " and not _is_thai(ch) and not _is_thai(prev))  # 2,500  15-59  ม.3
        )
        if attach:
            units[-1] += ch
        else:
            units.append(ch)
            starts.append(i)
    words = word_starts(s)
    inside = {
        i for w in KEEP_WHOLE for m in re.finditer(w, s) for i in range(m.start() + 1, m.end())
    }
    prios = [-1]
    for before, unit, start in zip(units, units[1:], starts[1:], strict=False):
        core = before.rstrip()
        syllable = unit[0] in LEADING or core[-1] in SYLLABLE_END
        if before.endswith(" "):
            said = s[:start].rstrip()
            glued = (
                said.endswith("จปฐ.")
                or (said.endswith("ปี") and unit[0].isdigit())  # ปี 2566
                or (said[-1].isdigit() and s.startswith(UNITS, start))  # 15-59 ปี, 2,500 กรัม
            )
            prio = 0 if glued else 3
        elif start in inside:
            prio = 0
        elif "\u0e4c" in unit:
            prio = -1
        elif _is_thai(unit[0]) != _is_thai(core[-1]):
            prio = 2
        elif (start in words) if words is not None else syllable:
            prio = 2
        elif syllable or (
            len(unit) > 1
            and unit[1] in ON_INITIAL
            # not between the two consonants of กร คล ... or after a silent ห อ (หนู อยู่)
            and not (len(core) == 1 and (unit[0] in "รลว" or core in "หอ"))
        ):
            prio = 1
        else:
            prio = 0
        prios.append(prio)
    return units, prios


def measure(s: str, f: ImageFont.FreeTypeFont) -> float:
    return f.getlength(s, language="th")


def wrap(s: str, f: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of s no wider than width; a lone short last line is evened out when possible."""
    lines = _wrap(s, f, width)
    for narrower in (0.92, 0.84, 0.76):
        if len(lines) < 2 or measure(lines[-1], f) >= 0.3 * width:
            break
        retry = _wrap(s, f, int(width * narrower))
        if len(retry) == len(lines):
            lines = retry
    return lines


def _wrap(s: str, f: ImageFont.FreeTypeFont, width: int) -> list[str]:
    units, prios = break_units(s.strip())

    def width_of(start: int, end: int) -> float:
        return measure("".join(units[start:end]).rstrip(), f)

    lines: list[str] = []
    start = 0
    while start < len(units):
        if width_of(start, len(units)) <= width:
            lines.append("".join(units[start:]).rstrip())
            break
        lo, hi = start + 1, len(units) - 1  # the most units that fit (at least one)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if width_of(start, mid) <= width else (lo, mid - 1)
        # Never before ์ if avoidable; a better break beats a fuller line that is 40% full.
        end = max(
            range(start + 1, lo + 1),
            key=lambda c: (
                prios[c] >= 0,
                width_of(start, c) >= 0.4 * width,
                prios[c] + 2 * width_of(start, c) / width,
                c,
            ),
        )
        lines.append("".join(units[start:end]).rstrip())
        start = end
    return lines


# --- Fonts and text blocks ----------------------------------------------------------------------

_fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
_has_glyph: dict[str, bool] = {}


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    key = (FONT_BOLD if bold else FONT_REGULAR, size)
    if key not in _fonts:
        path = FONT_DIR / key[0]
        if not path.exists():
            sys.exit(f"build_media: {path} not found (apt install fonts-thai-tlwg)")
        _fonts[key] = ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
    return _fonts[key]


def line_height(f: ImageFont.FreeTypeFont) -> int:
    ascent, descent = f.getmetrics()  # Loma's metrics leave room for stacked vowels and tones
    return ascent + descent


@functools.cache
def _ink(ch: str) -> bytes:
    img = Image.new("L", (64, 64))
    ImageDraw.Draw(img).text((8, 8), ch, font=font(24), fill=255)
    return img.tobytes()


def renderable(s: str) -> str:
    """s without the characters the font has no glyph for (emoji...), so no box (tofu) shows."""
    for ch in sorted(set(s) - _has_glyph.keys()):
        # U+E000 is private use: it draws the font's "missing glyph" box
        _has_glyph[ch] = ch.isspace() or _ink(ch) != _ink("\ue000")
        if not _has_glyph[ch]:
            print(f"build_media: dropped U+{ord(ch):04X}, not in the font", file=sys.stderr)
    return re.sub(r"\s+", " ", "".join(ch for ch in s if _has_glyph[ch])).strip()


@dataclass
class Block:
    """A paragraph: an optional small label above body text, wrapped by fit_blocks."""

    body: str
    label: str = ""
    lines: list[str] = field(default_factory=list)
    size: int = 0

    def __post_init__(self) -> None:
        self.body = renderable(self.body)


def label_font(block: Block) -> ImageFont.FreeTypeFont:
    return font(max(18, block.size * 3 // 4), True)


def stack_height(blocks: list[Block]) -> int:
    """Height of the blocks drawn one under the other, half a line apart."""
    total = sum(
        (line_height(label_font(b)) if b.label else 0) + len(b.lines) * line_height(font(b.size))
        for b in blocks
    )
    return total + sum(b.size // 2 for b in blocks[:-1])


def fit_blocks(blocks: list[Block], width: int, height: int, sizes: range, bold=False) -> None:
    """Wrap the blocks at the largest size that fits the box; at the smallest, cut with …."""
    for size in sizes:
        for block in blocks:
            block.size = size
            block.lines = wrap(block.body, font(size, bold), width)
        if stack_height(blocks) <= height:
            return
    while stack_height(blocks) > height and len(blocks) > 1 and len(blocks[-1].lines) <= 1:
        blocks.pop()
    cut = blocks[-1]
    while stack_height(blocks) > height and len(cut.lines) > 1:
        cut.lines.pop()
    units, prios = break_units(cut.lines[-1])
    fitting = [
        c
        for c in range(1, len(units) + 1)
        if measure("".join(units[:c]).rstrip() + "…", font(cut.size, bold)) <= width
    ] or [1]
    words = [c for c in fitting if c == len(units) or prios[c] >= 2]  # end on a whole word
    cut.lines[-1] = "".join(units[: max(words or fitting)]).rstrip()
    # The captions say what the slide shows: the body up to the cut.
    end = 0
    for line in cut.lines:
        end = cut.body.index(line, end) + len(line)
    cut.body = cut.body[:end] + "…"
    cut.lines[-1] += "…"


def put(draw: ImageDraw.ImageDraw, xy: tuple[int, int], s: str, f, fill: str, anchor="ls"):
    draw.text(xy, s, font=f, fill=fill, anchor=anchor, language="th")


def draw_blocks(draw, blocks: list[Block], x: int, y: int, color: str, bold=False) -> int:
    """Draw blocks from top y (labels in color; text in INK, or color when bold); return bottom."""
    for n, block in enumerate(blocks):
        if n:
            y += blocks[n - 1].size // 2
        if block.label:
            lf = label_font(block)
            put(draw, (x, y + lf.getmetrics()[0]), block.label, lf, color)
            y += line_height(lf)
        f = font(block.size, bold)
        for line in block.lines:
            put(draw, (x, y + f.getmetrics()[0]), line, f, color if bold else INK)
            y += line_height(f)
    return y


# --- Pictograms ---------------------------------------------------------------------------------
# Icons: Noto Color Emoji (Debian package fonts-noto-color-emoji; emoji images Apache-2.0, font
# OFL-1.1; licence text in LICENSES/noto-color-emoji.txt), drawn with Pillow.

EMOJI_FONT = Path(
    os.environ.get("BMN_EMOJI_FONT", "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
)
EMOJI_SIZE = 109  # the only size of Noto's colour bitmaps; scaled after drawing

# The target group's pictogram, chosen from its wording: first match wins.
TARGET_ICONS = (
    ("ตั้งครรภ์", "🤰", "หญิงตั้งครรภ์", "a pregnant woman"),
    ("เกิด", "👶", "ทารก", "a baby"),
    ("เดือน", "👶", "ทารก", "a baby"),
    ("0-5", "👶", "เด็กเล็ก", "a baby"),
    ("3-5", "🧒", "เด็กเล็ก", "a young child"),
    ("6-14", "🧒", "เด็กวัยเรียน", "a school child"),
    ("ม.3", "🧑‍🎓", "นักเรียน", "a student"),
    ("จบการศึกษา", "🧑‍🎓", "คนจบการศึกษา", "a school leaver"),
    ("60 ปี", "🧓", "ผู้สูงอายุ", "an older person"),
    ("พิการ", "♿", "คนพิการ", "a wheelchair symbol"),
    ("ผู้ป่วย", "🛌", "ผู้ป่วย", "a person resting in bed"),
    ("ทุกคน", "🧓🧑🧒", "ทุกคนในบ้าน", "an older person, an adult and a child"),
    ("ปี", "🧑", "คนตามช่วงอายุ", "an adult"),
    ("", "🏠", "ครัวเรือน", "a house"),
)


def target_icon(target_th: str) -> tuple[str, str, str]:
    """(emoji, Thai name, English description) of the pictogram for a target group."""
    for key, emoji, name_th, name_en in TARGET_ICONS:
        if key in target_th:
            return emoji, name_th, name_en
    raise AssertionError("TARGET_ICONS ends with a catch-all")


@functools.cache
def emoji_image(emoji: str, size: int) -> Image.Image:
    """The emoji as an RGBA image, its longer side size px."""
    if not EMOJI_FONT.exists():
        sys.exit(f"build_media: {EMOJI_FONT} not found (apt install fonts-noto-color-emoji)")
    f = ImageFont.truetype(str(EMOJI_FONT), EMOJI_SIZE, layout_engine=ImageFont.Layout.RAQM)
    img = Image.new("RGBA", (EMOJI_SIZE * 3, EMOJI_SIZE * 2), (0, 0, 0, 0))
    ImageDraw.Draw(img).text((8, 8), emoji, font=f, embedded_color=True)
    img = img.crop(img.getbbox())
    scale = size / max(img.size)
    return img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)


def paste_emoji(img: Image.Image, emoji: str, box: tuple[int, int, int, int]) -> None:
    """Draw the emoji centred in box (x0, y0, x1, y1); several emoji share it, overlapping."""
    if len(emoji) == 3 and all(ord(ch) > 0x1F000 for ch in emoji):
        w, h = box[2] - box[0], box[3] - box[1]
        for n, ch in enumerate(emoji):
            x = box[0] + n * w * 28 // 100
            top = box[1] + (h * 8 // 100 if n == 1 else h * 40 // 100)
            paste_emoji(img, ch, (x, top, x + w * 44 // 100, top + w * 44 // 100))
        return
    icon = emoji_image(emoji, min(box[2] - box[0], box[3] - box[1]))
    x = box[0] + (box[2] - box[0] - icon.width) // 2
    y = box[1] + (box[3] - box[1] - icon.height) // 2
    img.paste(icon, (x, y), icon)


# --- The recording form (recording.yaml) --------------------------------------------------------

MAX_FORM_ITEMS, MAX_ANSWERS = 12, 6
RESULT = re.compile(r"(?:ผลคือ|ผลยังเป็น|ผลเป็น|จึง)\s*(ไม่ผ่าน|ผ่าน|ไม่ประเมิน)")
EXAMPLE = re.compile(r"\*\*ตัวอย่าง(?: \d+)?\*\*")
TICK = re.compile(
    r"(?:ข้อ(?:ย่อย)?\s*(\d+(?:\.\d+)*(?:\s*\(\d\)|\))?(?:-\d+\))?)\s*)?(?:เลือก|ตอบ|เขียน)\s*"
    r"((?:“[^”]+”(?:\s*(?:และ\s*)?(?=“))?)+)"
)


def ticked(step: str) -> list[tuple[str, str]]:
    """(item label or "", answer) for every answer a worked step ticks or writes."""
    return [
        (m.group(1) or "", choice)
        for m in TICK.finditer(step)
        for choice in re.findall(r"“([^”]+)”", m.group(2))
    ]


EQUATION = re.compile(
    r"[\d,]+(?:\s*[ก-๙]+)?\s*[×÷]\s*[\d,]+(?:\s*[ก-๙]+)?\s*=\s*[\d,.]+(?:\s*(?:ลิตรต่อวัน|บาท|ลิตร|คน))?"
)
PASS_COLOR, FAIL_COLOR, NA_COLOR = "#0b6e55", "#b42318", "#5a5a66"


@dataclass
class FormItem:
    label: str  # as the form prints it: "2.4", "22.1 1)", "31.2 (1)"
    question: str  # without its leading number
    answers: list[str]  # as tick-box texts, blanks as ___


@dataclass
class Example:
    scenario: str
    steps: list[str]  # plain text, one per bullet
    result: str  # ผ่าน, ไม่ผ่าน, ไม่ประเมิน or ""


def form_answer(answer: str) -> str:
    """An answer as printed, blanks shown as ___: '... คน', '$count คน' (from the roster)."""
    answer = re.sub(r"^home\.\w+\(\).*?\"\s*(\S+)\"$", r"___ \1", answer)  # the app's own count
    answer = re.sub(r"\$\w+", "___", answer)
    return re.sub(r"\s+", " ", answer.replace("...", "___")).strip()


def item_question(question: str) -> str:
    """The question without the number the pill already shows ('2.4 ', '9. ', '1) ', '(2) ')."""
    return re.sub(r"^\s*(?:\d+\)|\(\d+\)|\d+(?:\.\d+)*\.?|-)\s*", "", question).strip()


def markdown_bullets(markdown: str) -> list[str]:
    return [
        re.sub(r"^\s*[-*]\s+", "", line)
        for line in markdown.splitlines()
        if re.match(r"^\s*[-*]\s", line)
    ]


@dataclass
class Recording:
    """What an infographic and a clip take from recording.yaml."""

    number_2560: int
    items: list[FormItem]
    omitted: list[str]  # item groups not drawn ("22.2", "22.3")
    example: Example | None
    not_assessed: str  # first paragraph, plain; "" when always assessed
    deciding: str  # "ข้อ 2.4" when the pass rule names one item, else ""
    deciding_labels: set[str]  # the items the result is read from, when the pass rule lists them
    passes: str  # the pass rule's "ผ่าน เมื่อ ..." line, plain; "" when it has none

    @classmethod
    def parse(cls, doc: dict) -> Recording:
        raw = doc["items"]
        number = int(doc["number_2560"])
        items = [
            FormItem(
                str(it.get("item") or number),
                renderable(item_question(str(it["question_th"]))),
                [renderable(form_answer(str(a))) for a in it.get("answers_th") or []],
            )
            for it in raw
        ]
        groups: dict[str, list[FormItem]] = {}
        for item in items:
            groups.setdefault(item.label.split()[0], []).append(item)
        drawn: list[FormItem] = []
        omitted: list[str] = []
        for key, members in groups.items():
            if not drawn:
                drawn = members[:MAX_FORM_ITEMS]
                if len(members) > MAX_FORM_ITEMS:
                    omitted.append(members[MAX_FORM_ITEMS].label.split()[0] + "…")
            elif not omitted and len(drawn) + len(members) <= MAX_FORM_ITEMS:
                drawn += members
            elif ".".join(key.split(".")[:2]) not in omitted:
                omitted.append(key)
        rule = str(doc.get("pass_rule_th") or "")
        example = None
        found = EXAMPLE.search(rule)
        if found:
            tail = EXAMPLE.split(rule[found.end() :])[0]
            paragraphs = tail.strip().split("\n\n")
            scenario = plain_paragraphs(paragraphs[0])[0] if paragraphs[0].strip() else ""
            bullets = markdown_bullets("\n\n".join(paragraphs[1:3]))
            steps = [renderable(plain_paragraphs(b)[0]) for b in bullets if plain_paragraphs(b)]
            last = max((i for i, s in enumerate(steps) if RESULT.search(s)), default=None)
            steps = steps[: last + 1] if last is not None else steps[:5]
            results = [m.group(1) for s in steps for m in [RESULT.search(s)] if m]
            example = Example(renderable(scenario), steps, results[0] if results else "")
        deciding = re.match(r"\s*ตัดสินจาก \*\*ข้อ ([\d.]+)\*\*", rule)
        listed = re.search(r"ข้อที่ใช้ตัดสินมี \d+ ข้อ คือ ([\d., ]+\d)", rule)
        deciding_labels = set(re.split(r",\s*", listed.group(1))) if listed else set()
        if deciding:
            deciding_labels = {deciding.group(1)}
        not_assessed = plain_paragraphs(str(doc.get("not_assessed_th") or ""))
        return cls(
            number,
            drawn,
            omitted,
            example,
            renderable(not_assessed[0]) if not_assessed else "",
            f"ข้อ {deciding.group(1)}" if deciding else "",
            deciding_labels,
            next((p for p in plain_paragraphs(EXAMPLE.split(rule)[0]) if p.startswith("ผ่าน ")), ""),
        )


# --- Infographic --------------------------------------------------------------------------------

TINT = {"1": "#e6f2ee", "2": "#e8eef7", "3": "#efe9f5", "4": "#f6ede4", "5": "#f6e8ed"}
BODY, SMALL, HEAD = 28, 26, 32  # px at 720 wide: 14, 13 and 16 CSS px on a 360-px phone


@dataclass
class Layout:
    """What an infographic drew: tests compare it with recording.yaml."""

    icon: str = ""
    items: list[str] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)
    ticks: list[str] = field(default_factory=list)
    result: str = ""
    equation: str = ""


class Canvas:
    """A tall white page drawn top to bottom; cropped to what was drawn."""

    def __init__(self, width: int, color: str, tint: str):
        self.img = Image.new("RGB", (width, 6000), PAPER)
        self.draw = ImageDraw.Draw(self.img)
        self.width, self.color, self.tint = width, color, tint
        self.y = 0
        self.drawn: list[str] = []  # every text drawn, as a whole; answer boxes as "☐ answer"

    def text(self, x: int, s: str, size: int, width: int, fill=INK, bold=False, y=None) -> int:
        """Wrapped text from top y (default self.y); returns the bottom."""
        f = font(size, bold)
        y = self.y if y is None else y
        self.drawn.append(s)
        for line in wrap(s, f, width):
            put(self.draw, (x, y + f.getmetrics()[0]), line, f, fill)
            y += line_height(f)
        return y

    def heading(self, s: str, emoji: str = "") -> None:
        x = 40
        if emoji:
            paste_emoji(self.img, emoji, (40, self.y + 2, 80, self.y + 42))
            x = 92
        self.y = self.text(x, s, HEAD, self.width - x - 40, self.color, True) + 10

    def box(self, x: int, y: int, size: int = 28, ticked: bool = False, color: str = INK) -> None:
        self.draw.rectangle((x, y, x + size, y + size), outline=color, width=3, fill=PAPER)
        if ticked:
            pts = [(x + 5, y + size // 2), (x + size * 2 // 5, y + size - 6), (x + size - 4, y + 4)]
            self.draw.line(pts, fill=color, width=5, joint="curve")

    def pill(self, x: int, y: int, s: str, fill: str, size: int = 24) -> int:
        """A rounded label; returns its right edge."""
        f = font(size, True)
        self.drawn.append(s)
        w = int(measure(s, f)) + 24
        self.draw.rounded_rectangle((x, y, x + w, y + line_height(f) + 4), 10, fill=fill)
        put(self.draw, (x + 12, y + 2 + f.getmetrics()[0]), s, f, PAPER)
        return x + w

    def chips(self, x0: int, answers: list[str], size: int = SMALL) -> None:
        """Answer options as tick boxes, flowing left to right, wrapping under each other."""
        f = font(size)
        lh = line_height(f)
        x, right = x0, self.width - 40
        for answer in answers:
            self.drawn.append(f"☐ {answer}")  # an answer box, not a sentence
            lines = wrap(answer, f, right - x0 - size - 12)
            w = size + 12 + (max(measure(line, f) for line in lines) if lines else 0) + 28
            if x > x0 and x + w > right:
                x, self.y = x0, self.y + lh + 8
            self.box(x, self.y + (lh - size) // 2, size)
            for n, line in enumerate(lines):
                put(self.draw, (x + size + 12, self.y + n * lh + f.getmetrics()[0]), line, f, INK)
            if len(lines) > 1:
                x, self.y = x0, self.y + len(lines) * lh + 8
            else:
                x += int(w)
        self.y += (lh + 8) if x > x0 else 0

    def rule(self) -> None:
        self.y += 14
        self.draw.line((40, self.y, self.width - 40, self.y), fill=RULE, width=2)
        self.y += 24

    def badge(self, x: int, result: str) -> int:
        color = {"ผ่าน": PASS_COLOR, "ไม่ผ่าน": FAIL_COLOR}.get(result, NA_COLOR)
        return self.pill(x, self.y, result, color, 28)


def draw_header(c: Canvas, ind: Indicator) -> None:
    r, pad = ind.row, 40
    title = [Block(r["title_th"])]
    fit_blocks(title, c.width - 2 * pad, 400, range(38, 29, -2), bold=True)
    h = 118 + stack_height(title) + 30
    c.draw.rectangle((0, 0, c.width, h), fill=ind.color)
    put(c.draw, (pad, 52), f"ตัวชี้วัด จปฐ. ที่ {ind.number}", font(34, True), PAPER)
    put(c.draw, (pad, 94), f"หมวดที่ {r['category']} {r['category_th']}", font(SMALL), PAPER)
    if ind.provisional:
        put(c.draw, (c.width - pad, 52), "ถ้อยคำชั่วคราว", font(SMALL, True), PAPER, anchor="rs")
    draw_blocks(c.draw, title, pad, 118, PAPER, bold=True)
    c.y = h + 28


def draw_target(c: Canvas, ind: Indicator, layout: Layout) -> None:
    emoji, name_th, _ = target_icon(ind.row["target_group_th"])
    layout.icon = emoji
    c.heading("ถามถึงใคร")
    top = c.y
    c.draw.rounded_rectangle((40, top, 160, top + 120), 18, fill=c.tint)
    paste_emoji(c.img, emoji, (50, top + 10, 150, top + 110))
    y = c.text(184, ind.row["target_group_th"], 30, c.width - 224, INK, True, y=top + 8)
    c.y = max(top + 120, y)
    c.rule()


def draw_form(c: Canvas, rec: Recording, layout: Layout) -> None:
    c.heading(f"ช่องในแบบสอบถาม ข้อ {rec.number_2560}", "📋")
    c.y = c.text(92, "แบบสอบถาม จปฐ. ฉบับ 2560-2564", SMALL, c.width - 132, MUTED, y=c.y - 8) + 12
    for item in rec.items:
        layout.items.append(item.label)
        parent, _, part = item.label.partition(" ")
        if part and parent in {i.label for i in rec.items}:  # "22.1 1)" under 22.1: "1)"
            right = 64 if part.startswith("[") else c.pill(64, c.y, part, c.color)
        else:
            right = c.pill(40, c.y, item.label, c.color)
        question = shorten(item.question, 120)
        top = c.y
        f = font(SMALL, not item.answers)
        lines = wrap(question, f, c.width - 40 - right - 14)
        if len(lines) > 2:  # a long question goes under its number, full width
            c.y += line_height(font(24, True)) + 10
            c.y = c.text(56, question, SMALL, c.width - 96, INK, not item.answers) + 6
        else:
            c.y = c.text(right + 14, question, SMALL, c.width - right - 54, INK, not item.answers)
            c.y += 6
        answers = item.answers
        if len(answers) > MAX_ANSWERS:  # keep the first ones and the last (often "none")
            answers = answers[: MAX_ANSWERS - 2] + [f"… อีก {len(answers) - MAX_ANSWERS + 1} แบบ"]
            answers.append(item.answers[-1])
        if answers:
            c.chips(56, answers)
        if item.label in rec.deciding_labels:  # an item the result is read from
            c.draw.rounded_rectangle(
                (30, top - 8, c.width - 30, c.y + 2), 12, outline=c.color, width=3
            )
            c.y += 8
        c.y += 12
    if rec.omitted:
        layout.omitted = rec.omitted
        note = f"ข้อ {', '.join(rec.omitted)} ไม่ได้แสดงในภาพนี้ ดูในบทเรียน"
        c.y = c.text(40, note, SMALL, c.width - 80, MUTED)
    c.rule()


def draw_example(c: Canvas, rec: Recording, layout: Layout) -> None:
    ex = rec.example
    title = "ตัดสินอย่างไร: ตัวอย่าง"
    if rec.deciding:
        title = f"ตัดสินจาก{rec.deciding}: ตัวอย่าง"
    c.heading(title, "✅")
    top = c.y
    c.y = c.text(64, ex.scenario, BODY, c.width - 128, INK, y=top + 16) + 14
    c.draw.rounded_rectangle((40, top, c.width - 40, c.y), 16, outline=c.color, width=3)
    c.draw.rectangle((40, top + 16, 46, c.y - 16), fill=c.color)
    c.y += 18
    equation_drawn = False
    for step in ex.steps:
        ticks = ticked(step)
        result = RESULT.search(step)
        equation = EQUATION.search(step)
        if equation and not equation_drawn:  # the worked sum, large
            equation_drawn = True
            layout.equation = equation.group(0)
            before = RESULT.sub("", step[: equation.start()]).strip()
            after = RESULT.sub("", step[equation.end() :]).strip()
            if before:
                c.y = c.text(64, before, BODY, c.width - 128) + 2
            size = next(
                (
                    n
                    for n in (44, 40, 36, 32)
                    if measure(equation.group(0), font(n, True)) < c.width - 128
                ),
                32,
            )
            c.y = c.text(64, equation.group(0), size, c.width - 128, c.color, True) + 2
            if after:
                c.y = c.text(64, after, BODY, c.width - 128) + 6
        elif ticks:
            rest = TICK.sub("", RESULT.sub("", step)).strip(" ,")
            rest = "" if len(rest) <= 8 else rest  # a leftover "และใน" says nothing
            if rest:
                c.draw.ellipse((66, c.y + 16, 76, c.y + 26), fill=c.color)
                c.y = c.text(92, rest, BODY, c.width - 132) + 4
            for label, choice in ticks:
                x = 92 if rest else 64
                layout.ticks.append(choice)
                if label:
                    x = c.pill(x, c.y + 2, f"ข้อ {label}", c.color) + 12
                f = font(BODY, True)
                for line in wrap(choice, f, c.width - 140):
                    if x + 40 + measure(line, f) > c.width - 40:
                        x, c.y = 92, c.y + line_height(f) + 6
                    c.box(x, c.y + 6, ticked=True, color=c.color)
                    put(c.draw, (x + 40, c.y + f.getmetrics()[0]), line, f, INK)
                    x += 40 + int(measure(line, f)) + 20
                c.y += line_height(f) + 6
        else:
            text = RESULT.sub("", step).strip()
            if text:
                c.draw.ellipse((66, c.y + 16, 76, c.y + 26), fill=c.color)
                c.y = c.text(92, text, BODY, c.width - 132) + 4
        if result:
            layout.result = result.group(1)
            f = font(BODY, True)
            put(c.draw, (64, c.y + 6 + f.getmetrics()[0]), "ผลคือ", f, INK)
            c.badge(64 + int(measure("ผลคือ", f)) + 16, result.group(1))
            c.y += line_height(font(28, True)) + 16
        c.y += 8
    c.rule()


def draw_not_assessed(c: Canvas, rec: Recording) -> None:
    c.heading("ไม่ประเมิน (-) ไม่ใช่ ไม่ผ่าน", "➖")
    c.y = c.text(40, rec.not_assessed, BODY, c.width - 80) + 4
    c.rule()


def draw_provisional(c: Canvas, ind: Indicator) -> None:
    c.heading("ถามอย่างไร", "💬")
    question = ind.question()
    top = c.y
    c.y = c.text(64, question, BODY, c.width - 128, INK, y=top + 16) + 18
    c.draw.rounded_rectangle((40, top, c.width - 40, c.y), 22, outline=c.color, width=3)
    c.draw.polygon([(90, c.y - 2), (130, c.y - 2), (96, c.y + 26)], fill=c.color)
    c.y += 40
    c.rule()
    c.heading("บันทึกอย่างไร", "✏️")
    for line in (ind.lesson_section("how_to_record") or [FALLBACK_RECORD])[:2]:
        c.draw.ellipse((46, c.y + 16, 56, c.y + 26), fill=c.color)
        c.y = c.text(72, shorten(line, 150), BODY, c.width - 112) + 8
    c.rule()
    top = c.y
    c.y = c.text(64, PROVISIONAL_NOTE, SMALL, c.width - 128, INK, y=top + 14) + 14
    c.draw.rounded_rectangle((40, top, c.width - 40, c.y), 14, outline=MUTED, width=2)
    c.y += 16


def render_infographic(ind: Indicator) -> tuple[Image.Image, Layout]:
    """Who is asked (a pictogram), the form's items as tick boxes, the pass rule worked out."""
    c = Canvas(INFO_W, ind.color, TINT.get(ind.row["category"], "#eeeeee"))
    layout = Layout()
    draw_header(c, ind)
    draw_target(c, ind, layout)
    rec = ind.recording
    if rec is None:
        draw_provisional(c, ind)
    else:
        draw_form(c, rec, layout)
        if rec.example:
            draw_example(c, rec, layout)
        if rec.not_assessed:
            draw_not_assessed(c, rec)
    # No claim of conformity: the content was not checked against the 2566-2570 manual.
    footer = "ข้อคำถามตามแบบสอบถาม จปฐ. ฉบับ 2560-2564" if rec else f"สื่ออบรมอาสาสมัคร {EDITION}"
    c.y += 10
    put(c.draw, (40, c.y + 20), f"BMN Learn | {footer}", font(22), MUTED)
    return c.img.crop((0, 0, INFO_W, c.y + 44)), layout


# --- What an indicator says ---------------------------------------------------------------------


@dataclass
class Indicator:
    number: int
    row: dict[str, str]
    lesson: dict | None
    lesson_text: str | None = None
    recording_text: str | None = None  # recording.yaml, carried-over indicators only

    @property
    def text_hash(self) -> str:
        """The hash of the raw text (list row + lesson file) that `flask content check` compares."""
        return text_hash(self.row, self.lesson_text)

    @functools.cached_property
    def recording(self) -> Recording | None:
        if not self.recording_text:
            return None
        return Recording.parse(yaml.safe_load(self.recording_text))

    def question(self) -> str:
        """What the volunteer says: the first quoted words that are a question or a request.

        A lesson also quotes terms (“ช่องทางดิจิทัล”): those are not what is said.
        """
        paragraphs = self.lesson_section("how_to_ask")
        quotes = [
            (m.group(1) or m.group(2)).strip()
            for p in paragraphs
            for m in re.finditer(r"“([^”]+)”|\"([^\"]+)\"", p)
        ]
        said = [q for q in quotes if re.search(r"(ครับ|ค่ะ|คะ|ไหม|หรือไม่|ไหน|อะไร|กี่)\W*$", q)]
        if said:
            return renderable(said[0])
        question = quoted_question(paragraphs)
        if question and len(question) > 25:
            return renderable(question)
        return renderable(paragraphs[0]) if paragraphs else FALLBACK_ASK

    @property
    def color(self) -> str:
        return CATEGORY_COLORS.get(self.row["category"], "#33415c")

    @property
    def provisional(self) -> bool:
        return self.row["status"] == "provisional"

    def lesson_section(self, key: str) -> list[str]:
        value = (self.lesson or {}).get(key)
        return plain_paragraphs(value) if isinstance(value, str) else []

    def slides(self) -> list[Slide]:
        slides = script(self)
        for slide in slides:
            slide.cues = timed(slide.sentences)
        return slides

    def alt(self) -> tuple[str, str]:
        """What the infographic shows, in words (the page's alt text)."""
        r, rec = self.row, self.recording
        _, icon_th, icon_en = target_icon(r["target_group_th"])
        th = [
            f"อินโฟกราฟิกตัวชี้วัด จปฐ. ที่ {self.number} “{r['title_th']}”",
            f"ภาพ{icon_th}แทนกลุ่มที่ถามถึง: {r['target_group_th']}",
        ]
        en = [
            f"Infographic for BMN indicator {self.number}: {r['title_en']}",
            f"a pictogram of {icon_en} for the group asked about",
        ]
        if rec is None:
            th += [
                f"คำถามที่ใช้ถาม “{shorten(self.question(), 120)}”",
                "วิธีบันทึก และหมายเหตุว่าถ้อยคำนี้ยังเป็นฉบับชั่วคราว",
            ]
            en += [
                "the exact question to ask, in Thai",
                "how to record the answer, and a note that the wording is provisional",
            ]
        else:
            labels = ", ".join(i.label for i in rec.items)
            th.append(f"ช่องในแบบสอบถาม จปฐ. ฉบับ 2560-2564 ข้อ {labels} พร้อมช่องคำตอบให้ติ๊ก")
            en.append(
                f"the 2560-2564 questionnaire's items {labels}"
                " with their answers as empty tick boxes"
            )
            if rec.example:
                result = f" ผลคือ{rec.example.result}" if rec.example.result else ""
                th.append(f"ตัวอย่างการบันทึก: {shorten(rec.example.scenario, 120)}{result}")
                result_en = {"ผ่าน": "pass", "ไม่ผ่าน": "fail", "ไม่ประเมิน": "not assessed"}
                en.append(
                    "a worked example of one household, ticked, ending in the result "
                    + result_en.get(rec.example.result, "")
                )
            if rec.not_assessed:
                th.append("และเมื่อใดไม่ประเมิน")
                en.append("and when the indicator is not assessed")
        return "; ".join(th).strip(), ("; ".join(en).strip() + ".").replace(" .", ".")

    def source_text(self) -> str:
        """Everything the media are rendered from, canonically: source_hash is its sha256."""
        return json.dumps(
            {
                "render": [
                    RENDER_VERSION,
                    W,
                    H,
                    FPS,
                    CRF,
                    INFO_W,
                    FONT_REGULAR,
                    FONT_BOLD,
                    EMOJI_FONT.name,
                ],
                "row": self.row,
                "slides": [[s.kind, s.cues] for s in self.slides()],
                "infographic": [self.recording_text, self.question(), self.lesson_text],
                "alt": self.alt(),
            },
            ensure_ascii=False,
            sort_keys=True,
            indent=1,
        )


# --- The clip: picture slides above a caption band, a spoken script in the captions ------------
# The slides show (pictogram, the question, the form's boxes, the worked example); the captions
# are what a kind narrator would say to the volunteer about them, never the slide's own text.
# The bottom BAND px of every slide stay plain background: the player draws captions there.

BAND = 110  # about 23% of H
BAND_TOP = H - BAND
CUE_CHARS = 72  # at most about two short caption lines on a phone
CONNECTIVES = (
    "และ หรือ แต่ ว่า ที่ ซึ่ง เพราะ เมื่อ ถ้า แล้ว คือ ให้ ของ ใน กับ จึง ก็ เช่น โดย จาก ต่อ หาก เพื่อ ตาม ไป ถึง"
).split()
AWAITING = "ถ้อยคำและเกณฑ์ของข้อนี้ยังรอคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570 ครับ"
READ_CHARS_PER_S = 12  # a slow reader of Thai captions


@dataclass
class Slide:
    kind: str  # title, target, ask, form, example, record, note
    sentences: list[str]  # what the narrator says, one sentence or phrase each
    cues: list[tuple[str, float]] = field(default_factory=list)  # (text, seconds)

    @property
    def seconds(self) -> float:
        return sum(s for _, s in self.cues)


def spoken(s: str) -> str:
    """A written line as said to a volunteer: plain, one line, ending politely."""
    s = re.sub(r"\s+", " ", s).strip().rstrip(".")
    if not re.search(r"(ครับ|คะ|ค่ะ|นะ)$", s):
        s += " ครับ" if re.search(r"[\d”)]$", s) else "ครับ"
    return s


def split_long(token: str, limit: int) -> list[str]:
    """A run of Thai longer than limit, split before a connective word near its middle (Thai
    writes no space there, but a reader pauses): ...ตามช่วงอายุ -> ... | ตามช่วงอายุ."""
    if len(token) <= limit or "“" in token or "(" in token:
        return [token]
    starts = word_starts(token) or set()
    cuts = [
        p
        for p in starts
        if 15 < p < len(token) - 15
        and any(token.startswith(w, p) and p + len(w) in starts for w in CONNECTIVES)
    ]
    if not cuts:
        return [token]
    cut = min(cuts, key=lambda p: abs(p - len(token) / 2))
    return split_long(token[:cut], limit) + split_long(token[cut:], limit)


def cue_chunks(sentence: str, limit: int = CUE_CHARS) -> list[str]:
    """The sentence in as few cues of at most about limit characters as it needs, evenly long,
    cut only between phrases (at a space): never inside quotes or brackets, never next to a
    number, never after a connective (และ, หรือ, ที่ ...)."""
    tokens: list[str] = []
    for token in sentence.split(" "):
        prev = tokens[-1] if tokens else ""
        glue = prev and (
            prev.count("“") > prev.count("”")
            or prev.count("(") > prev.count(")")
            or prev[-1].isdigit()
            or token[:1].isdigit()  # a number stays with what it counts or names
        )
        if glue:
            tokens[-1] += " " + token
        else:
            tokens.append(token)
    if len(sentence) <= limit:
        return [sentence]
    tokens = [part for token in tokens for part in split_long(token, limit)]
    ideal = len(sentence) / -(-len(sentence) // limit)

    def cost(i: int, j: int) -> float:
        chunk = " ".join(tokens[i:j])
        if len(chunk) > limit + 12 and j - i > 1:
            return float("inf")
        penalty = 5000 if j < len(tokens) and tokens[j - 1] in CONNECTIVES else 0
        penalty += 500 * max(0, len(chunk) - limit)
        return 10000 + (len(chunk) - ideal) ** 2 + penalty + (3000 if len(chunk) < 16 else 0)

    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * len(tokens)
    for j in range(1, len(tokens) + 1):
        best[j] = min((best[i][0] + cost(i, j), i) for i in range(j))
    cuts, j = [], len(tokens)
    while j:
        cuts.append(j)
        j = best[j][1]
    bounds = [0] + cuts[::-1]
    return [" ".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def timed(sentences: list[str]) -> list[tuple[str, float]]:
    cues = [chunk for s in sentences for chunk in cue_chunks(s)]
    return [
        (c, min(7.0, max(2.5, round((1 + len(c) / READ_CHARS_PER_S) * FPS) / FPS))) for c in cues
    ]


def script(ind: Indicator) -> list[Slide]:
    """What each slide shows, and what the narrator says over it."""
    r, rec = ind.row, ind.recording
    target = r["target_group_th"].strip()
    slides = [
        Slide(
            "title",
            [
                f"มาดูตัวชี้วัดที่ {ind.number} กันนะครับ",
                "ดูว่าถามถึงใคร ถามอย่างไร และบันทึกอย่างไรครับ",
            ],
        )
    ]
    if target == "ครัวเรือน" or "ทุกคน" in target:
        said = "ข้อนี้ถามเรื่องของทั้งครัวเรือนครับ"
        if "ทุกคน" in target:
            said = "ข้อนี้ถามถึงทุกคนที่อาศัยอยู่ในบ้านจริงตอนนี้ครับ"
        who = [said, "ถามหัวหน้าครัวเรือน หรือคนในบ้านที่รู้เรื่องดีนะครับ"]
    else:
        group = re.sub(r"ในครัวเรือน$", "", target).strip()
        who = [f"ก่อนถาม ดูก่อนนะครับว่าบ้านนี้มี{group}ไหม"]
        if rec and rec.not_assessed:
            who.append("ถ้าไม่มีเลย ตัวชี้วัดนี้ไม่ประเมิน ซึ่งไม่ใช่ไม่ผ่านนะครับ")
    slides.append(Slide("target", who))
    slides.append(
        Slide(
            "ask",
            [
                "ลองถามแบบนี้ครับ ใช้คำง่าย ๆ และถามทีละเรื่อง",
                "แล้วฟังคำตอบจากผู้ตอบเอง อย่าเดาคำตอบแทนนะครับ",
            ],
        )
    )
    criterion = r["criterion_th"].strip()
    if rec is None:
        slides.append(
            Slide(
                "record",
                [
                    "ตัวชี้วัดนี้ยังไม่มีเกณฑ์ทางการ อย่าตั้งเกณฑ์ขึ้นเองนะครับ",
                    "ถ้าไม่แน่ใจ ให้ถามพัฒนากรประจำตำบลก่อนส่งข้อมูลครับ",
                ],
            )
        )
        slides.append(
            Slide(
                "note",
                [
                    spoken(f"เกณฑ์คือ {criterion}") if criterion else AWAITING,
                    "ระหว่างนี้ ถามและบันทึกตามที่ครัวเรือนตอบนะครับ",
                ],
            )
        )
        return slides
    labels = sorted(rec.deciding_labels)
    if len(labels) == 1:
        form = [f"ในแบบสอบถาม ฉบับ 2560-2564 ข้อที่ใช้ตัดสินคือข้อ {labels[0]} ครับ"]
    elif labels:
        form = [f"ในแบบสอบถาม ฉบับ 2560-2564 ใช้ตัดสินจาก {len(labels)} ข้อ ครับ"]
    else:
        form = [f"ในแบบสอบถาม ฉบับ 2560-2564 ตัวชี้วัดนี้อยู่ในข้อ {rec.number_2560} ครับ"]
    if criterion:
        form.append(spoken(f"เกณฑ์คือ {criterion}"))
    if rec.passes:
        form.append(spoken(f"ข้อนี้{rec.passes}"))
    slides.append(Slide("form", form))
    if rec.example:
        ex = rec.example
        said = ["ลองดูตัวอย่างนะครับ", spoken(ex.scenario)] + [spoken(s) for s in ex.steps]
        said.append("ลองฝึกบันทึกครัวเรือนต่อในแบบฝึกหัดของบทเรียนนี้ได้เลยครับ")
        slides.append(Slide("example", said))
    return slides


def slide_canvas(ind: Indicator, index: int, count: int, heading: str, emoji: str) -> Canvas:
    """A content slide: coloured bar with progress, a heading; the caption band left empty."""
    c = Canvas(W, ind.color, TINT.get(ind.row["category"], "#eeeeee"))
    c.draw.rectangle((0, 0, W, 52), fill=ind.color)
    put(c.draw, (40, 36), f"ตัวชี้วัดที่ {ind.number}", font(24, True), PAPER)
    put(c.draw, (W - 40, 36), f"{index}/{count}", font(22), PAPER, anchor="rs")
    c.draw.rectangle((0, 52, W, 58), fill=RULE)
    c.draw.rectangle((0, 52, round(W * index / count), 58), fill=c.tint)
    c.y = 76
    c.heading(heading, emoji)
    return c


def slide_target(c: Canvas, ind: Indicator) -> None:
    emoji, _, _ = target_icon(ind.row["target_group_th"])
    top = c.y + 6
    c.draw.rounded_rectangle((60, top, 250, top + 190), 24, fill=c.tint)
    paste_emoji(c.img, emoji, (75, top + 15, 235, top + 175))
    f = font(40, True)
    lines = wrap(ind.row["target_group_th"], f, W - 340)
    y = top + max(0, (190 - len(lines) * line_height(f)) // 2)
    c.y = max(top + 190, c.text(290, ind.row["target_group_th"], 40, W - 340, INK, True, y=y))


def slide_ask(c: Canvas, ind: Indicator) -> None:
    question = ind.question()
    quoted = question != (ind.lesson_section("how_to_ask") or [FALLBACK_ASK])[0]
    text = f"“{question}”" if quoted else question
    limit = BAND_TOP - c.y - 50
    for size in (34, 32, 30, 28, 26):
        if len(wrap(text, font(size), W - 160)) * line_height(font(size)) <= limit:
            break
    else:
        text = shorten(text, 150)
    top = c.y + 4
    c.y = c.text(80, text, size, W - 160, INK, y=top + 16) + 18
    c.draw.rounded_rectangle((50, top, W - 50, c.y), 22, outline=c.color, width=4)
    c.draw.polygon([(110, c.y - 2), (150, c.y - 2), (116, c.y + 24)], fill=c.color)
    c.y += 26


def slide_form(c: Canvas, rec: Recording, attempt: int = 0) -> None:
    """The item the result is read from (or the first one), its answers as tick boxes."""
    labels = rec.deciding_labels
    item = next((i for i in rec.items if i.label in labels and i.answers), None)
    item = item or next(i for i in rec.items if i.answers)
    size, limit, most = ((32, 100, 4), (30, 80, 3), (28, 66, 3), (26, 54, 2))[attempt]
    right = c.pill(50, c.y + 4, f"ข้อ {item.label}", c.color, 26)
    c.y = c.text(right + 16, shorten(item.question, limit), size, W - right - 66, INK) + 14
    answers = [shorten(a, 2 * limit // 3) for a in item.answers]
    if len(answers) > most:
        answers = answers[: most - 1] + [f"… อีก {len(answers) - most + 1} แบบ"]
    c.chips(70, answers, size)


def slide_example(c: Canvas, rec: Recording) -> None:
    ex = rec.example
    c.y += 4
    for step in ex.steps:
        equation = EQUATION.search(step)
        if equation:
            size = next(
                (
                    n
                    for n in (48, 44, 40, 36)
                    if measure(equation.group(0), font(n, True)) < W - 140
                ),
                36,
            )
            c.y = c.text(70, equation.group(0), size, W - 140, c.color, True) + 8
        for label, choice in ticked(step)[:3]:
            x = 70
            if label:
                x = c.pill(x, c.y + 2, f"ข้อ {label}", c.color, 26) + 14
            f = font(32, True)
            if c.y + line_height(f) > BAND_TOP - 70:
                break
            choice = shorten(choice, 40)
            c.box(x, c.y + 8, 32, ticked=True, color=c.color)
            put(c.draw, (x + 46, c.y + f.getmetrics()[0]), choice, f, INK)
            c.drawn.append(f"☑ {choice}")
            c.y += line_height(f) + 10
        if RESULT.search(step) or not ex.result and TICK.search(step):
            break  # up to the step that gives the result (or the first tick)
    if ex.result:
        f = font(34, True)
        put(c.draw, (70, c.y + 6 + f.getmetrics()[0]), "ผลคือ", f, INK)
        c.drawn.append("ผลคือ")
        c.pill(
            70 + int(measure("ผลคือ", f)) + 18,
            c.y + 4,
            ex.result,
            PASS_COLOR if ex.result == "ผ่าน" else FAIL_COLOR,
            34,
        )
        c.y += line_height(f) + 20


def slide_record(c: Canvas, ind: Indicator) -> None:
    """The lesson's first two ways to record, as long as they clear the caption band."""
    for said in (ind.lesson_section("how_to_record") or [FALLBACK_RECORD])[:2]:
        fits = [
            (size, shorten(said, limit))
            for size, limit in ((30, 140), (28, 110), (28, 80))
            if c.y + len(wrap(shorten(said, limit), font(size), W - 150)) * line_height(font(size))
            <= BAND_TOP
        ]
        if not fits:
            break
        size, line = fits[0]
        c.draw.ellipse((62, c.y + 20, 74, c.y + 32), fill=c.color)
        c.y = c.text(90, line, size, W - 150, INK) + 8


def slide_note(c: Canvas) -> None:
    top = c.y + 4
    c.y = c.text(80, PROVISIONAL_NOTE, 30, W - 160, INK, y=top + 16) + 18
    c.draw.rounded_rectangle((50, top, W - 50, c.y), 16, outline=MUTED, width=3)


HEADINGS = {
    "target": ("ถามถึงใคร", ""),
    "ask": ("ถามอย่างไร", "💬"),
    "form": ("ช่องในแบบสอบถาม ฉบับ 2560-2564", "📋"),
    "example": ("ตัวอย่างการบันทึก", "✅"),
    "record": ("บันทึกอย่างไร", "✏️"),
    "note": ("ถ้อยคำชั่วคราว", "ℹ️"),
}


def render_title(ind: Indicator) -> tuple[Image.Image, list[str]]:
    """Title slide and poster: number, category and title in white on the category colour."""
    img = Image.new("RGB", (W, H), ind.color)
    draw = ImageDraw.Draw(img)
    r = ind.row
    category = f"หมวดที่ {r['category']} {r['category_th']}"
    put(draw, (48, 56), category, font(24), PAPER)
    put(draw, (W - 48, 56), "BMN Learn", font(22, True), PAPER, anchor="rs")
    put(draw, (48, 130), "ตัวชี้วัดที่", font(30), PAPER)
    put(draw, (48, 250), str(ind.number), font(120, True), PAPER)
    draw.line((236, 90, 236, 300), fill=PAPER, width=2)
    title = [Block(r["title_th"])]
    fit_blocks(title, W - 300, 230, range(44, 27, -2), bold=True)
    draw_blocks(draw, title, 260, 80 + max(0, (230 - stack_height(title)) // 2), PAPER, True)
    drawn = [category, "BMN Learn", "ตัวชี้วัดที่", str(ind.number)] + title[0].lines
    if ind.provisional:
        f, label = font(20, True), "ถ้อยคำชั่วคราว ยังไม่เป็นทางการ"
        box = draw.textbbox((48, 340), label, font=f, anchor="ls", language="th")
        draw.rounded_rectangle((36, box[1] - 8, box[2] + 12, box[3] + 8), 8, fill=PAPER)
        put(draw, (48, 340), label, f, ind.color)
        drawn.append(label)
    return img, drawn


def render_slides(ind: Indicator, slides: list[Slide]) -> list[tuple[Image.Image, list[str]]]:
    """Each slide's picture and the texts drawn on it; nothing below BAND_TOP."""
    out = [render_title(ind)]
    for index, slide in enumerate(slides[1:], 2):
        heading, emoji = HEADINGS[slide.kind]
        for attempt in range(4):  # smaller and shorter until it clears the caption band
            c = slide_canvas(ind, index, len(slides), heading, emoji)
            if slide.kind == "target":
                slide_target(c, ind)
            elif slide.kind == "ask":
                slide_ask(c, ind)
            elif slide.kind == "form":
                slide_form(c, ind.recording, attempt)
            elif slide.kind == "example":
                slide_example(c, ind.recording)
            elif slide.kind == "record":
                slide_record(c, ind)
            else:
                slide_note(c)
            if c.y <= BAND_TOP:
                break
        else:
            raise AssertionError(f"{ind.number}: slide {slide.kind} reaches {c.y} > {BAND_TOP}")
        out.append((c.img.crop((0, 0, W, H)), c.drawn))
    return out


# --- Files --------------------------------------------------------------------------------------


def vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def captions(slides: list[Slide]) -> str:
    """WebVTT: the narrator's script, cue by cue, timed like the clip."""
    out, start, n = ["WEBVTT", ""], 0.0, 0
    for slide in slides:
        for text, seconds in slide.cues:
            n += 1
            text = text.replace("-->", "→").replace("&", "&amp;")
            text = text.replace("<", "&lt;").replace(">", "&gt;")
            out += [str(n), f"{vtt_time(start)} --> {vtt_time(start + seconds)}", text, ""]
            start += seconds
    return "\n".join(out)


def encode_clip(frames: list[tuple[Image.Image, float]], out: Path, crf: int) -> None:
    """RGB frames piped to ffmpeg -> H.264 yuv420p MP4 without audio, byte-reproducible.

    Every slide starts on a key frame (clean cuts, exact seeking) and the frames repeating it cost
    almost nothing. One thread, because x264's output depends on its thread count.
    """
    starts = [sum(seconds for _, seconds in frames[:i]) for i in range(len(frames))]
    cmd = [
        FFMPEG, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-video_size", f"{W}x{H}",
        "-framerate", str(FPS), "-i", "pipe:0",
        "-an", "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p",
        "-c:v", "libx264", "-preset", "veryslow", "-tune", "stillimage", "-crf", str(crf),
        "-profile:v", "high", "-bf", "0", "-g", "250", "-threads", "1",
        "-force_key_frames", ",".join(f"{t:g}" for t in starts),
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-color_range", "tv", "-movflags", "+faststart",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
        "-map_chapters", "-1", "-f", "mp4", str(out),
    ]  # fmt: skip
    raw = b"".join(img.tobytes() * round(seconds * FPS) for img, seconds in frames)
    try:
        subprocess.run(cmd, input=raw, check=True)
    except FileNotFoundError:
        sys.exit(f"build_media: {FFMPEG} not found (apt install ffmpeg)")


def png_bytes(img: Image.Image) -> bytes:
    """A palette PNG: flat colours and anti-aliased text need few colours."""
    for colors in (64, 48, 32, 16):
        buf = io.BytesIO()
        img.quantize(colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            buf, "PNG", optimize=True
        )
        if buf.tell() <= MAX_INFOGRAPHIC:
            return buf.getvalue()
    raise AssertionError(f"infographic is {buf.tell()} bytes, over {MAX_INFOGRAPHIC}")


def media_yaml(ind: Indicator, duration: float, size: tuple[int, int], digest: str) -> str:
    alt_th, alt_en = (json.dumps(a, ensure_ascii=False) for a in ind.alt())  # valid YAML too
    return (
        "version: 1\n"
        f"indicator: {ind.number}\n"
        "clip: {file: clip.mp4, poster: poster.jpg, captions: captions.th.vtt, "
        f"duration: {duration:.1f}}}\n"
        f"infographic: {{file: infographic.png, width: {size[0]}, height: {size[1]}, "
        f"alt_th: {alt_th}, alt_en: {alt_en}}}\n"
        f'source_hash: "{digest}"\n'
        f'text_hash: "{ind.text_hash}"\n'
    )


def write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build(ind: Indicator, media: Path, digest: str) -> dict[str, int]:
    """Write the five media files of one indicator; media.yaml last, so a crash leaves it stale."""
    slides = ind.slides()
    images = [img for img, _ in render_slides(ind, slides)]
    media.mkdir(parents=True, exist_ok=True)
    tmp_clip = media / "clip.mp4.tmp"
    frames = [(img, s.seconds) for img, s in zip(images, slides, strict=True)]
    for crf in (CRF, CRF + 4, CRF + 8):
        encode_clip(frames, tmp_clip, crf)
        if tmp_clip.stat().st_size <= MAX_CLIP:
            break
    if tmp_clip.stat().st_size > MAX_CLIP:
        raise AssertionError(f"{ind.number}: clip is {tmp_clip.stat().st_size} bytes")
    os.replace(tmp_clip, media / "clip.mp4")
    poster = io.BytesIO()
    images[0].save(poster, "JPEG", quality=70, optimize=True)
    write(media / "poster.jpg", poster.getvalue())
    write(media / "captions.th.vtt", captions(slides).encode())
    info, _ = render_infographic(ind)
    write(media / "infographic.png", png_bytes(info))
    duration = sum(s.seconds for s in slides)
    write(media / "media.yaml", media_yaml(ind, duration, info.size, digest).encode())
    return {name: (media / name).stat().st_size for name in MEDIA_FILES}


# --- Command line -------------------------------------------------------------------------------


def load_indicators(root: Path) -> list[Indicator]:
    content = root / "content"
    with open(content / "indicators.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    indicators = []
    for row in rows:
        number = int(row["number"])
        path = content / "indicators" / f"{number:02d}" / "lesson.yaml"
        lesson = lesson_text = None
        if path.exists():
            lesson_text = path.read_text(encoding="utf-8")
            try:
                lesson = yaml.safe_load(lesson_text)
            except yaml.YAMLError as error:
                sys.exit(f"build_media: {path}: {error}")
            if not isinstance(lesson, dict) or lesson.get("indicator") != number:
                sys.exit(f"build_media: {path}: not a lesson for indicator {number}")
        recording = path.with_name("recording.yaml")
        recording_text = recording.read_text(encoding="utf-8") if recording.exists() else None
        indicators.append(Indicator(number, row, lesson, lesson_text, recording_text))
    return indicators


def parse_only(value: str) -> set[int]:
    numbers: set[int] = set()
    for part in value.split(","):
        lo, _, hi = part.strip().partition("-")
        numbers.update(range(int(lo), int(hi or lo) + 1))
    return numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=parse_only, help="indicator numbers, e.g. 26,27 or 1-5")
    parser.add_argument("--force", action="store_true", help="rebuild even when unchanged")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not features.check_feature("raqm"):
        sys.exit("build_media: Pillow has no raqm layout: Thai would not be shaped")
    total = 0
    for ind in load_indicators(args.root):
        if args.only and ind.number not in args.only:
            continue
        media = args.root / "content" / "indicators" / f"{ind.number:02d}" / "media"
        digest = hashlib.sha256(ind.source_text().encode()).hexdigest()
        if not args.force and all((media / name).exists() for name in MEDIA_FILES):
            meta = yaml.safe_load((media / "media.yaml").read_text(encoding="utf-8")) or {}
            if meta.get("source_hash") == digest:
                if meta.get("text_hash") != ind.text_hash:  # same pictures, new wording hash
                    duration = float(meta["clip"]["duration"])
                    size = (meta["infographic"]["width"], meta["infographic"]["height"])
                    yaml_text = media_yaml(ind, duration, size, digest)
                    write(media / "media.yaml", yaml_text.encode())
                print(f"{ind.number:02d}: unchanged")
                continue
        sizes = build(ind, media, digest)
        total += sum(sizes.values())
        print(f"{ind.number:02d}: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sizes.items()))
    print(f"built: {total / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
