"""The public JSON API and the health check."""

from .views import bp

__all__ = ["bp"]
