"""The dashboard's "updated at" is Thai time (Asia/Bangkok), on the page and on every poll."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.officers import dashboard_views

from .conftest import MUEANG

BANGKOK = ZoneInfo("Asia/Bangkok")
INSTANT = datetime(2026, 1, 10, 18, 0, 5, tzinfo=UTC)  # 01:00:05 on 11 Jan in Thailand


class FrozenClock(datetime):
    """datetime with now() fixed at INSTANT, in whatever zone is asked for."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return INSTANT.astimezone(tz) if tz else INSTANT.replace(tzinfo=None)


def test_page_and_polls_say_thai_time(plan, officer_client, monkeypatch):
    monkeypatch.setattr(dashboard_views, "datetime", FrozenClock)
    client = officer_client(MUEANG)
    page = client.get("/officer/dashboard").get_data(as_text=True)
    assert re.search(r'<time id="updated">01:00:05</time>', page)
    first = client.get("/officer/dashboard/live")
    assert first.headers["X-Updated"] == "01:00:05"
    again = client.get("/officer/dashboard/live", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["X-Updated"] == "01:00:05"


def test_updated_at_is_bangkok_time_not_utc(app):
    with app.app_context():
        shown = dashboard_views.updated_at()
    now = datetime.now(BANGKOK)
    candidates = {(now + timedelta(seconds=d)).strftime("%H:%M:%S") for d in (-2, -1, 0)}
    assert shown in candidates


def test_script_uses_the_servers_time_or_bangkok_never_the_phones_zone(app):
    script = (Path(app.static_folder) / "js" / "dashboard.js").read_text()
    assert 'r.headers.get("X-Updated")' in script
    assert "getHours()" not in script  # the phone's own zone
