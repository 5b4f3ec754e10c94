"""Every page, export and JSON answer with personal data is sent with `Cache-Control:
no-store`: read from the URL map, so a new page is checked without being listed here (its
arguments filled by name), plus the public certificate check and the readiness API."""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from app.auth.models import Role
from app.security import PRIVATE_TYPES

from .conftest import MUEANG, MUEANG_SUB

SKIPPED_PREFIXES = ("/static/", "/media/")
# Pages that must be among those checked (the test is not vacuous).
MUST_CHECK = {
    "officer.lists.readiness_list",
    "officer.lists.volunteer",
    "officer.lists.export_readiness",
    "officer.lists.print_readiness",
    "officer.certificates.volunteer_certificate",
    "officer.accounts.accounts",
    "site.auth.change_password",
    "site.readiness.card",
    "site.readiness.check",
    "api.lists.readiness",
}


# Answers that name nobody and say so with their own caching: figures per area (revalidated
# with an ETag, never shared) and the public API description.
NO_PERSON = {
    "api.lists.coverage",
    "officer.dashboard.dashboard_live",
    "api.docs.openapi",
    "api.docs.docs",
}


@pytest.fixture
def ready(app, plan, make_volunteer, train, village_codes) -> dict:
    """A ready volunteer of ในเวียง with a certificate code."""
    from sqlalchemy import select

    from app.db import get_session
    from app.readiness.models import Readiness

    user_id = make_volunteer(village_codes[MUEANG_SUB][0], "สมศรี เก็บไม่ได้")
    train(user_id)
    with app.app_context():
        code = get_session().scalar(select(Readiness.code).where(Readiness.user_id == user_id))
    return {"user_id": user_id, "code": code, "village": village_codes[MUEANG_SUB][0]}


@pytest.fixture
def token_for(app, make_user) -> str:
    """An API token of an officer of เมืองน่าน."""
    from app.api.tokens import create_token
    from app.auth.models import User
    from app.db import get_session, utcnow

    user_id = make_user(Role.OFFICER, full_name="เจ้าหน้าที่ ทดสอบ", area_code=MUEANG)
    with app.app_context():
        session = get_session()
        _row, raw = create_token(session, session.get(User, user_id), "test", now=utcnow())
        session.commit()
        return raw


def _values(ready: dict, plan: int) -> dict[str, list[str]]:
    return {
        "user_id": [str(ready["user_id"])],
        "code": [ready["code"]],
        "fmt": ["csv", "xlsx"],
        "number": ["3"],
        "category": ["1"],
        "plan_id": [str(plan)],
        "level": ["district"],
        "village_code": [ready["village"]],
    }


def _paths(app: Flask, ready: dict, plan: int) -> list[tuple[str, str]]:
    """(endpoint, path) of every GET page, arguments filled by name where they can be."""
    values = _values(ready, plan)
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith(SKIPPED_PREFIXES):
            continue
        if not set(rule.arguments) <= set(values):
            continue  # an id this test has no row for (a clip, an attempt ...)
        combos = [{}]
        for name in sorted(rule.arguments):
            combos = [{**c, name: v} for c in combos for v in values[name]]
        with app.test_request_context():
            for combo in combos:
                found.append((rule.endpoint, url_for(rule.endpoint, **combo)))
    return found


def test_every_page_with_personal_data_is_not_stored(
    app, content, plan, ready, officer_client, token_for
):
    admin = officer_client(None, role=Role.ADMIN)
    checked: set[str] = set()
    unstored = []
    for endpoint, path in _paths(app, ready, plan):
        if endpoint.startswith("api."):
            response = admin.get(path, headers={"Authorization": f"Bearer {token_for}"})
        else:
            response = admin.get(path)
        response.close()  # a streamed export is not read: its generator ends here
        if response.status_code != 200 or response.mimetype not in PRIVATE_TYPES:
            continue
        checked.add(endpoint)
        if "no-store" not in response.headers.get("Cache-Control", ""):
            if endpoint in NO_PERSON:
                continue
            unstored.append(f"{path} ({endpoint})")
    assert not unstored, "sent without no-store:\n" + "\n".join(unstored)
    assert not MUST_CHECK - checked, f"not checked: {sorted(MUST_CHECK - checked)}"


def test_the_public_certificate_check_is_not_stored(client, plan, ready):
    for path in (f"/check/{ready['code']}", f"/check?code={ready['code']}"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"]
