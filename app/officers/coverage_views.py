"""Coverage at 1:40: villages (or wider areas) short of ready volunteers, and its exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..areas.access import Scope, current_scope
from ..areas.services import area_choices
from ..db import get_session, utcnow
from ..readiness.progress import today_bangkok
from . import coverage_wide
from .coverage import (
    LEVELS,
    ZONE_NAMES_TH,
    AreaCoverage,
    VillageCoverage,
    coverage_totals,
    coverage_villages,
    rollup,
)
from .exports import csv_response, xlsx_response
from .filters import Filters, parse_filters, wider_than_a_province
from .rules import display_share
from .views import plan_or_none

bp = Blueprint("coverage", __name__)

PER_PAGE = 100
EXPORT_FORMATS = ("csv", "xlsx")

VILLAGE_HEADER = [
    "รหัสหมู่บ้าน",
    "หมู่ที่",
    "ชื่อหมู่บ้าน",
    "ตำบล",
    "อำเภอ",
    "โซน",
    "จำนวนครัวเรือน",
    "อาสาสมัครที่ต้องมี (1:40)",
    "ลงทะเบียนแล้ว",
    "พร้อมจัดเก็บข้อมูล",
    "ยังขาด",
    "ร้อยละความพร้อม",
]
AREA_HEADER = [
    "รหัสพื้นที่",
    "ชื่อพื้นที่",
    "จำนวนหมู่บ้าน",
    "หมู่บ้านที่ยังขาด",
    "จำนวนครัวเรือน",
    "อาสาสมัครที่ต้องมี (1:40)",
    "ลงทะเบียนแล้ว",
    "พร้อมจัดเก็บข้อมูล",
    "ยังขาด",
    "ร้อยละความพร้อม",
]


def _level() -> str:
    """The `level` query argument (village by default); anything else answers 400."""
    level = request.args.get("level") or "village"
    if level not in LEVELS:
        abort(400, description=_("level must be one of %(levels)s", levels=", ".join(LEVELS)))
    return level


def _page() -> int:
    """The `page` query argument, 1 or more."""
    page = request.args.get("page", 1, type=int)
    return max(page or 1, 1)


def _percent(value: float | None) -> float | str:
    """A share for an export cell as the page shows it; blank when nothing is needed."""
    shown = display_share(value)
    return "" if shown is None else shown


def _village_cells(v: VillageCoverage) -> list:
    return [
        v.village_code, v.moo, v.village_name, v.subdistrict_name, v.district_name,
        ZONE_NAMES_TH.get(v.zone or "", v.zone or ""), v.households if v.households is not None
        else "", v.needed, v.registered, v.ready, v.short, _percent(v.percent_ready),
    ]  # fmt: skip


def _area_cells(a: AreaCoverage) -> list:
    return [
        a.code, a.name, a.villages, a.villages_short, a.households, a.needed, a.registered,
        a.ready, a.short, _percent(a.percent_ready),
    ]  # fmt: skip


def _wide(session: Session, plan: Any, scope: Scope, filters: Filters, today: date, level: str):
    """(page, pages, rows, totals) over a scope wider than a province (coverage_wide)."""
    args = {"plan": plan, "scope": scope, "filters": filters, "today": today}
    if level != "village":
        areas = coverage_wide.area_rows(session, level=level, **args)
        return 1, 1, areas, coverage_wide.sum_areas(areas)
    totals = coverage_wide.totals(session, **args)
    pages = max(-(-totals.villages // PER_PAGE), 1)
    page = min(_page(), pages)
    rows = coverage_wide.village_page(session, page=page, per_page=PER_PAGE, **args)
    return page, pages, rows, totals


@bp.get("/coverage")
def coverage():
    """Villages (or subdistricts, districts, zones, the province) short of ready volunteers."""
    scope = current_scope()
    filters = parse_filters(request.args, scope)
    level = _level()
    session = get_session()
    plan = plan_or_none()
    today = today_bangkok(utcnow())
    if wider_than_a_province(scope, filters):  # summed by the database from stored counts
        page, pages, rows, totals = _wide(session, plan, scope, filters, today, level)
    else:
        villages = coverage_villages(session, plan=plan, scope=scope, filters=filters, today=today)
        totals = coverage_totals(villages)
        if level == "village":
            pages = max(-(-len(villages) // PER_PAGE), 1)
            page = min(_page(), pages)
            rows = villages[(page - 1) * PER_PAGE : page * PER_PAGE]
        else:
            page, pages, rows = 1, 1, rollup(villages, level)
    list_endpoint = "officer.lists.readiness_list" in current_app.view_functions
    args = {**filters.as_args(), "level": level}
    return render_template(
        "officers/coverage.html",
        filters=filters,
        choices=area_choices(
            session,
            scope,
            province=filters.province,
            district=filters.district,
            subdistrict=filters.subdistrict,
            with_provinces=True,
        ),
        plan=plan,
        level=level,
        levels=LEVELS,
        rows=rows,
        totals=totals,
        page=page,
        pages=pages,
        args=args,
        village_link=(lambda code: url_for("officer.lists.readiness_list", village=code))
        if list_endpoint
        else None,
    )


@bp.get("/coverage/export.<fmt>")
def export_coverage(fmt: str):
    """The coverage table (same filters and level as the page) as CSV or Excel."""
    if fmt not in EXPORT_FORMATS:
        abort(404)
    scope = current_scope()
    filters = parse_filters(request.args, scope)
    level = _level()
    today = today_bangkok(utcnow())
    villages = coverage_villages(
        get_session(), plan=plan_or_none(), scope=scope, filters=filters, today=today
    )
    total = coverage_totals(villages)
    if level == "village":
        header = VILLAGE_HEADER
        rows = [_village_cells(v) for v in villages]
        rows.append(
            ["", "", total.name, "", "", "", total.households, total.needed, total.registered,
             total.ready, total.short, _percent(total.percent_ready)]
        )  # fmt: skip
    else:
        header = AREA_HEADER
        rows = [_area_cells(a) for a in rollup(villages, level)] + [_area_cells(total)]
    name = f"coverage-{level}-{today.isoformat()}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", "ความครอบคลุม", header, rows)
