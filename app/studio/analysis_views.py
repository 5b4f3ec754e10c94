"""Item analysis pages: which questions confuse volunteers, where, and a CSV of the figures."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..content.models import Indicator
from ..db import get_session
from ..quizzes.files import SKIP
from ..quizzes.forms import RESULT_LABELS
from ..volunteers.types import VOLUNTEER_TYPES
from .analysis import (
    SORTS,
    Filters,
    ItemRow,
    analyse_items,
    count_attempts,
    districts,
    parse_filters,
)
from .rules import MIN_ATTEMPTS, csv_text

bp = Blueprint("analysis", __name__)

CSV_COLUMNS = (
    "key",
    "version",
    "item",  # a recording exercise's item label (or "result"); empty on a question's row
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
        abort(404, description=_("There is no indicator %(number)d.", number=number))
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
        attempt_count=count_attempts(get_session(), indicator.id, filters),
        min_attempts=MIN_ATTEMPTS,
        volunteer_types=VOLUNTEER_TYPES,
        result_labels=RESULT_LABELS,
        # The FAQ editor lands separately: link to it once it exists.
        faq_link="studio.faq.new_faq" in current_app.view_functions,
    )


def _recorded(part) -> str:
    """A part's most common wrong recording as plain text."""
    if not part.top_wrong_count:
        return ""
    given = part.top_wrong or ()
    if part.entry is None:
        return str(RESULT_LABELS[given[0]]) if given else ""
    if given == (SKIP,):
        return str(_("skipped"))
    if part.entry.kind == "number":
        return given[0] if given else ""
    return " | ".join(part.entry.options[int(i)] for i in given)


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
                "",
                csv_text(row.question.text),
                row.attempts,
                _number(row.percent_correct, 1),
                csv_text(row.top_wrong_text),
                row.top_wrong_count,
                _number(row.discrimination, 2),
            ]
        )
        for part in row.parts:
            writer.writerow(
                [
                    csv_text(row.question.key),
                    row.question.version,
                    csv_text(part.label),
                    csv_text(part.entry.question if part.entry else ""),
                    part.attempts,
                    _number(part.percent_correct, 1),
                    csv_text(_recorded(part)),
                    part.top_wrong_count,
                    "",
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
