"""SQL statements per request of the volunteer's quiz flow (lesson → start → quiz page →
submit → result), the path every volunteer takes many times in a campaign (issue 16): each
step sends a fixed number of statements, whatever the volunteer's history."""

from __future__ import annotations

import asyncio
import urllib.parse
from collections import defaultdict

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.db import db

from ..test_bench_load import bench_load

# Ceilings per step, counted on this code (SQLite and PostgreSQL alike; before issue 16:
# lesson 13, start 19, quiz 5, submit 20, result 9; then 12, 11, 5, 11, 8 until the lesson's
# published part, the banks, the indicators and the active plan were cached per content
# stamp): a new query in the flow has to be worth it, and a query per question or per
# earlier attempt fails here.
CEILING = {"lesson": 3, "start": 6, "quiz": 3, "submit": 8, "result": 5}
FIRST_ROUND = {"lesson": 13, "start": 13, "quiz": 5, "submit": 11, "result": 8}


def counted_flows(app: Flask, client: FlaskClient, numbers: list[int]) -> dict[str, list[int]]:
    """Run the bench's flow once per number; the statements each step sent."""
    load = bench_load()
    counts: dict[str, list[int]] = defaultdict(list)
    sent = [0]

    def count(*_args: object) -> None:
        sent[0] += 1

    steps = iter(())

    async def request(method: str, path: str, data=None):  # noqa: ANN001, ANN202
        sent[0] = 0
        response = await asyncio.to_thread(client.open, path, method=method, data=data)
        counts[next(steps)].append(sent[0])
        location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
        return response.status_code, location, response.get_data(as_text=True)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for number in numbers:
            steps = iter(load.STEPS)
            asyncio.run(load.flow(request, number))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return counts


def counted_lesson_views(app: Flask, client: FlaskClient, numbers: list[int]) -> list[int]:
    """The statements of one lesson view per number."""
    with app.app_context():
        engine = db.engine
    sent: list[int] = []

    def count(*_args: object) -> None:
        sent[-1] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        for number in numbers:
            sent.append(0)
            assert client.get(f"/indicators/{number}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return sent


def test_each_step_of_the_quiz_flow_sends_a_fixed_few_statements(
    app: Flask, client: FlaskClient, content: None, make_user, login, complete_numbers
) -> None:
    login(client, make_user())
    # Indicator 3's bank has recording exercises; a few rounds build up a history.
    numbers = [complete_numbers[0], 3, complete_numbers[1], complete_numbers[0], 3]
    # A server's first round of a quiz builds the lesson's published part and the bank
    # (cached per content stamp): every later round until the content changes reads them.
    first = counted_flows(app, client, sorted(set(numbers)))
    for step, ceiling in FIRST_ROUND.items():
        assert max(first[step]) <= ceiling, (step, first[step])
    counts = counted_flows(app, client, numbers)
    for step, ceiling in CEILING.items():
        assert len(counts[step]) == len(numbers), step
        assert max(counts[step]) <= ceiling, (step, counts[step])
    # The second round of a quiz costs what the first did: nothing grows with attempts. (A
    # result page's count depends on pass or fail: a fail asks whether answers are shown.)
    assert counts["start"][3] == counts["start"][0]
    assert counts["submit"][3] == counts["submit"][0]
    assert counts["submit"][4] == counts["submit"][1]
