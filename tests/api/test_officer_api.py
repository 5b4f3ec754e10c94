"""The officers' API: bearer tokens, scoping, filters, pagination, coverage, OpenAPI."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.api.tokens import create_token
from app.areas.access import Scope
from app.areas.models import ZONES, District
from app.auth.models import Role, User
from app.db import get_session, utcnow
from app.officers.coverage import LEVELS, coverage_totals, coverage_villages, rollup
from app.officers.filters import Filters
from app.officers.lists import SORTS
from app.readiness.progress import STATES, today_bangkok
from app.readiness.services import active_plan
from app.volunteers.types import VOLUNTEER_TYPES
from tests.conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA
from tests.officers import conftest as officers

# The officers' fixtures, used here too.
plan = officers.plan
make_volunteer = officers.make_volunteer
train = officers.train


@pytest.fixture
def token(app, areas, make_user) -> Callable[..., str]:
    """token(area_code, role=Role.OFFICER) -> the raw token of a new user of that scope."""

    def make(area_code: str | None, role: Role = Role.OFFICER) -> str:
        user_id = make_user(role, full_name="เจ้าหน้าที่ ทดสอบ", area_code=area_code)
        with app.app_context():
            session = get_session()
            _row, raw = create_token(session, session.get(User, user_id), "test", now=utcnow())
            session.commit()
            return raw

    return make


def get(client, path: str, raw: str | None, **args):
    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    return client.get(path, query_string=args, headers=headers)


def owner_of(app, raw: str) -> int:
    from app.api.models import ApiToken
    from app.api.tokens import hash_token

    with app.app_context():
        return get_session().scalar(
            select(ApiToken.user_id).where(ApiToken.token_hash == hash_token(raw))
        )


@pytest.fixture
def people(plan, make_volunteer, train, village_codes) -> dict[str, int]:
    """Volunteers in two subdistricts of เมืองน่าน and one in ปัว; some trained."""
    pua_sub = next(code for code in village_codes if code.startswith(PUA))
    ids = {
        "ready": make_volunteer(village_codes[MUEANG_SUB][0], "กมล พร้อม"),
        "training": make_volunteer(village_codes[MUEANG_SUB][1], "ขวัญ เรียนอยู่"),
        "new": make_volunteer(village_codes[OTHER_SUB][0], "คำ ใหม่"),
        "pua": make_volunteer(village_codes[pua_sub][0], "งาม ปัว"),
    }
    train(ids["ready"])
    train(ids["training"], passed=1)
    train(ids["pua"])
    return ids


@pytest.mark.parametrize("path", ["/api/v1/readiness", "/api/v1/coverage"])
@pytest.mark.parametrize(
    "header",
    [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer bmn_nosuchtoken", "bmn_nosuchtoken"],
)
def test_requests_without_a_valid_token_get_401(client, areas, path, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="BMN Learn"')
    body = response.get_json()
    assert body["error"] == "Unauthorized" and body["reason"]


def test_a_logged_in_session_is_not_enough(officer_client, plan):
    client = officer_client(MUEANG)
    assert client.get("/api/v1/readiness").status_code == 401


@pytest.mark.parametrize(
    "change",
    [{"active": False}, {"role": Role.VOLUNTEER.value}, {"area_code": None}],
    ids=["deactivated", "now-a-volunteer", "no-area"],
)
def test_a_token_stops_working_when_its_owner_may_no_longer_use_it(
    app, client, people, token, change
):
    raw = token(MUEANG)
    assert get(client, "/api/v1/readiness", raw).status_code == 200
    with app.app_context():
        session = get_session()
        user = session.get(User, owner_of(app, raw))
        for name, value in change.items():
            setattr(user, name, value)
        session.commit()
    response = get(client, "/api/v1/readiness", raw)
    assert response.status_code == 401
    assert response.get_json()["reason"] == "The token's owner may no longer use the API."


def test_a_district_officers_token_sees_only_that_district(client, people, token):
    raw = token(MUEANG)
    data = get(client, "/api/v1/readiness", raw, per_page=500).get_json()
    assert sorted(item["id"] for item in data["items"]) == sorted(
        people[k] for k in ("ready", "training", "new")
    )
    assert all(item["village_code"].startswith(MUEANG) for item in data["items"])
    assert data["total"] == 3
    coverage = get(client, "/api/v1/coverage", raw, per_page=500).get_json()
    assert coverage["items"] and all(
        row["village_code"].startswith(MUEANG) for row in coverage["items"]
    )


@pytest.mark.parametrize("path", ["/api/v1/readiness", "/api/v1/coverage"])
def test_another_districts_filter_is_404(client, people, token, path):
    raw = token(MUEANG)
    response = get(client, path, raw, district=PUA)
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"
    assert get(client, path, raw, village=f"{PUA}0101").status_code == 404


def test_a_subdistrict_officer_sees_only_the_subdistrict(client, people, token):
    data = get(client, "/api/v1/readiness", token(MUEANG_SUB)).get_json()
    assert {item["id"] for item in data["items"]} == {people["ready"], people["training"]}


def test_an_admin_token_sees_everyone(client, people, token):
    data = get(client, "/api/v1/readiness", token(None, role=Role.ADMIN)).get_json()
    assert {item["id"] for item in data["items"]} == set(people.values())


def test_a_token_follows_its_owners_current_area(app, client, people, token):
    raw = token(MUEANG)
    with app.app_context():
        session = get_session()
        session.get(User, owner_of(app, raw)).area_code = PUA
        session.commit()
    data = get(client, "/api/v1/readiness", raw).get_json()
    assert [item["id"] for item in data["items"]] == [people["pua"]]


def test_readiness_items_carry_the_agreed_fields(app, client, people, token):
    data = get(client, "/api/v1/readiness", token(MUEANG), state="ready").get_json()
    assert data["plan"]["name_th"] == "แผนการอบรม 2570" and data["plan"]["campaign_year"] == 2570
    (item,) = data["items"]
    with app.app_context():
        user = get_session().get(User, people["ready"])
        phone = user.phone
    assert set(item) == {
        "id", "full_name", "mobile", "volunteer_type", "village_code", "village_name", "moo",
        "subdistrict", "district", "zone", "state", "passed", "required", "percent",
        "ready_at", "confirmed_at",
    }  # fmt: skip
    assert item["id"] == people["ready"] and item["full_name"] == "กมล พร้อม"
    assert item["mobile"] == phone  # inside the officer's area: in full
    assert item["state"] == "ready" and item["passed"] == item["required"] == 3
    assert item["percent"] == 100 and item["confirmed_at"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["ready_at"])
    assert item["village_code"].startswith(MUEANG_SUB) and item["district"]


def test_filters_select_volunteers(client, people, token):
    raw = token(MUEANG)

    def ids(**args) -> set[int]:
        response = get(client, "/api/v1/readiness", raw, **args)
        assert response.status_code == 200, response.get_json()
        return {item["id"] for item in response.get_json()["items"]}

    assert ids(state="training") == {people["training"]}
    assert ids(state="registered") == {people["new"]}
    assert ids(subdistrict=OTHER_SUB) == {people["new"]}
    assert ids(q="ขวัญ") == {people["training"]}
    assert ids(type="osm") == {people["ready"], people["training"], people["new"]}
    assert ids(type="village_head") == set()


def test_pages_split_the_list_without_overlap(client, people, token):
    raw = token(None, role=Role.ADMIN)
    first = get(client, "/api/v1/readiness", raw, per_page=3, sort="-name").get_json()
    second = get(client, "/api/v1/readiness", raw, per_page=3, page=2, sort="-name").get_json()
    assert (first["total"], first["pages"], first["per_page"]) == (4, 2, 3)
    assert len(first["items"]) == 3 and len(second["items"]) == 1 and second["page"] == 2
    names = [i["full_name"] for i in first["items"] + second["items"]]
    assert names == sorted(names, reverse=True)
    assert {i["id"] for i in first["items"] + second["items"]} == set(people.values())


@pytest.mark.parametrize(
    ("args", "word"),
    [
        ({"per_page": "501"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"sort": "phone"}, "sort"),
        ({"state": "happy"}, "state"),
        ({"zone": "east"}, "zone"),
        ({"type": "chief"}, "type"),
        ({"district": "55"}, "district"),
    ],
)
def test_malformed_parameters_are_400_with_a_reason(client, people, token, args, word):
    response = get(client, "/api/v1/readiness", token(MUEANG), **args)
    assert response.status_code == 400
    assert word in response.get_json()["reason"]


def test_coverage_level_must_be_known(client, people, token):
    response = get(client, "/api/v1/coverage", token(MUEANG), level="country")
    assert response.status_code == 400 and "level" in response.get_json()["reason"]


def _expected(app, scope: Scope, level: str, filters: Filters | None = None):
    with app.app_context():
        session = get_session()
        villages = coverage_villages(
            session,
            plan=active_plan(session),
            scope=scope,
            filters=filters or Filters(),
            today=today_bangkok(utcnow()),
        )
        rows = villages if level == "village" else rollup(villages, level)
        return [r.__dict__ for r in rows], coverage_totals(villages).__dict__


@pytest.mark.parametrize("level", LEVELS)
def test_coverage_numbers_match_the_coverage_page(app, client, people, token, level):
    data = get(client, "/api/v1/coverage", token(MUEANG), level=level, per_page=500).get_json()
    items, totals = _expected(app, Scope("officer", MUEANG), level)
    assert data["level"] == level and data["total"] == len(items)
    assert data["items"] == json.loads(json.dumps(items))
    assert data["totals"] == json.loads(json.dumps(totals))
    assert data["totals"]["registered"] == 3 and data["totals"]["ready"] == 1


def test_coverage_filters_and_pages(app, client, people, token):
    raw = token(None, role=Role.ADMIN)
    data = get(client, "/api/v1/coverage", raw, subdistrict=MUEANG_SUB).get_json()
    assert [row["village_code"][:6] for row in data["items"]] == [MUEANG_SUB] * len(data["items"])
    assert data["totals"]["ready"] == 1
    whole = get(client, "/api/v1/coverage", raw, district=MUEANG, per_page=500).get_json()
    page = get(client, "/api/v1/coverage", raw, district=MUEANG, per_page=5, page=2).get_json()
    assert page["total"] == whole["total"] and page["pages"] == -(-whole["total"] // 5)
    assert page["items"] == whole["items"][5:10]
    with app.app_context():
        session = get_session()
        for district in session.scalars(select(District)):
            district.zone = "north" if district.code == PUA else "central"
        session.commit()
    north = get(client, "/api/v1/coverage", raw, zone="north", per_page=500).get_json()
    assert north["items"] and {row["district_code"] for row in north["items"]} == {PUA}
    assert north["totals"]["ready"] == 1 and north["totals"]["registered"] == 1


def test_answers_carry_an_etag_and_no_shared_caching(client, people, token):
    raw = token(MUEANG)
    coverage = get(client, "/api/v1/coverage", raw)
    assert coverage.headers["Cache-Control"] == "private, no-cache" and coverage.headers["ETag"]
    first = get(client, "/api/v1/readiness", raw)  # names and mobiles: kept by no cache
    assert first.headers["Cache-Control"] == "no-store" and first.headers["ETag"]
    again = client.get(
        "/api/v1/readiness",
        headers={"Authorization": f"Bearer {raw}", "If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304


def test_without_an_active_plan_everyone_is_registered(app, client, people, token):
    from app.readiness.models import TrainingPlan

    with app.app_context():
        session = get_session()
        for row in session.scalars(select(TrainingPlan)):
            row.active = False
        session.commit()
    data = get(client, "/api/v1/readiness", token(MUEANG)).get_json()
    assert data["plan"] is None and {i["state"] for i in data["items"]} == {"registered"}
    coverage = get(client, "/api/v1/coverage", token(MUEANG)).get_json()
    assert coverage["plan"] is None and coverage["totals"]["ready"] == 0


# The OpenAPI document and its page.


def test_the_openapi_document_is_valid_json_and_lists_every_api_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    rules = {
        re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert rules and rules <= set(document["paths"])
    assert "/healthz" in document["paths"]
    for path in ("/api/v1/readiness", "/api/v1/coverage"):
        operation = document["paths"][path]["get"]
        assert operation["security"] == [{"bearerAuth": []}]
        assert {"200", "400", "401", "404"} <= set(operation["responses"])


def _parameters(document: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}


def test_the_documented_parameters_match_what_the_api_accepts(client):
    document = client.get("/api/v1/openapi.json").get_json()
    readiness = _parameters(document, "/api/v1/readiness")
    assert set(readiness) == {
        "district", "subdistrict", "village", "zone", "state", "type", "q", "sort", "page",
        "per_page",
    }  # fmt: skip
    assert readiness["state"]["enum"] == list(STATES)
    assert readiness["zone"]["enum"] == list(ZONES)
    assert readiness["type"]["enum"] == list(VOLUNTEER_TYPES)
    assert readiness["sort"]["enum"] == list(SORTS)
    assert readiness["per_page"]["maximum"] == 500
    coverage = _parameters(document, "/api/v1/coverage")
    assert coverage["level"]["enum"] == list(LEVELS)
    assert coverage["zone"]["enum"] == list(ZONES)
    item = document["components"]["schemas"]["Volunteer"]["properties"]
    assert item["state"]["enum"] == list(STATES)


def test_the_documents_limits_are_the_apis(client, people, token):
    """What the fuzz test found (issue 16): the document allowed a q with a control character
    and any page number, and refused an empty filter, unlike the API."""
    raw = token(MUEANG)
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = _parameters(document, "/api/v1/readiness")
    pattern = re.compile(parameters["q"]["pattern"])
    assert pattern.search("สมศรี 081") and not pattern.search("สม\x00ศรี")
    assert get(client, "/api/v1/readiness", raw, q="สม\x00ศรี").status_code == 400
    top = parameters["page"]["maximum"]
    assert get(client, "/api/v1/readiness", raw, page=top).status_code == 200
    assert get(client, "/api/v1/readiness", raw, page=top + 1).status_code == 400
    assert all(
        p["allowEmptyValue"] for p in document["paths"]["/api/v1/readiness"]["get"]["parameters"]
    )
    assert get(client, "/api/v1/readiness", raw, district="", page="").status_code == 200


def test_every_reference_in_the_document_resolves(client):
    document = client.get("/api/v1/openapi.json").get_json()
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = document
        for part in ref.split("/"):
            node = node[part]
        assert node


def test_the_docs_page_shows_every_endpoint_and_parameter(client):
    response = client.get("/api/docs")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="th">' in text
    for path in ("/api/v1/readiness", "/api/v1/coverage", "/api/v1/indicators", "/healthz"):
        assert path in text
    for name in ("subdistrict", "per_page", "level", *STATES, *LEVELS):
        assert f"<code>{name}</code>" in text
