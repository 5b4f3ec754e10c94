"""The OpenAPI document (GET /api/v1/openapi.json) and its human page (GET /api/docs)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request
from flask_babel import force_locale

from ..web import public
from .openapi import openapi_document, resolve

bp = Blueprint("docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/v1/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 document, in English."""
    with force_locale("en"):
        response = jsonify(openapi_document())
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.add_etag()
    return response.make_conditional(request)


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation with its parameters and responses resolved, in document order."""
    operations = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operations.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "operation": operation,
                    "secured": bool(operation.get("security", document.get("security"))),
                    "parameters": [resolve(document, p) for p in operation.get("parameters", [])],
                    "responses": {
                        code: resolve(document, r) for code, r in operation["responses"].items()
                    },
                }
            )
    return operations


@bp.get("/docs")
@public
def docs():
    """The API explained for people: endpoints, parameters and errors, in the UI language."""
    document = openapi_document()
    return render_template("api/docs.html", document=document, operations=_operations(document))
