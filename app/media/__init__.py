"""Trainers' uploads: clips (probed, poster, low-data variant) and infographics (variants)."""

from . import clip_views, infographic_views  # noqa: F401 - routes on bp
from .views import bp

__all__ = ["bp"]
