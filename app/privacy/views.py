"""A volunteer's own data: a page to read and a JSON file to keep (PDPA, right of access)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template
from flask_login import current_user

from ..auth.audit import record
from ..db import get_session
from ..volunteers.types import VOLUNTEER_TYPES
from .labels import action_label, role_label
from .mydata import collect_my_data

bp = Blueprint("privacy", __name__)


def _audited_data():
    """The logged-in user's data, with the download recorded (committed here)."""
    session = get_session()
    data = collect_my_data(session, current_user)
    record(session, actor_id=current_user.id, action="self.download", subjects=[current_user.id])
    session.commit()
    return data


@bp.get("/account/data")
def my_data():
    """ข้อมูลของฉัน: everything the app keeps about me, in Thai."""
    data = _audited_data()
    page = render_template(
        "privacy/my_data.html",
        data=data,
        action_label=action_label,
        role_label=role_label,
        volunteer_types=VOLUNTEER_TYPES,
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/account/data.json")
def my_data_json():
    """The same data as a JSON file to keep."""
    data = _audited_data()
    body = json.dumps(data.as_json(), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="my-data-{current_user.id}.json"',
            "Cache-Control": "no-store",
        },
    )
