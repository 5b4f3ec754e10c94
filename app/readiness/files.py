"""The training plan format (content/plans/<slug>.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.files import SLUG
from ..content.yamlfile import parse_yaml, require_int, require_text, require_version


@dataclass(frozen=True)
class PlanFile:
    """A plan as written: `indicators` is None for "all"."""

    slug: str
    name_th: str
    name_en: str
    campaign_year: int
    active: bool
    indicators: tuple[int, ...] | None


def read_plan(path: Path, known: set[int]) -> PlanFile:
    """Parse a plan; its indicators must exist."""
    doc = parse_yaml(path)
    require_version(doc)
    slug = require_text(doc, "slug")
    if not SLUG.fullmatch(slug):
        raise doc.error("slug", "must be a slug: a-z, 0-9 and '-'")
    raw = doc.data.get("indicators")
    numbers: tuple[int, ...] | None
    if raw == "all":
        numbers = None
    elif isinstance(raw, list) and raw and all(isinstance(n, int) for n in raw):
        unknown = sorted(set(raw) - known)
        if unknown:
            raise doc.error("indicators", f"no indicator {unknown[0]}")
        numbers = tuple(dict.fromkeys(raw))
    else:
        raise doc.error("indicators", "must be 'all' or a list of indicator numbers")
    active = doc.data.get("active", False)
    if not isinstance(active, bool):
        raise doc.error("active", "must be true or false")
    return PlanFile(
        slug=slug,
        name_th=require_text(doc, "name_th"),
        name_en=require_text(doc, "name_en"),
        campaign_year=require_int(doc, "campaign_year", 2500, 2700),
        active=active,
        indicators=numbers,
    )
