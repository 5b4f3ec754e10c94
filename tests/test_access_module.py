"""Officer scope has one home, `app/areas/access.py`: this test reads the officers', volunteers'
and API packages (ast) and fails when a function builds a query of volunteers or villages
without passing it through the access module.

The rule: a function (or module body) in those packages that calls `select(...)` with `User`
or `Village` anywhere in the call's arguments must, in the same function, call one of the
access module's gates (`volunteers_in_scope`, `villages_in_scope`, `get_volunteer`,
`get_village`, a `Scope`'s `.villages(...)`, or `volunteer_rows`, which is built on it).
Exceptions are listed with the reason each one may see outside the viewer's scope."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
PACKAGES = ("officers", "volunteers", "api", "mentoring")
PEOPLE_AND_PLACES = {"User", "Village"}
GATES = {
    "volunteers_in_scope",
    "villages_in_scope",
    "get_volunteer",
    "get_village",
    "villages",
    "volunteer_rows",
}
# (module, function): why it may query people or villages outside the viewer's scope.
EXCEPTIONS = {
    ("officers/accounts.py", "list_officers"): "admins list officer accounts, not volunteers",
    ("officers/cli.py", "demo_accounts"): "demo logins go into the first village (a CLI command)",
    ("officers/cli.py", "demo_volunteers"): "the demo generator fills every village (CLI)",
    ("officers/demo.py", "demo_volunteers_exist"): "a CLI check for the generated demo phones",
    ("volunteers/invites.py", "village_by_code"): "the public /join/<code> page: any village",
    ("officers/coverage.py", "_counts_by_id"): "counts per village id, for ids a scoped query gave",
    ("officers/dashboard.py", "_area_names"): "labels for codes that a scoped query returned",
    ("volunteers/invites.py", "_unused_codes"): "invitation codes are unique nationwide",
    ("volunteers/services.py", "register_by_officer"): (
        "an ID card number is unique nationwide; its village is checked by village_in_scope"
    ),
}


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _queries_people_or_places(node: ast.AST) -> bool:
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "select":
            used = {n.id for arg in call.args for n in ast.walk(arg) if isinstance(n, ast.Name)}
            if used & PEOPLE_AND_PLACES:
                return True
    return False


def _functions(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node


def bypasses() -> list[tuple[str, str]]:
    found = []
    for package in PACKAGES:
        for path in sorted((APP / package).glob("*.py")):
            module = f"{package}/{path.name}"
            for name, function in _functions(ast.parse(path.read_text(), str(path))):
                if not _queries_people_or_places(function):
                    continue
                if _called_names(function) & GATES or (module, name) in EXCEPTIONS:
                    continue
                found.append((module, name))
    return found


def test_every_query_of_volunteers_or_villages_passes_the_access_module():
    assert bypasses() == []


def test_every_exception_still_exists_and_says_why():
    for (module, name), reason in EXCEPTIONS.items():
        tree = ast.parse((APP / module).read_text())
        assert name in {n for n, _f in _functions(tree)}, f"{module}:{name} is gone"
        assert len(reason) > 20


def test_the_rule_catches_an_unscoped_query():
    code = "def f(s):\n    return s.scalars(select(User).where(User.role == 'volunteer'))\n"
    tree = ast.parse(code)
    ((_name, function),) = _functions(tree)
    assert _queries_people_or_places(function) and not _called_names(function) & GATES
