"""The kinds of volunteer who collect จปฐ. data."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Stored value -> label. Thai labels are the names volunteers know; English in the catalogue.
VOLUNTEER_TYPES: dict[str, object] = {
    "osm": _l("Village health volunteer (อสม.)"),
    "village_head": _l("Village headman (ผู้ใหญ่บ้าน)"),
    "och_leader": _l("Community development volunteer leader (ผู้นำ อช.)"),
    "kpsm": _l("Women's development committee (กพสม.)"),
    "other": _l("Other"),
}

# What officers' files say: the keys above, the Thai short names, and common spellings.
_SPELLINGS = {
    "osm": ("อสม",),
    "village_head": ("ผู้ใหญ่บ้าน", "villagehead"),
    "och_leader": ("ผู้นำอช", "ผู้นำ อช", "ochleader"),
    "kpsm": ("กพสม",),
    "other": ("อื่นๆ", "อื่น", "อื่น ๆ"),
}
_BY_SPELLING = {
    spelling.replace(" ", ""): key
    for key, spellings in _SPELLINGS.items()
    for spelling in (key, *spellings)
}


def type_from_text(text: str) -> str | None:
    """The volunteer type key for "osm", "อสม.", "ผู้นำ อช." ...; None when unknown."""
    reduced = text.strip().lower().replace(" ", "").replace("_", "").rstrip(".")
    return _BY_SPELLING.get(reduced)
