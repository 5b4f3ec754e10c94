"""Training plans, progress at a glance, and readiness to collect data."""

from .views import bp

__all__ = ["bp"]
