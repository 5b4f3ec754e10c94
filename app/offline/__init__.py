"""Offline use: the web app manifest, the service worker and saving lessons for no signal."""

from .views import bp

__all__ = ["bp"]
