"""Lesson Markdown as plain text: paragraphs, the question an interviewer says, a text hash.

Shared by the pocket summary, `flask content check` and scripts/build_media.py, so the
summary, the clips and the check all read a lesson the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image -> its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # link -> its text
    (re.compile(r"<[^>]+>"), ""),  # raw HTML
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),
]
_QUOTE_OR_ITEM = re.compile(r"^\s*(?:>\s?|[-*+]\s+|\d+[.)]\s+)")
_ITEM = re.compile(r"^\s*(?:>\s?)*(?:[-*+]|\d+[.)])\s+")
_SKIP = re.compile(r"^\s*(?:#{1,6}\s.*|([-*_])(\s*\1){2,})?\s*$")  # blank, heading or rule


def plain_paragraphs(markdown: str | None) -> list[str]:
    """Markdown -> plain-text paragraphs; every list item is a paragraph of its own."""
    paragraphs: list[str] = []
    current: list[str] = []
    quoting = False
    for raw in (markdown or "").splitlines():
        starts_quote = raw.lstrip().startswith(">") and not quoting
        quoting = raw.lstrip().startswith(">")
        if current and (_SKIP.match(raw) or _ITEM.match(raw) or starts_quote):
            paragraphs.append(" ".join(current))
            current = []
        if _SKIP.match(raw):  # headings only organise a section
            continue
        line = raw
        while _QUOTE_OR_ITEM.match(line):
            line = _QUOTE_OR_ITEM.sub("", line, count=1)
        for pattern, replacement in _INLINE:
            line = pattern.sub(replacement, line)
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return [p for p in (re.sub(r"\s+", " ", p).strip() for p in paragraphs) if p]


def quoted_question(paragraphs: list[str]) -> str | None:
    """The first words the lesson puts in quotes: what an interviewer actually says."""
    for paragraph in paragraphs:
        match = re.search(r"“([^”]+)”|\"([^\"]+)\"", paragraph)
        if match:
            return (match.group(1) or match.group(2)).strip()
    return None


def text_hash(row: Mapping[str, object], lesson_text: str | None) -> str:
    """sha256 of what an indicator's media are made from: its list row and its lesson file.

    media.yaml records it; a different value means the media are older than the text.
    """
    canonical = json.dumps(
        {
            "row": {k: str(v) for k, v in row.items()},
            "lesson": (lesson_text or "").replace("\r\n", "\n"),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
