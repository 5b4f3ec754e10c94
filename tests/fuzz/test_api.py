"""Fuzzing the API from its own OpenAPI document (schemathesis): every operation, with
parameters that match the document and (where it has some) parameters that break it, sent
to the app over WSGI with a district officer's token. No 5xx, answers whose status, type,
headers and body match the document, and no database error text."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import given
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from app.api.openapi import openapi_document
from app.api.tokens import create_token
from app.auth.models import Role, User
from app.db import get_session, utcnow
from tests.conftest import MUEANG

from .fuzzing import API_EXAMPLES, fuzz_settings, problems

DOCUMENT = openapi_document()
# Left out: a query string is not JSON. The API ignores parameters it does not know and
# takes "60.0" for no page number, where JSON Schema sees an unexpected key and an integer.
LENIENT = [negative_data_rejection, positive_data_acceptance]
# Each operation with valid data; those with parameters with invalid data too.
OPERATIONS = [
    (path, method, mode)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if operation["parameters"] or mode is GenerationMode.POSITIVE
]


@pytest.fixture
def officer_token(app, areas, make_user) -> str:
    """The raw API token of an officer of อ.เมืองน่าน."""
    user_id = make_user(Role.OFFICER, full_name="เจ้าหน้าที่ ทดสอบ", area_code=MUEANG)
    with app.app_context():
        session = get_session()
        _row, raw = create_token(session, session.get(User, user_id), "fuzz", now=utcnow())
        session.commit()
    return raw


@pytest.mark.parametrize(("path", "method", "mode"), OPERATIONS)
def test_api_operation(app, officer_token, path, method, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    # Identity: the transport does not undo Flask-Compress's gzip.
    headers = {"Authorization": f"Bearer {officer_token}", "Accept-Encoding": "identity"}

    @fuzz_settings(API_EXAMPLES)
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        response = case.call_and_validate(headers=headers, excluded_checks=LENIENT)
        found = problems(response.text, response.status_code, "application/json")
        assert not found, f"{case.as_curl_command(headers=headers)}: {found}"

    fuzz()
