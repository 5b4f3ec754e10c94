"""Smoke test of bench/load.py: its volunteer flow (read the forms, start, submit) runs
against the app for one volunteer without an error."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import urllib.parse
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

BENCH_LOAD = Path(__file__).resolve().parent.parent / "bench" / "load.py"


def bench_load():  # noqa: ANN201
    spec = importlib.util.spec_from_file_location("bench_load", BENCH_LOAD)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_load_flow_submits_a_quiz_with_no_error(
    app: Flask, client: FlaskClient, content: None, make_user, login, complete_numbers
) -> None:
    load = bench_load()
    login(client, make_user())

    async def request(method: str, path: str, data=None):  # noqa: ANN001, ANN202
        # in a thread: the app's async views refuse to run inside this event loop
        response = await asyncio.to_thread(client.open, path, method=method, data=data)
        location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
        return response.status_code, location, response.get_data(as_text=True)

    # Indicator 3's bank has recording exercises; the first quiz has choice questions.
    for number in {complete_numbers[0], 3}:
        timings: dict[str, list[float]] = {step: [] for step in load.STEPS}
        asyncio.run(load.flow(request, number, timings))  # raises FlowError on any bad answer
        assert {step: len(times) for step, times in timings.items()} == dict.fromkeys(load.STEPS, 1)


def test_the_load_flow_counts_a_refused_submit_as_an_error() -> None:
    load = bench_load()
    pages = {
        "/indicators/1": '<form method="post" action="/indicators/1/quiz"></form>',
        "/attempts/7": '<form method="post"><input type="radio" name="q1" value="a"></form>',
    }

    async def request(method: str, path: str, data=None):  # noqa: ANN001, ANN202
        if method == "POST" and path == "/indicators/1/quiz":
            return 302, "/attempts/7", ""
        if method == "POST":
            assert data["q1"] == ["a"]
            return 200, "", pages[path]  # the form again: the answers were refused
        return 200, "", pages[path]

    try:
        asyncio.run(load.flow(request, 1))
    except load.FlowError as error:
        assert (error.step, error.status) == ("submit", 200)
    else:
        raise AssertionError("a refused submit passed")
