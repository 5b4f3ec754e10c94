"""The URL areas ("doors") of the app's own URL map, for the access tests: which door an
endpoint belongs to, and the rules behind a door, with no hand-kept list of endpoints."""

from __future__ import annotations

from flask import Flask

from app.urls import DOORS
from app.web import is_public

DOOR_NAMES = {door.name for door in DOORS}


def door_of(endpoint: str) -> str | None:
    """The door an endpoint is registered under (`<door>.<feature>.<view>`), else None."""
    head, _, rest = endpoint.partition(".")
    return head if head in DOOR_NAMES and "." in rest else None


def door_rules(
    app: Flask, door: str, *, public: bool = False, module: str = ""
) -> list[tuple[str, str, tuple[str, ...]]]:
    """(endpoint, method, path arguments) of every rule behind the door whose view is (or is
    not, by default) marked public; `module` narrows to the views of one package."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if door_of(rule.endpoint) != door or is_public(view) != public:
            continue
        if not view.__module__.startswith(module):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, tuple(sorted(rule.arguments))))
    return found
