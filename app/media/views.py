"""The media blueprint; its pages live in clip_views.py and infographic_views.py."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("media", __name__)
