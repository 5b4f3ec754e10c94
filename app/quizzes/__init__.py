"""Question banks, quiz attempts and their scoring."""

from .views import bp

__all__ = ["bp"]
