"""The trainers' studio: overview, wording, FAQ cards, questions, previews, item analysis."""

from . import analysis_views, faq_views, question_views, wording_views  # noqa: F401 - routes
from .views import bp

__all__ = ["bp"]
