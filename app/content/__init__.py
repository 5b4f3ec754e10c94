"""Indicators and their micro-lessons: text, clips, infographics, FAQ cards."""

from .views import bp

__all__ = ["bp"]
