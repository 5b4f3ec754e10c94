"""The trainers' studio (this issue: the indicator checklist; editing comes later)."""

from .views import bp

__all__ = ["bp"]
