"""Item analysis pages: which questions confuse volunteers, where, and a CSV of the figures."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import select

from ..content.models import Indicator
from ..db import get_session
from ..volunteers.types import VOLUNTEER_TYPES
from .analysis import SORTS, Filters, ItemRow, analyse_items, districts, parse_filters
from .rules import csv_text

bp = Blueprint("analysis", __name__)

CSV_COLUMNS = (
    "key",
    "version",
    "text",
    "attempts",
    "percent_correct",
    "top_wrong_choice",
    "top_wrong_count",
    "discrimination",
)


def _request_analysis(number: int) -> tuple[Indicator, Filters, str, list[ItemRow]]:
    """The indicator, filters, sort and rows the query arguments ask for (404: no indicator)."""
    session = get_session()
    indicator = session.scalar(select(Indicator).where(Indicator.number == number))
    if indicator is None:
        abort(404, description=f"There is no indicator {number}.")
    filters = parse_filters(
        session, request.args.get("district"), request.args.get("volunteer_type")
    )
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else SORTS[0]
    return indicator, filters, sort, analyse_items(session, indicator, filters, sort)


@bp.get("/indicators/<int(max=999):number>/analysis")
def item_analysis(number: int):
    """Per question version: attempts, % right, the most chosen wrong answer, discrimination."""
    indicator, filters, sort, rows = _request_analysis(number)
    return render_template(
        "studio/analysis.html",
        indicator=indicator,
        rows=rows,
        filters=filters,
        sort=sort,
        districts=districts(get_session()),
        volunteer_types=VOLUNTEER_TYPES,
        # The FAQ editor lands separately: link to it once it exists.
        faq_link="studio.faq.new_faq" in current_app.view_functions,
    )


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


@bp.get("/indicators/<int(max=999):number>/analysis.csv")
def item_analysis_csv(number: int):
    """The item analysis as CSV (UTF-8 with BOM so Excel shows Thai), same filters and sort."""
    indicator, _filters, _sort, rows = _request_analysis(number)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                csv_text(row.question.key),
                row.question.version,
                csv_text(row.question.text),
                row.attempts,
                _number(row.percent_correct, 1),
                csv_text(row.top_wrong_text),
                row.top_wrong_count,
                _number(row.discrimination, 2),
            ]
        )
    name = f"item-analysis-{indicator.number:02d}.csv"
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
