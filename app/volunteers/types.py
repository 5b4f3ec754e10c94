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
