"""WebVTT captions: what the validator accepts and refuses (the upload: test_clips.py)."""

from __future__ import annotations

import pytest

from app.media.captions import BadCaptions, validate_webvtt

VALID = """WEBVTT - Thai captions

NOTE made for indicator 1

intro
00:00.000 --> 00:02.500
<v ครูฝึก>สวัสดีครับ</v> อาสาสมัครทุกท่าน

00:02.500 --> 00:05.000 line:90%
<i>ถามทุกครัวเรือน</i> <c.yellow>ไม่ข้าม</c> <00:03.000><b>ครับ</b>

01:00:00.000 --> 01:00:01.000
<lang en>Thank you</lang> <ruby>漢<rt>kan</rt></ruby>
"""


def test_a_valid_file_is_accepted():
    assert validate_webvtt(VALID.encode()) == 3


def test_a_byte_order_mark_and_crlf_are_fine():
    assert validate_webvtt(("\ufeff" + VALID).replace("\n", "\r\n").encode()) == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("WEBVTT\n\n00:00.000 --> 00:01.000\n<script>alert(1)</script>\n", "script"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\n<b onclick=alert(1)>hi</b>\n", "event handlers"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\n<img src=x onerror=alert(1)>\n", "event handlers"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\n<a href=javascript:alert(1)>x</a>\n", "<a>"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\n<iframe src=//evil>\n", "iframe"),
        ("WEBVTT\n\nNOTE <script>alert(1)</script>\n\n00:00.000 --> 00:01.000\nhi\n", "script"),
        ("WEBVTT <script>x</script>\n\n00:00.000 --> 00:01.000\nhi\n", "script"),
        ("WEBVTT\n\nSTYLE\n::cue { color: red }\n\n00:00.000 --> 00:01.000\nhi\n", "STYLE"),
        ("1\n00:00.000 --> 00:01.000\nhello\n", "WEBVTT"),
        ("WEBVTTX\n\n00:00.000 --> 00:01.000\nhello\n", "WEBVTT"),
        ("WEBVTT\n\n00:02.000 --> 00:01.000\nbackwards\n", "end after it starts"),
        ("WEBVTT\n\n00:01.000 --> 00:01.000\nzero length\n", "end after it starts"),
        ("WEBVTT\n\n0:01.000 --> 00:02.000\nshort minutes\n", "timings"),
        ("WEBVTT\n\n00:61.000 --> 00:62.000\nsixty-one seconds\n", "timings"),
        ("WEBVTT\n\n00:01,000 --> 00:02,000\nSRT commas\n", "timings"),
        ("WEBVTT\n\nno timing here\nat all\n", "timing line"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\none\n00:01.000 --> 00:02.000\ntwo\n", "blank line"),
        ("WEBVTT\n", "no cues"),
    ],
)
def test_bad_or_unsafe_files_are_refused_with_a_reason(text: str, reason: str):
    with pytest.raises(BadCaptions, match=reason):
        validate_webvtt(text.encode())


def test_non_utf8_is_refused():
    with pytest.raises(BadCaptions, match="UTF-8"):
        validate_webvtt("WEBVTT\n\n00:00.000 --> 00:01.000\nสวัสดี\n".encode("cp874"))


def test_files_over_200_kb_are_refused():
    cue = "00:00.000 --> 00:01.000\n" + "ก" * 100 + "\n\n"
    with pytest.raises(BadCaptions, match="200 KB"):
        validate_webvtt(("WEBVTT\n\n" + cue * 800).encode())
