"""WebVTT captions: a small validator (header, cue timings, UTF-8, size, only WebVTT's own tags).

Browsers render cue text themselves and never run markup in it, but a caption file is also
downloadable text that other tools may show: anything that looks like HTML beyond WebVTT's
cue tags is refused rather than stored.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from ..errors import DomainError

MAX_BYTES = 200 * 1024
TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
TIMING = re.compile(rf"^{TIMESTAMP}[ \t]+-->[ \t]+{TIMESTAMP}(?:[ \t]+.*)?$")
HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
TAG = re.compile(r"<([^>]*)>?")
CUE_TAGS = {"c", "i", "b", "u", "v", "lang", "ruby", "rt"}
INNER_TIMESTAMP = re.compile(rf"^{TIMESTAMP}$")
TAG_NAME = re.compile(r"^/?([A-Za-z][A-Za-z0-9]*)")
EVENT_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)


class BadCaptions(DomainError):
    """A caption file that is not valid, safe WebVTT."""


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _check_tags(text: str, line_number: int) -> None:
    """Refuse any tag but WebVTT's cue tags and timestamps, and any on*= handler."""
    if EVENT_HANDLER.search(text):
        raise BadCaptions(
            _l("Line %(line)d: event handlers (on...=) are not allowed.", line=line_number)
        )
    for match in TAG.finditer(text):
        inner = match.group(1).strip()
        if INNER_TIMESTAMP.match(inner):
            continue
        name = TAG_NAME.match(inner)
        if not name or name.group(1) not in CUE_TAGS or not match.group(0).endswith(">"):
            raise BadCaptions(
                _l(
                    "Line %(line)d: the tag <%(tag)s> is not allowed in captions "
                    "(only c, i, b, u, v, lang, ruby and rt).",
                    line=line_number,
                    tag=(name.group(1) if name else inner)[:20],
                )
            )


def validate_webvtt(data: bytes) -> int:
    """Check a WebVTT file; the number of cues. BadCaptions says what is wrong and where."""
    if len(data) > MAX_BYTES:
        raise BadCaptions(_l("Caption files may be at most 200 KB."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadCaptions(_l("Caption files must be UTF-8 text.")) from error
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not HEADER.match(lines[0]):
        raise BadCaptions(_l('A WebVTT file must start with "WEBVTT".'))
    _check_tags(lines[0], 1)
    cues = 0
    number = 1
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            block.append((number, line))
            continue
        cues += _check_block(block)
        block = []
    cues += _check_block(block)
    if not cues:
        raise BadCaptions(_l("The caption file has no cues."))
    return cues


def _check_block(block: list[tuple[int, str]]) -> int:
    """Check one block (a cue, a NOTE or the header's metadata); 1 for a cue, else 0."""
    if not block:
        return 0
    first_number, first = block[0]
    if first.startswith("NOTE") or first_number == 2:
        # A comment, or header metadata right after WEBVTT: never shown, but checked too.
        for number, line in block:
            if first_number == 2 and "-->" in line:
                raise BadCaptions(
                    _l("Line %(line)d: a blank line must follow WEBVTT.", line=number)
                )
            _check_tags(line, number)
        return 0
    if first.startswith(("STYLE", "REGION")):
        raise BadCaptions(
            _l("Line %(line)d: STYLE and REGION blocks are not accepted.", line=first_number)
        )
    timing_at = 0 if "-->" in first else 1
    if timing_at >= len(block) or "-->" not in block[timing_at][1]:
        raise BadCaptions(_l("Line %(line)d: a cue needs a timing line.", line=first_number))
    number, timing = block[timing_at]
    match = TIMING.match(timing.strip())
    if not match:
        raise BadCaptions(
            _l(
                "Line %(line)d: cue timings must look like 00:01.000 --> 00:04.000.",
                line=number,
            )
        )
    start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
    if not start < end:
        raise BadCaptions(_l("Line %(line)d: a cue must end after it starts.", line=number))
    if timing_at == 1:
        _check_tags(first, first_number)  # a cue identifier is text too
    for text_number, text in block[timing_at + 1 :]:
        if "-->" in text:
            raise BadCaptions(
                _l("Line %(line)d: a blank line must separate cues.", line=text_number)
            )
        _check_tags(text, text_number)
    return 1


def normalised(data: bytes) -> bytes:
    """Text with Windows line endings (CRLF) as plain LF, so captions that differ only in
    their line endings (a Windows checkout, a trainer's editor) are the same stored file."""
    return data.replace(b"\r\n", b"\n")
