"""Volunteers: signing up with a village and a volunteer type."""

from .views import bp

__all__ = ["bp"]
