"""The OpenAPI 3.1 document of the API, built once from the same constants the code checks.

Texts are lazy message ids: the JSON document is served in English, the human page
(/api/docs) shows them in the reader's language. Enums come from STATES, ZONES,
VOLUNTEER_TYPES, SORTS and LEVELS, so the document cannot drift from what the API accepts.
It imports from app.officers: the API is the officers' integration surface.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l

from ..areas.models import ZONES
from ..officers.coverage import LEVELS
from ..officers.lists import SORTS
from ..readiness.progress import STATES
from ..volunteers.types import VOLUNTEER_TYPES

MAX_PER_PAGE = 500
MAX_PAGE = 10**9
READINESS_PER_PAGE = 50
COVERAGE_PER_PAGE = 100
BEARER = [{"bearerAuth": []}]
# Free text: every request with a control character is a 400 (app.errors.CONTROL_CHARACTERS).
NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def _query(name: str, description: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter; an empty value counts as not given (as a GET form
    sends an empty field)."""
    return {"name": name, "in": "query", "required": False, "allowEmptyValue": True,
            "description": description, "schema": schema}  # fmt: skip


def _code(length: int) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^[0-9]{{{length}}}$"}


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _page_params(default: int) -> list[dict[str, Any]]:
    return [
        _query("page", _l("Page number, from 1 (a page past the end gives the last page)."),
               {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
        _query("per_page", _l("Items per page (at most 500)."),
               {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": default}),
    ]  # fmt: skip


AREA_PARAMETERS = [
    _query("district", _l("A 4-digit district code inside your area."), _code(4)),
    _query("subdistrict", _l("A 6-digit subdistrict code inside your area."), _code(6)),
    _query("village", _l("An 8-digit village code inside your area."), _code(8)),
    _query("zone", _l("A support zone of districts."), {"type": "string", "enum": list(ZONES)}),
]
PERSON_PARAMETERS = [
    _query("state", _l("Readiness state under the active plan."),
           {"type": "string", "enum": list(STATES)}),
    _query("type", _l("Kind of volunteer."),
           {"type": "string", "enum": list(VOLUNTEER_TYPES)}),
    _query("q", _l("Part of a name, or at least 3 digits of a mobile number."),
           {"type": "string", "maxLength": 80, "pattern": NO_CONTROL_CHARACTERS}),
    _query("sort", _l("Order of the items; a leading minus sorts descending."),
           {"type": "string", "enum": list(SORTS), "default": "name"}),
]  # fmt: skip
LEVEL_PARAMETER = _query(
    "level",
    _l("Village rows, or sums per subdistrict, district, zone or province."),
    {"type": "string", "enum": list(LEVELS), "default": "village"},
)

_INT = {"type": "integer"}
_STR = {"type": "string"}
_PERCENT = _nullable("number", minimum=0, maximum=100)
_AREA_SUMS = {
    "households": _INT, "needed": _INT, "registered": _INT, "ready": _INT, "short": _INT,
    "percent_ready": _PERCENT,
}  # fmt: skip


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": _STR, "reason": _STR}),
    "Plan": _object({
        "id": _INT, "slug": _STR, "name_th": _STR, "name_en": _STR, "campaign_year": _INT,
        "expires_on": _nullable("string", format="date"),
        "passes_from": _nullable("string", format="date"),
    }),
    "Volunteer": _object({
        "id": _INT, "full_name": _STR,
        "mobile": {"type": "string", "description": "In full inside your area, else masked."},
        "volunteer_type": {"type": ["string", "null"], "enum": [*VOLUNTEER_TYPES, None]},
        "village_code": _code(8), "village_name": _STR, "moo": _INT,
        "subdistrict": _STR, "district": _STR,
        "zone": {"type": ["string", "null"], "enum": [*ZONES, None]},
        "state": {"type": "string", "enum": list(STATES)},
        "passed": _INT, "required": _INT, "percent": {**_INT, "minimum": 0, "maximum": 100},
        "ready_at": _nullable("string", format="date-time"),
        "confirmed_at": _nullable("string", format="date-time"),
    }),
    "ReadinessPage": _object({
        "plan": {"oneOf": [_ref("schemas", "Plan"), {"type": "null"}]},
        "page": _INT, "per_page": _INT, "total": _INT, "pages": _INT,
        "items": {"type": "array", "items": _ref("schemas", "Volunteer")},
    }),
    "VillageCoverage": _object({
        "village_code": _code(8), "village_name": _STR, "moo": _INT,
        "subdistrict_code": _code(6), "subdistrict_name": _STR,
        "district_code": _code(4), "district_name": _STR,
        "province_code": _code(2), "province_name": _STR,
        "zone": {"type": ["string", "null"], "enum": [*ZONES, None]},
        **_AREA_SUMS, "households": _nullable("integer"),
    }),
    "AreaCoverage": _object({
        "level": {"type": "string", "enum": [*LEVELS[1:], "total"]},
        "code": {"type": "string", "description": "Area code; for a zone its key."},
        "name": _STR, "villages": _INT, "villages_short": _INT, "counted": _INT,
        **_AREA_SUMS,
    }),
    "CoveragePage": _object({
        "plan": {"oneOf": [_ref("schemas", "Plan"), {"type": "null"}]},
        "level": {"type": "string", "enum": list(LEVELS)},
        "page": _INT, "per_page": _INT, "total": _INT, "pages": _INT,
        "items": {"type": "array", "items": {"oneOf": [
            _ref("schemas", "VillageCoverage"), _ref("schemas", "AreaCoverage")]}},
        "totals": _ref("schemas", "AreaCoverage"),
    }),
    "Indicators": _object({"count": _INT, "indicators": {"type": "array", "items": {
        "type": "object"}}}),
    "Health": _object({"status": {"type": "string", "enum": ["ok", "error"]},
                       "database": {"type": "string", "enum": ["ok", "unreachable"]}}),
}  # fmt: skip


def _json(description: Any, schema: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("schemas", schema)}}}  # fmt: skip


RESPONSES = {
    "BadRequest": _json(_l("A parameter is malformed; `reason` names it."), "Error"),
    "Unauthorized": _json(_l("The token is missing, unknown or revoked, or its owner may no "
                             "longer use the API."), "Error"),
    "NotFound": _json(_l("An area outside your scope (answered as if it did not exist)."),
                      "Error"),
}  # fmt: skip
_ERRORS = {code: _ref("responses", name) for code, name in
           (("400", "BadRequest"), ("401", "Unauthorized"), ("404", "NotFound"))}  # fmt: skip


def _paths() -> dict[str, Any]:
    """The operations, one per route under /api/v1/ plus the health check."""
    return {
        "/api/v1/readiness": {"get": {
            "operationId": "readiness", "tags": ["officers"], "security": BEARER,
            "summary": _l("Volunteers and their readiness"),
            "description": _l("Volunteers in your area with their state under the active "
                              "training plan, a page at a time."),
            "parameters": [*AREA_PARAMETERS, *PERSON_PARAMETERS,
                           *_page_params(READINESS_PER_PAGE)],
            "responses": {"200": _json(_l("One page of volunteers."), "ReadinessPage"),
                          **_ERRORS},
        }},
        "/api/v1/coverage": {"get": {
            "operationId": "coverage", "tags": ["officers"], "security": BEARER,
            "summary": _l("Coverage at 1:40"),
            "description": _l("Per village (or summed per wider area): households, volunteers "
                              "needed at one per 40 households, registered, ready and short."),
            "parameters": [LEVEL_PARAMETER, *AREA_PARAMETERS, *_page_params(COVERAGE_PER_PAGE)],
            "responses": {"200": _json(_l("Coverage rows and their totals."), "CoveragePage"),
                          **_ERRORS},
        }},
        "/api/v1/indicators": {"get": {
            "operationId": "indicators", "tags": ["public"], "security": [],
            "summary": _l("The indicators"),
            "description": _l("The BMN indicators with their lesson URL and how much published "
                              "material each has."),
            "parameters": [],
            "responses": {"200": _json(_l("Every indicator."), "Indicators")},
        }},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "tags": ["public"], "security": [],
            "summary": _l("This document"),
            "description": _l("The OpenAPI 3.1 description of the API."),
            "parameters": [],
            "responses": {"200": {"description": _l("The OpenAPI document."),
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}}},
        }},
        "/healthz": {"get": {
            "operationId": "healthz", "tags": ["public"], "security": [],
            "summary": _l("Health check"),
            "description": _l("200 when the database answers, 503 otherwise."),
            "parameters": [],
            "responses": {"200": _json(_l("Up."), "Health"),
                          "503": _json(_l("The database is unreachable."), "Health")},
        }},
    }  # fmt: skip


@cache
def openapi_document() -> dict[str, Any]:
    """The document (texts still lazy: render it inside a request with the wanted locale)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "BMN Learn API",
            "version": "1.0.0",
            "description": _l(
                "Read the volunteers and the 1:40 coverage of your area from another system. "
                "Create a token on the API tokens page and send it as a bearer token; it acts "
                "with your current role and area."
            ),
        },
        "servers": [{"url": "/"}],
        "security": BEARER,
        "tags": [
            {"name": "officers", "description": _l("Needs a token of an officer or admin.")},
            {"name": "public", "description": _l("Open to anyone.")},
        ],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": _l("An API token: Authorization: Bearer bmn_…"),
                }
            },
            "schemas": SCHEMAS,
            "responses": RESPONSES,
        },
    }


def resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (one level is all the document uses)."""
    ref = item.get("$ref")
    if not ref:
        return item
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node
