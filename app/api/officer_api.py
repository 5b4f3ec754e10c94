"""GET /api/v1/readiness and /api/v1/coverage: the officers' lists for other systems.

Bearer tokens only (no session cookie): a token acts with its owner's current role and
area, through the same `Scope`, filters and queries as the officers' pages (app.api sits
above app.officers in the dependency order). The URL map's API door calls `require_token`
before every view not marked public.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import BadRequest, NotFound

from ..areas.access import OutOfScope, Scope
from ..db import get_session, utcnow
from ..errors import render_error
from ..officers.coverage import LEVELS, coverage_totals, coverage_villages, rollup
from ..officers.filters import BadFilter, parse_filters
from ..officers.lists import ReadinessRow, readiness_page
from ..readiness.models import TrainingPlan
from ..readiness.progress import today_bangkok
from ..readiness.services import active_plan
from .openapi import COVERAGE_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, READINESS_PER_PAGE
from .tokens import InvalidToken, authenticate_token, bearer_value

bp = Blueprint("lists", __name__)

REALM = "BMN Learn"


def _unauthorized(reason: str, *, invalid: bool):
    """401 with the reason and the challenge RFC 6750 asks for."""
    challenge = f'Bearer realm="{REALM}"'
    if invalid:
        challenge += ', error="invalid_token"'
    response = jsonify(error="Unauthorized", reason=reason)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = challenge
    response.headers["Cache-Control"] = "no-store"
    return response


def require_token() -> Response | None:
    """Authenticate the bearer token and put its owner's scope in `g.api_scope`; the 401
    answer when there is no valid token (the guard of the URL map's API area)."""
    session = get_session()
    raw = bearer_value(request.headers.get("Authorization"))
    try:
        owner = authenticate_token(session, raw, now=utcnow())
    except InvalidToken as error:
        session.rollback()
        return _unauthorized(str(error), invalid=raw is not None)
    g.api_scope = Scope(role=owner.role, area_code=owner.area_code)
    session.commit()  # last_used_at, when it was due (at most once a minute)
    return None


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    """A malformed parameter: 400 with the reason."""
    return render_error(BadRequest(str(error)))


@bp.errorhandler(OutOfScope)
def out_of_scope(error: OutOfScope):
    """An area outside the token owner's scope answers as if it did not exist."""
    return render_error(NotFound("There is no such area in your scope."))


def _int_arg(args: Mapping[str, str], name: str, default: int, maximum: int) -> int:
    """A whole-number query argument from 1 to `maximum`; BadFilter otherwise."""
    value = (args.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= maximum:
        raise BadFilter(f"{name} must be a whole number from 1 to {maximum}")
    return int(value)


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _plan(plan: TrainingPlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "id": plan.id,
        "slug": plan.slug,
        "name_th": plan.name_th,
        "name_en": plan.name_en,
        "campaign_year": plan.campaign_year,
        "expires_on": plan.expires_on.isoformat() if plan.expires_on else None,
        "passes_from": plan.passes_from.isoformat() if plan.passes_from else None,
    }


def _volunteer(row: ReadinessRow) -> dict[str, Any]:
    return {
        "id": row.user_id,
        "full_name": row.full_name,
        "mobile": row.phone,  # lists.py gives it in full only inside the scope
        "volunteer_type": row.volunteer_type,
        "village_code": row.village_code,
        "village_name": row.village_name,
        "moo": row.moo,
        "subdistrict": row.subdistrict_name,
        "district": row.district_name,
        "zone": row.zone,
        "state": row.state,
        "passed": row.passed,
        "required": row.required,
        "percent": row.percent,
        "ready_at": _iso(row.ready_at),
        "confirmed_at": _iso(row.confirmed_at),
    }


def _answer(data: dict[str, Any], *, personal: bool = False):
    """JSON with an ETag (304 when unchanged) that no shared cache may keep; names and
    mobiles (personal) are kept by no cache at all."""
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store" if personal else "private, no-cache"
    response.vary.add("Authorization")
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/v1/readiness")
def readiness():
    """Volunteers in the token owner's area with their readiness, one page at a time."""
    scope: Scope = g.api_scope
    filters = parse_filters(request.args, scope)
    page = _int_arg(request.args, "page", 1, MAX_PAGE)
    per_page = _int_arg(request.args, "per_page", READINESS_PER_PAGE, MAX_PER_PAGE)
    session = get_session()
    plan = active_plan(session)
    result = readiness_page(
        session,
        plan=plan,
        scope=scope,
        filters=filters,
        today=today_bangkok(utcnow()),
        sort=request.args.get("sort") or "name",
        page=page,
        per_page=per_page,
    )
    return _answer(
        {
            "plan": _plan(plan),
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
            "pages": result.pages,
            "items": [_volunteer(row) for row in result.rows],
        },
        personal=True,
    )


@bp.get("/v1/coverage")
def coverage():
    """Coverage at 1:40 per village, or summed per subdistrict, district, zone or province."""
    scope: Scope = g.api_scope
    filters = parse_filters(request.args, scope)
    level = request.args.get("level") or "village"
    if level not in LEVELS:
        raise BadFilter(f"level must be one of {', '.join(LEVELS)}")
    page = _int_arg(request.args, "page", 1, MAX_PAGE)
    per_page = _int_arg(request.args, "per_page", COVERAGE_PER_PAGE, MAX_PER_PAGE)
    session = get_session()
    plan = active_plan(session)
    villages = coverage_villages(
        session, plan=plan, scope=scope, filters=filters, today=today_bangkok(utcnow())
    )
    rows: list[Any] = villages if level == "village" else rollup(villages, level)
    pages = max(1, -(-len(rows) // per_page))
    page = min(page, pages)
    return _answer(
        {
            "plan": _plan(plan),
            "level": level,
            "page": page,
            "per_page": per_page,
            "total": len(rows),
            "pages": pages,
            "items": [
                dataclasses.asdict(row) for row in rows[(page - 1) * per_page : page * per_page]
            ],
            "totals": dataclasses.asdict(coverage_totals(villages)),
        }
    )
