"""The one Markdown renderer: Markdown to HTML, then sanitised with nh3."""

from __future__ import annotations

import threading
from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote",
    "h3", "h4", "code", "pre", "hr", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


# Rendered HTML by source text: a lesson's texts change only when content is published, and
# a changed text is a new key, so nothing stale is ever served (issue 16: a lesson view
# converted the same Markdown about a dozen times, 38 of its 133 ms).
CACHE_SIZE = 4096


def render_markdown(text: str | None) -> Markup:
    """Render trusted-or-not Markdown to safe HTML (scripts, handlers and raw HTML removed)."""
    return _render(text or "")


# A converter per thread, reset between texts: building one (its extensions, its patterns)
# cost more than converting a lesson's short text.
_local = threading.local()


def _converter() -> md.Markdown:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(
            extensions=["sane_lists", "tables"], output_format="html"
        )
    return converter


@lru_cache(maxsize=CACHE_SIZE)
def _render(text: str) -> Markup:
    html = _converter().reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
