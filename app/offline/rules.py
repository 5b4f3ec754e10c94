"""Pure rules of saving for offline: which infographic width to keep, which scope is asked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCOPES = ("basics", "category", "all")
# The content column is at most 46rem (736 px) wide less .75rem padding each side.
COLUMN_MAX = 712
PAGE_OVERHEAD = 9000  # bytes of a page's markup around its text, measured on lesson pages


class BadScope(ValueError):
    """The scope asked for is not basics, a known category or all."""


@dataclass(frozen=True)
class Scope:
    """What to save: the basics, one category (its number) or everything."""

    kind: str
    category: int | None = None


def parse_scope(kind: str | None, category: str | None, categories: set[int]) -> Scope:
    """The scope from the request's `scope` and `n`; BadScope when they name nothing."""
    if kind not in SCOPES:
        raise BadScope(f"Unknown scope {kind!r}: choose basics, category or all.")
    if kind != "category":
        return Scope(kind)
    if not category or not category.isdigit() or int(category) not in categories:
        raise BadScope(f"There is no category {category!r}.")
    return Scope(kind, int(category))


def shown_width(width: int | None) -> int:
    """Device pixels the infographic fills on a screen `width` device pixels wide."""
    if not width or width <= 0:
        return 360
    return min(width, 4000)


def pick_variant(variants: list[dict[str, Any]], width: int) -> dict[str, Any] | None:
    """The narrowest width variant at least `width` wide, else the widest one."""
    if not variants:
        return None
    ordered = sorted(variants, key=lambda v: v["width"])
    return next((v for v in ordered if v["width"] >= width), ordered[-1])


def estimate_page(*texts: str | None) -> int:
    """About how many bytes a page of these texts weighs (its markup included)."""
    return PAGE_OVERHEAD + sum(len((t or "").encode()) for t in texts)
