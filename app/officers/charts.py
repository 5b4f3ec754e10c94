"""The dashboard charts' geometry: pure functions of the figures, in percent of the chart's
width, so the server-rendered SVG stretches to any screen while its text keeps its size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..readiness.progress import STATES
from .dashboard import AreaProgress, Progress, ReadyDay


@dataclass(frozen=True)
class Segment:
    """One state's part of a stacked bar: x and width in percent of the chart's width."""

    state: str
    count: int
    x: float
    width: float


def stacked(area: AreaProgress, scale: int) -> list[Segment]:
    """The non-empty segments of an area's bar, in STATES order, `scale` volunteers = 100%."""
    segments, x = [], 0.0
    for state, count in zip(STATES, area.counts, strict=True):
        if count:
            width = 100 * count / scale
            segments.append(Segment(state, count, round(x, 2), round(width, 2)))
            x += width
    return segments


def bar_scale(progress: Progress) -> int:
    """Volunteers that fill a whole bar: the largest area's registered or needed count."""
    return max([1, *(max(a.total, a.needed) for a in progress.areas)])


@dataclass(frozen=True)
class StepChart:
    """A step line in its own units: x in days from `start`, y in volunteers from the top."""

    start: date
    end: date
    width: int
    height: int
    line: str  # SVG path data
    area: str  # the same line closed to the x axis


def step_chart(timeline: Iterable[ReadyDay], today: date) -> StepChart | None:
    """The cumulative readiness line from the day before the first ready volunteer to today
    (None when nobody is ready yet)."""
    days = list(timeline)
    if not days:
        return None
    start = days[0].day - timedelta(days=1)
    end = max(today, days[-1].day)
    width = (end - start).days
    height = max(days[-1].total, 1)
    line = f"M0,{height}" + "".join(
        f"H{(d.day - start).days}V{height - d.total}" for d in days
    ) + f"H{width}"  # fmt: skip
    return StepChart(start, end, width, height, line, f"{line}V{height}H0Z")
